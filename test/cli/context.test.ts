import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocal, SAMPLE_CONFIG } from '../../src/cli/context.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

const dir = useTempDir('adreport-context-');

describe('openLocal', () => {
  it.each([
    {
      case: 'sample data in a folder',
      options: { sample: true, dataDir: 'data' },
      expected: { sample: true, dataDir: 'data' },
    },
    {
      case: 'a config file',
      options: { config: SAMPLE_CONFIG, dataDir: 'data' },
      expected: { sample: false, config: SAMPLE_CONFIG, dataDir: 'data' },
    },
    { case: 'memory only', options: { sample: true, dataDir: null }, expected: { sample: true } },
  ])('passes the options of $case to ops commands', async ({ options, expected }) => {
    const dataDir =
      typeof options.dataDir === 'string' ? join(dir(), options.dataDir) : options.dataDir;
    const session = await openLocal({ ...options, dataDir });

    const localCommand = session.deps.localCommand;
    await session.close();

    expect(localCommand).toEqual(typeof dataDir === 'string' ? { ...expected, dataDir } : expected);
  });
});
