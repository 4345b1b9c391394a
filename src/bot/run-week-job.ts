import type { ReportConfig } from '../config/schema.ts';
import { postSlackSummary } from '../pipeline/post-slack-summary.ts';
import type { RunResult } from '../pipeline/types.ts';
import { DeliveryError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { ReportData } from '../shared/types.ts';
import { formatWeek, weekContaining } from '../shared/week.ts';
import { buildSummaryMessage } from '../slack/build-summary-blocks.ts';
import { escapeInline } from '../slack/mrkdwn.ts';
import { MetricsStore } from '../storage/metrics-store.ts';
import type { BotJob } from './job-types.ts';
import type { BotDeps } from './jobs.ts';
import { postToResponseUrl } from './respond.ts';

type WeekJob = Extract<BotJob, { kind: 'week' }>;

/** Slack errors after which the summary still reaches the channel through the response URL. */
const FALLBACK_ERRORS = new Set(['slack_not_in_channel', 'slack_channel_not_found']);

/**
 * Re-runs the pipeline for one week (re-fetching, so restated figures are picked up), posts the
 * summary to the channel the command came from and reports the outcome to the caller. The email is
 * sent again only when the job asks for it, which only admins can do.
 */
export async function runWeekJob(job: WeekJob, deps: BotDeps): Promise<void> {
  const reply = (text: string) =>
    postToResponseUrl(job.responseUrl, { response_type: 'ephemeral', text }, deps.fetch);
  const report = deps.pipeline.config.reports.find((candidate) => candidate.id === job.reportId);
  if (!report) return reply(`Report "${job.reportId}" is no longer configured.`);
  const week = weekContaining(job.weekStart);
  const earliest = await earliestStoredWeek(deps, report);
  if (earliest && week.start < earliest) {
    return reply(
      `There is no data for ${formatWeek(week)}: the stored data of ${escapeInline(report.name)} begins with the week of ${earliest}.`,
    );
  }

  const result = await deps.runReport(deps.pipeline, {
    reportId: report.id,
    week,
    trigger: 'slack',
    forceDelivery: job.resendEmail,
    deliver: { email: job.resendEmail, slack: false },
  });
  if (!result.report) return reply(`The run for ${formatWeek(week)} failed: ${notesOf(result)}`);
  const posted = await postSummary(job, deps, result.report);

  return reply(outcomeText(result, job.resendEmail, posted));
}

/** Returns the first week any property of the report has data for, or null before the first run. */
async function earliestStoredWeek(deps: BotDeps, report: ReportConfig): Promise<string | null> {
  const metrics = new MetricsStore(deps.pipeline.dynamo, deps.pipeline.metricsTable, {
    sleep: deps.pipeline.sleep,
  });
  const totals = await Promise.all(
    report.properties.map((property) => metrics.getAllTime(property.id)),
  );
  const firstWeeks = totals.flatMap((total) => (total?.firstWeek ? [total.firstWeek] : []));

  return firstWeeks.length > 0 ? (firstWeeks.sort()[0] as string) : null;
}

/**
 * Posts the summary with the Web API (threaded parts). When the app is not in the channel, the
 * first message goes through the response URL instead, which needs no membership.
 */
async function postSummary(job: WeekJob, deps: BotDeps, report: ReportData): Promise<string> {
  try {
    await postSlackSummary({ report, channel: job.channelId, client: deps.slack, outDir: null });

    return 'The summary is posted in this channel.';
  } catch (error) {
    if (!(error instanceof DeliveryError) || !FALLBACK_ERRORS.has(error.code)) throw error;
    logger.warn('Posted the week summary through the response URL', {
      channelId: job.channelId,
      code: error.code,
    });
    const [first] = buildSummaryMessage(report);
    await postToResponseUrl(
      job.responseUrl,
      { response_type: 'in_channel', text: first?.text ?? '', blocks: first?.blocks ?? [] },
      deps.fetch,
    );

    return 'The summary is posted in this channel, without its thread: invite the app to the channel (/invite @adreport) to get threads and questions.';
  }
}

function outcomeText(result: RunResult, resendEmail: boolean, posted: string): string {
  const outcome = result.outcome.replaceAll('_', ' ');
  const lines = [`Finished ${formatWeek(result.week)} (${outcome}). ${posted}`];
  if (resendEmail) {
    const email = result.email;
    lines.push(
      email.status === 'sent'
        ? 'The email was sent again.'
        : `The email was not sent (${email.status}${email.error ? `: ${escapeInline(email.error)}` : ''}).`,
    );
  }
  if (result.notes.length > 0) lines.push(`Notes: ${notesOf(result)}`);

  return lines.join('\n');
}

function notesOf(result: RunResult): string {
  return escapeInline(result.notes.join('; ') || 'no details were recorded');
}
