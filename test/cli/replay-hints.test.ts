import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildResendCommand } from '../../src/cli/replay-hints.ts';
import { weekContaining } from '../../src/shared/week.ts';

/** Parses `args` with options shaped like replay's and returns the parsed command. */
function parseReplay(args: string[]): Command {
  const command = new Command('replay')
    .exitOverride()
    .option('--config <file>')
    .option('--report <id>')
    .option('--out <dir>', 'output folder', 'out')
    .option('--data <dir>', 'data folder', '.adreport/data')
    .option('--sample')
    .option('--send')
    .action(() => undefined);
  command.parse(['node', 'replay', ...args]);

  return command;
}

describe('buildResendCommand', () => {
  const week = weekContaining('2026-11-25');

  it('omits options left at their defaults', () => {
    const command = parseReplay([]);

    expect(buildResendCommand(command, week)).toBe(
      'adreport replay --week 2026-11-23 --send --force',
    );
  });

  it('repeats the options the user typed', () => {
    const command = parseReplay(['--sample', '--data', 'd1', '--config', 'c.json', '--send']);

    expect(buildResendCommand(command, week)).toBe(
      'adreport replay --week 2026-11-23 --send --force --config c.json --data d1 --sample',
    );
  });

  it('quotes a path with spaces', () => {
    const command = parseReplay(['--data', "my data's"]);

    expect(buildResendCommand(command, week)).toBe(
      "adreport replay --week 2026-11-23 --send --force --data 'my data'\\''s'",
    );
  });
});
