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
import { StateStore } from '../storage/state-store.ts';
import type { BotJob } from './job-types.ts';
import type { BotDeps } from './jobs.ts';
import { postToResponseUrl } from './respond.ts';

type WeekJob = Extract<BotJob, { kind: 'week' }>;

/** Slack errors after which the summary still reaches the channel through the response URL. */
const FALLBACK_ERRORS = new Set(['slack_not_in_channel', 'slack_channel_not_found']);

/**
 * Re-runs the pipeline for one week (re-fetching, so restated figures are picked up), posts the
 * summary to the channel the command came from and reports the outcome to the caller. The email is
 * sent only when the job requests it, which only admins can do.
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

  const sentBefore = job.resendEmail ? await readEmailSent(deps, report.id, week.start) : null;
  // A run that sends no email writes no local copy of it, so no file suggests it went out.
  const pipeline = job.resendEmail ? deps.pipeline : { ...deps.pipeline, outDir: null };
  const result = await deps.runReport(pipeline, {
    reportId: report.id,
    week,
    trigger: 'slack',
    forceDelivery: job.resendEmail,
    deliver: { email: job.resendEmail, slack: false },
  });
  if (!result.report) return reply(`The run for ${formatWeek(week)} failed: ${notesOf(result)}`);
  const posted = await postSummary(job, deps, result.report);
  const email = job.resendEmail
    ? resentEmailText(result, sentBefore)
    : await weeklyEmailText(deps, report.id, week.start);

  return reply(outcomeText(result, posted, email));
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

/**
 * Names the run's outcome only when it is degraded. This job delivers nothing through the
 * pipeline, so the pipeline's `not_sent` would read as if the summary had not been posted.
 */
function outcomeText(result: RunResult, posted: string, email: string): string {
  const degraded = result.outcome === 'degraded' ? ' (degraded)' : '';
  const lines = [`Finished ${formatWeek(result.week)}${degraded}. ${posted}`, email];
  if (result.notes.length > 0) lines.push(`Notes: ${notesOf(result)}`);

  return lines.join('\n');
}

/** Describes the forced send: "sent again" only when the record read before the run shows it done. */
function resentEmailText(result: RunResult, sentBefore: boolean | null): string {
  const email = result.email;
  if (email.status === 'sent')
    return sentBefore ? 'The email was sent again.' : 'The email was sent.';
  const error = email.error ? `: ${escapeInline(email.error)}` : '';

  return `The email was not sent (${email.status}${error}).`;
}

/**
 * Says whether the week's report email went out, because this job neither sends it nor marks the
 * week delivered, so a later report run for the week still sends it.
 */
async function weeklyEmailText(
  deps: BotDeps,
  reportId: string,
  weekStart: string,
): Promise<string> {
  const sent = await readEmailSent(deps, reportId, weekStart);
  if (sent === null) return 'This command does not send the report email.';
  if (sent) {
    return 'The report email for this week was sent earlier, and this command did not send it again.';
  }

  return 'The report email for this week has not been sent. This command does not send it, so the next report run for this week sends it, or an admin can add --email.';
}

/** Returns whether the week's email delivery is recorded as done, or null when the read fails. */
async function readEmailSent(
  deps: BotDeps,
  reportId: string,
  weekStart: string,
): Promise<boolean | null> {
  const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable, {
    now: deps.pipeline.now,
  });
  try {
    const delivery = await state.getDelivery(reportId, weekStart, 'email');

    return delivery?.status === 'done';
  } catch (error) {
    logger.warn('Email delivery state not read', { reportId, weekStart, error });

    return null;
  }
}

function notesOf(result: RunResult): string {
  return escapeInline(result.notes.join('; ') || 'no details were recorded');
}
