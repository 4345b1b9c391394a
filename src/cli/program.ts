import { Command } from 'commander';
import { logger } from '../shared/logger.ts';
import { registerReportCommands } from './report-commands.ts';

/** Builds the `adreport` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('adreport')
    .description(
      'Weekly advertising report: Meta Ads and HubSpot leads to an HTML email and a Slack summary.',
    )
    .option('-v, --verbose', 'print info-level JSON logs')
    .showHelpAfterError('(run adreport --help for usage)')
    .hook('preAction', (command) => {
      logger.setLogLevel(command.opts().verbose ? 'INFO' : 'WARN');
    });
  registerReportCommands(program);

  return program;
}
