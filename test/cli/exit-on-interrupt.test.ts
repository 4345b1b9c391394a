import { describe, expect, it, vi } from 'vitest';
import { exitOnInterrupt } from '../../src/cli/exit-on-interrupt.ts';

describe('exitOnInterrupt', () => {
  it('prints one line and exits 130 on SIGINT', () => {
    const io = { writeError: vi.fn(), exit: vi.fn() };
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    stop();

    expect(io.writeError).toHaveBeenCalledWith(
      '\nadreport: run interrupted (Ctrl-C) before it finished. Re-running the same command is ' +
        'safe: weeks are stored again and a report already sent is not sent twice.\n',
    );
    expect(io.exit).toHaveBeenCalledWith(130);
  });

  it('removes its listener when stopped', () => {
    const before = process.listenerCount('SIGINT');
    const io = { writeError: vi.fn(), exit: vi.fn() };

    exitOnInterrupt('backfill', io)();

    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
