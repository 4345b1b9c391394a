import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS } from './parse-command.ts';

/** Builds the usage message of `/adreport help`, with examples. */
export function helpText(command = '/adreport'): string {
  return [
    '*adreport*: the weekly Meta Ads and HubSpot report.',
    '',
    `• \`${command} week [YYYY-MM-DD | last]\`: re-run the report for the week containing that date (last complete week by default) and post its summary here. Admins can add \`--email\` to email the report as well.`,
    `• \`${command} trend <campaign name or id> [weeks]\`: a table and a chart of the last weeks of one campaign (${DEFAULT_TREND_WEEKS} by default, at most ${MAX_TREND_WEEKS}). Names match without case and by part.`,
    `• \`${command} ask <question>\`: Claude answers from the stored metrics and starts a thread. Mention the app in that thread to follow up.`,
    `• \`${command} help\`: this message.`,
    '',
    'Add `--report <id>` when the channel serves several reports.',
    '',
    '*Examples*',
    `\`${command} week 2026-11-23\`  \`${command} week last --email\``,
    `\`${command} trend Spring Sale 12\`  \`${command} trend "Sale 2024"\``,
    `\`${command} ask which campaign had the lowest CPL last week?\``,
  ].join('\n');
}
