import { describe, expect, it, vi } from 'vitest';
import { exitOnEarlyInterrupt, stopEarlyInterrupt } from '../../src/cli/exit-on-interrupt.ts';
import { buildProgram, logLevelFor } from '../../src/cli/program.ts';

describe('logLevelFor', () => {
  it.each([
    { command: 'serve', verbose: false, level: 'WARN' },
    { command: 'serve', verbose: true, level: 'INFO' },
    { command: 'run', verbose: false, level: 'SILENT' },
    { command: 'slack', verbose: false, level: 'SILENT' },
    { command: 'run', verbose: true, level: 'INFO' },
  ])('returns $level for $command, verbose $verbose', ({ command, verbose, level }) => {
    expect(logLevelFor(command, verbose)).toBe(level);
  });
});

describe('buildProgram', () => {
  it.each([
    { argv: ['run'], kept: 1 },
    { argv: ['backfill', '--from', '2026-01-05', '--to', '2026-01-12'], kept: 1 },
    { argv: ['doctor'], kept: 0 },
  ])('leaves $kept early listeners for $argv.0', async ({ argv, kept }) => {
    const before = process.listenerCount('SIGINT');
    exitOnEarlyInterrupt({ writeError: vi.fn(), exit: vi.fn() });
    const program = buildProgram();
    const command = program.commands.find((c) => c.name() === argv[0]);
    // The command's own body would install its handler, so an empty action shows what the hook
    // left behind.
    command?.action(() => undefined);

    await program.parseAsync(['node', 'adreport', ...argv]);
    const after = process.listenerCount('SIGINT');
    stopEarlyInterrupt();

    expect(after - before).toBe(kept);
  });
});
