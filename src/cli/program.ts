import { Command } from 'commander';
import { logger } from '../shared/logger.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerSlackCommands } from './slack-commands.ts';

/** Builds the `adreport` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('adreport')
    .description(
      'Weekly advertising report: Meta Ads and HubSpot leads to an HTML email and a Slack summary.',
    )
    .option('-v, --verbose', 'print JSON logs (info level and above) on stdout and stderr')
    .showHelpAfterError('(run adreport --help for usage)')
    .hook('preAction', (command) => {
      // The summary and the one-line error are what a person needs, so logs wait for --verbose.
      logger.setLogLevel(command.opts().verbose ? 'INFO' : 'SILENT');
    });
  registerReportCommands(program);
  registerSlackCommands(program);
  registerDoctorCommand(program);

  return program;
}
