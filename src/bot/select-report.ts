import type { BotConfig } from './read-bot-config.ts';

/**
 * Picks the report a command is about: the `--report` id when given, else the report posting to
 * this channel, else the only report. Returns a message for the caller when none fits.
 */
export function selectReport<Report extends BotConfig['reports'][number]>(
  config: { reports: Report[] },
  channelId: string,
  reportId: string | null | undefined,
): Report | { message: string } {
  const ids = config.reports.map((report) => report.id).join(', ');
  if (reportId) {
    const named = config.reports.find((report) => report.id === reportId);

    return named ?? { message: `Report "${reportId}" is not configured. Reports: ${ids}.` };
  }
  const inChannel = config.reports.filter((report) => report.slackChannel === channelId);
  if (inChannel.length === 1) return inChannel[0] as Report;
  if (config.reports.length === 1) return config.reports[0] as Report;

  return { message: `Several reports are configured; add \`--report <id>\` with one of: ${ids}.` };
}
