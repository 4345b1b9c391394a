import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openLocal, SAMPLE_CONFIG } from '../../src/cli/context.ts';
import { exitOnInterrupt, FINISHING_DELIVERY } from '../../src/cli/exit-on-interrupt.ts';
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

describe('openLocal delivery gate', () => {
  it('makes Ctrl-C wait for a delivery', async () => {
    const session = await openLocal({ sample: true, dataDir: null });
    const io = { writeError: vi.fn(), exit: vi.fn() };
    let record = () => {};
    const delivering = session.deps.deliveryGate?.pass(
      () =>
        new Promise<void>((done) => {
          record = done;
        }),
    );
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    record();
    await delivering;
    stop();
    await session.close();

    expect(io.writeError).toHaveBeenNthCalledWith(1, `\n${FINISHING_DELIVERY}\n`);
  });

  it('stops watching once closed', async () => {
    const session = await openLocal({ sample: true, dataDir: null });
    const io = { writeError: vi.fn(), exit: vi.fn() };
    void session.deps.deliveryGate?.pass(() => new Promise<void>(() => {}));
    await session.close();
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    stop();

    expect(io.exit).toHaveBeenCalledWith(130);
  });
});
