import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkerChild } from '../../../bench/lib/run-child.ts';
import { SourceError } from '../../../src/shared/errors.ts';

describe('runWorkerChild', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-child-'));
    await writeFile(
      join(dir, 'handler.mjs'),
      [
        'export async function handler(event) {',
        '  const ballast = Buffer.alloc(64 * 1024 * 1024, 1);',
        '  console.log(JSON.stringify({ message: "handled", kind: event.kind }));',
        '  if (event.kind === "fail") throw new TypeError("bad event");',
        '  if (event.kind === "crash") process.exit(3);',
        '  return { kind: event.kind, env: process.env.BENCH_VALUE ?? null,',
        '    home: process.env.HOME ?? null, bytes: ballast.length };',
        '}',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'handler.ts'),
      'export const handler = async (event: { kind: string }): Promise<string> => event.kind;\n',
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (label: string, kind: string) => ({
    handlerModule: join(dir, 'handler.mjs'),
    event: { kind },
    env: { BENCH_VALUE: 'set' },
    workDir: dir,
    label,
    timeoutMs: 20_000,
  });

  it('returns the handler output', async () => {
    const run = await runWorkerChild(options('ok', 'schedule'));

    expect(run.output).toEqual({ kind: 'schedule', env: 'set', home: null, bytes: 67_108_864 });
  });

  it('measures peak memory above the allocation', async () => {
    const run = await runWorkerChild(options('memory', 'schedule'));

    expect(run.maxRssKb).toBeGreaterThan(64 * 1024);
  });

  it('measures the handler call', async () => {
    const run = await runWorkerChild(options('timing', 'schedule'));

    expect(run.handlerMs).toBeGreaterThan(0);
    expect(run.processMs).toBeGreaterThan(run.handlerMs);
  });

  it('records the handler error', async () => {
    const run = await runWorkerChild(options('error', 'fail'));

    expect(run.error).toBe('TypeError: bad event');
  });

  it('writes the child logs to a file', async () => {
    const run = await runWorkerChild(options('logs', 'schedule'));

    expect(await readFile(run.logFile, 'utf8')).toContain('"handled"');
  });

  it('throws SourceError when the child exits early', async () => {
    const run = runWorkerChild(options('crash', 'crash'));

    await expect(run).rejects.toThrow(SourceError);
  });

  it('runs a TypeScript handler through tsx', async () => {
    const run = await runWorkerChild({
      ...options('tsx', 'replay'),
      handlerModule: join(dir, 'handler.ts'),
    });

    expect(run.output).toBe('replay');
  });
});
