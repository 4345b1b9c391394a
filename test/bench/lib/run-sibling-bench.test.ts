import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSiblingBench } from '../../../bench/lib/run-sibling-bench.ts';

describe('runSiblingBench', () => {
  let rootDir: string;

  beforeAll(async () => {
    rootDir = await mkdtemp(join(tmpdir(), 'bench-sibling-'));
    const write = `require('fs').writeFileSync('out.json', JSON.stringify({ figure: 42 }))`;
    await writeFile(
      join(rootDir, 'package.json'),
      JSON.stringify({
        name: 'sibling-fixture',
        private: true,
        scripts: {
          'bench:ok': `node -e "${write}"`,
          'bench:fail': `node -e "console.log('limit broken'); process.exit(3)"`,
          'bench:quiet': 'node -e 0',
          'bench:over': `node -e "${write.replace('out.json', 'over.json')}; process.exit(1)"`,
          'bench:slow': 'node -e "setTimeout(() => {}, 60000)"',
        },
      }),
    );
    await writeFile(join(rootDir, 'stale.json'), '{"old":true}');
  });

  afterAll(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  const run = (script: string, jsonPath: string, timeoutMs = 20_000) =>
    runSiblingBench(
      { script, jsonPath, markdownPath: null },
      { rootDir, logDir: rootDir, timeoutMs },
    );

  it('returns the JSON the script wrote', async () => {
    const result = await run('bench:ok', 'out.json');

    expect(result.status).toBe('ok');
    expect(result.data).toEqual({ figure: 42 });
  });

  it('reports a failing script with its output', async () => {
    const result = await run('bench:fail', 'out.json');

    expect(result.status).toBe('failed');
    expect(result.detail).toContain('limit broken');
  });

  it('keeps the JSON of a script that then failed', async () => {
    const result = await run('bench:over', 'over.json');

    expect(result.status).toBe('failed');
    expect(result.data).toEqual({ figure: 42 });
  });

  it('reports a JSON file this run did not write', async () => {
    const result = await run('bench:quiet', 'stale.json');

    expect(result.status).toBe('no_output');
    expect(result.data).toBeNull();
  });

  it('reports a missing JSON file', async () => {
    const result = await run('bench:quiet', 'missing.json');

    expect(result.status).toBe('no_output');
  });

  it('stops a script that runs too long', async () => {
    const result = await run('bench:slow', 'out.json', 1_000);

    expect(result.status).toBe('failed');
    expect(result.exitCode).toBeNull();
  });
});
