import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exitOnEarlyInterrupt, stopEarlyInterrupt } from '../../src/cli/exit-on-interrupt.ts';
import { buildProgram, logLevelFor, prefixParseError } from '../../src/cli/program.ts';

const CLI = resolve(import.meta.dirname, '../../bin/adreport.js');

/** Runs the CLI to its end and returns the exit status and stderr. */
function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });

  return new Promise((done) => {
    child.on('close', (status) => done({ status, stderr }));
  });
}

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

describe('prefixParseError', () => {
  it('replaces the leading error prefix', () => {
    expect(prefixParseError("error: unknown option '--x'\n")).toBe(
      "adreport: unknown option '--x'\n",
    );
  });

  it('keeps a prefix inside the text', () => {
    expect(prefixParseError('adreport: bad value error: here\n')).toBe(
      'adreport: bad value error: here\n',
    );
  });
});

describe('adreport option errors', () => {
  it.each([
    { argv: ['run', '--no-such-option'], line: "adreport: unknown option '--no-such-option'" },
    { argv: ['--no-such-option'], line: "adreport: unknown option '--no-such-option'" },
    { argv: ['doctor', '--no-such-option'], line: "adreport: unknown option '--no-such-option'" },
    { argv: ['run', '--week'], line: "adreport: option '--week <date>' argument missing" },
  ])(
    'start with adreport: for $argv',
    async ({ argv, line }) => {
      const { status, stderr } = await runCli(argv);

      expect(stderr.split('\n')[0]).toBe(line);
      expect(status).toBe(1);
    },
    30_000,
  );
});
