import { Command } from 'commander';
import { logger } from '../shared/logger.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { stopEarlyInterrupt } from './exit-on-interrupt.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerSlackCommands } from './slack-commands.ts';

/**
 * Commands that install their own SIGINT listener and only then remove the early one, so a Ctrl-C
 * during the hand-over is not lost. The early handler would print a false line for the others,
 * which may post or send, so it goes before they start.
 */
export const HANDS_OVER_INTERRUPT: ReadonlySet<string> = new Set([
  'demo',
  'run',
  'replay',
  'backfill',
  'serve',
  'slack',
]);

/** Builds the `adreport` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('adreport')
    .description(
      'Weekly advertising report: Meta Ads and HubSpot leads to an HTML email and a Slack summary.',
    )
    .option('-v, --verbose', 'print JSON logs (info level and above) on stdout and stderr')
    // Subcommands copy this output setting when they are created, so it comes before them.
    .configureOutput({ outputError: (text, write) => write(prefixParseError(text)) })
    .showHelpAfterError('(run adreport --help for usage)')
    .hook('preAction', (command, actionCommand) => {
      if (!HANDS_OVER_INTERRUPT.has(actionCommand.name())) stopEarlyInterrupt();
      logger.setLogLevel(logLevelFor(actionCommand.name(), command.opts().verbose === true));
    });
  registerReportCommands(program);
  registerSlackCommands(program);
  registerDoctorCommand(program);

  return program;
}

/**
 * Replaces commander's "error: " prefix of an option or argument error with the "adreport: " that
 * every other CLI error starts with.
 */
export function prefixParseError(text: string): string {
  return text.replace(/^error: /, 'adreport: ');
}

/**
 * Chooses the log level of a command. A one-shot command prints a summary and a one-line error,
 * which is what a person needs, so its logs wait for --verbose. `serve` runs until stopped and
 * shows each rejected request, so it logs warnings and errors even without --verbose.
 */
export function logLevelFor(commandName: string, verbose: boolean): 'INFO' | 'WARN' | 'SILENT' {
  if (verbose) return 'INFO';

  return commandName === 'serve' ? 'WARN' : 'SILENT';
}
