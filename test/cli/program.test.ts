import { describe, expect, it } from 'vitest';
import { logLevelFor } from '../../src/cli/program.ts';

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
