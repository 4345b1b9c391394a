import type { ReportConfig } from '../config/schema.ts';
import { logger } from '../shared/logger.ts';
import type { Week } from '../shared/types.ts';
import { lastCompleteWeek } from '../shared/week.ts';
import { type DeliveryChannel, type DeliveryState, StateStore } from '../storage/state-store.ts';
import { checkCommand, replayCommand, rerunCommand } from './describe-ops-commands.ts';
import { sendOpsMessage } from './notify-ops.ts';
import { runReport } from './run-report.ts';
import { createRunSlackClient } from './start-run.ts';
import type { PipelineDeps, RunResult } from './types.ts';

const CHANNELS: DeliveryChannel[] = ['email', 'slack'];
const CHANNEL_NAMES: Record<DeliveryChannel, string> = {
  email: 'the email',
  slack: 'the Slack summary',
};

/** Result of the delivery check for one report week: the state found and any deliveries made. */
export interface DeliveryCheckResult {
  delivered: boolean;
  weekStart?: string;
  reason?: string;
  /** Deliveries that no run holds: the scheduled run failed before making them, or never ran. */
  missing?: DeliveryChannel[];
  /** Deliveries that a run still holds under a lease that has not expired. */
  inProgress?: DeliveryChannel[];
  /** Deliveries the check made after finding a claim whose run had stopped. */
  finished?: { runId: string; outcome: string; email: string; slack: string };
}

/**
 * Checks that the report week before `scheduledTime` was emailed and posted. A delivery whose
 * claim expired without being completed belongs to a run that stopped while delivering, so the
 * check replays the week from the raw archive and delivers what is missing. The replay claims each
 * delivery as any run does, so what went out already is skipped. Missing deliveries log
 * `Report not delivered` (an alarm's metric filter counts it). Ops get one message either way.
 */
export async function checkDelivery(
  deps: PipelineDeps,
  event: { reportId: string; scheduledTime?: string },
): Promise<DeliveryCheckResult> {
  const report = deps.config.reports.find((r) => r.id === event.reportId);
  if (!report) return { delivered: false, reason: 'unknown report' };
  const at = event.scheduledTime ? new Date(event.scheduledTime) : deps.now();
  const week = lastCompleteWeek(at, report.timeZone);
  const states = await readDeliveries(deps, report.id, week.start);
  const nowMs = deps.now().getTime();
  const pending = CHANNELS.filter((channel) => states[channel]?.status !== 'done');
  if (pending.length === 0) return { delivered: true, weekStart: week.start };

  const stopped = pending.filter((channel) => leaseExpired(states[channel], nowMs));
  if (stopped.length > 0) return finishDeliveries(deps, report, week, { pending, stopped, states });
  const inProgress = pending.filter((channel) => states[channel]?.status === 'claimed');
  if (inProgress.length > 0) return reportInProgress(deps, report, week, { inProgress, states });

  return reportMissing(deps, report, week, pending);
}

/**
 * Notifies ops that a live claim blocks a delivery. Nothing checks the week again, so the message
 * gives the lease end and the command that finishes the delivery if the claiming run stops.
 */
async function reportInProgress(
  deps: PipelineDeps,
  report: ReportConfig,
  week: Week,
  found: { inProgress: DeliveryChannel[]; states: Record<DeliveryChannel, DeliveryState | null> },
): Promise<DeliveryCheckResult> {
  const { inProgress, states } = found;
  const runs = [...new Set(inProgress.map((channel) => states[channel]?.runId))];
  const leaseEnd = Math.max(...inProgress.map((channel) => states[channel]?.leaseExpiresMs ?? 0));
  const until = new Date(leaseEnd).toISOString();
  const names = inProgress.map((channel) => CHANNEL_NAMES[channel]).join(' and ');
  logger.warn('Delivery still in progress at the check', {
    reportId: report.id,
    weekStart: week.start,
    inProgress,
    runs,
  });
  const text = [
    `adreport: report ${report.id} still delivering at the delivery check, week of ${week.start}`,
    `Run ${runs.join(', ')} holds ${names} until ${until} and may still finish it.`,
    `If ${names} has not arrived by then, check again after that time, and the check sends what is missing: ${checkCommand(deps, { reportId: report.id, week })}`,
  ].join('\n');
  await tellOps(deps, text);

  return { delivered: false, weekStart: week.start, inProgress };
}

async function readDeliveries(deps: PipelineDeps, reportId: string, weekStart: string) {
  const state = new StateStore(deps.dynamo, deps.stateTable, { now: deps.now });
  const [email, slack] = await Promise.all(
    CHANNELS.map((channel) => state.getDelivery(reportId, weekStart, channel)),
  );

  return { email: email ?? null, slack: slack ?? null } as Record<
    DeliveryChannel,
    DeliveryState | null
  >;
}

function leaseExpired(state: DeliveryState | null, nowMs: number): boolean {
  return state?.status === 'claimed' && (state.leaseExpiresMs ?? 0) < nowMs;
}

/**
 * Replays the week from the archive and delivers every channel not yet done, not only the one
 * whose claim expired, because a run that stopped while emailing never reached Slack either.
 */
async function finishDeliveries(
  deps: PipelineDeps,
  report: ReportConfig,
  week: Week,
  found: {
    pending: DeliveryChannel[];
    stopped: DeliveryChannel[];
    states: Record<DeliveryChannel, DeliveryState | null>;
  },
): Promise<DeliveryCheckResult> {
  const stoppedRuns = [...new Set(found.stopped.map((channel) => found.states[channel]?.runId))];
  logger.warn('Finishing deliveries of a stopped run', {
    reportId: report.id,
    weekStart: week.start,
    stopped: found.stopped,
    stoppedRuns,
  });
  let result: RunResult;
  try {
    result = await runReport(deps, {
      reportId: report.id,
      week,
      trigger: 'replay',
      replay: true,
      deliver: { email: found.pending.includes('email'), slack: found.pending.includes('slack') },
      notifyOps: false,
    });
  } catch (error) {
    logger.error('Report not delivered', { reportId: report.id, weekStart: week.start, error });
    await tellOps(deps, finishFailedText(deps, report, week, { stoppedRuns, error }));
    return { delivered: false, weekStart: week.start, missing: found.pending };
  }
  await tellOps(deps, finishedText(deps, report, week, { stoppedRuns, result }));
  const statuses: string[] = [result.email.status, result.slack.status];
  const delivered =
    result.outcome !== 'failed' &&
    statuses.every((status) => status !== 'failed' && status !== 'in_progress');

  return {
    delivered,
    weekStart: week.start,
    finished: {
      runId: result.runId,
      outcome: result.outcome,
      email: result.email.status,
      slack: result.slack.status,
    },
  };
}

async function reportMissing(
  deps: PipelineDeps,
  report: ReportConfig,
  week: Week,
  missing: DeliveryChannel[],
): Promise<DeliveryCheckResult> {
  logger.error('Report not delivered', { reportId: report.id, weekStart: week.start, missing });
  const text = [
    `adreport: report ${report.id} not delivered, week of ${week.start}`,
    `Missing at the delivery check: ${missing.map((c) => CHANNEL_NAMES[c]).join(' and ')}.`,
    'No run holds these deliveries, so the scheduled run failed before making them or never ran. Its ops message and log give the cause.',
    `Once the cause is fixed, run the week again; it sends only what is missing: ${rerunCommand(deps, { reportId: report.id, week })}`,
  ].join('\n');
  await tellOps(deps, text);

  return { delivered: false, weekStart: week.start, missing };
}

function finishedText(
  deps: PipelineDeps,
  report: ReportConfig,
  week: Week,
  { stoppedRuns, result }: { stoppedRuns: Array<string | undefined>; result: RunResult },
): string {
  const lines = [
    `adreport: delivery check finished report ${report.id}, week of ${week.start}`,
    `Run ${stoppedRuns.join(', ')} stopped while delivering and its claim expired, so the check replayed the week from the raw archive as run ${result.runId}.`,
    `Email: ${describe(result.email)}`,
    `Slack: ${describe(result.slack)}`,
    ...result.notes.map((note) => `- ${note}`),
  ];
  if (result.outcome === 'degraded' || result.outcome === 'failed') {
    lines.push(sendMissingHint(deps, report, week));
  }

  return lines.join('\n');
}

function finishFailedText(
  deps: PipelineDeps,
  report: ReportConfig,
  week: Week,
  { stoppedRuns, error }: { stoppedRuns: Array<string | undefined>; error: unknown },
): string {
  return [
    `adreport: report ${report.id} not delivered, week of ${week.start}`,
    `Run ${stoppedRuns.join(', ')} stopped while delivering. The delivery check could not replay the week: ${(error as Error).message}`,
    sendMissingHint(deps, report, week),
  ].join('\n');
}

/** Gives the replay that sends what is missing from the stopped run's archive. */
function sendMissingHint(deps: PipelineDeps, report: ReportConfig, week: Week): string {
  const replay = replayCommand(deps, { reportId: report.id, weekStart: week.start, send: true });

  return `Once the cause is fixed, send what is missing: ${replay}`;
}

function describe(delivery: { status: string; error?: string }): string {
  return delivery.error ? `${delivery.status} (${delivery.error})` : delivery.status;
}

async function tellOps(deps: PipelineDeps, text: string): Promise<void> {
  try {
    const secrets = await deps.secrets.get();
    const slack = secrets.SLACK_BOT_TOKEN
      ? createRunSlackClient(deps.config, secrets.SLACK_BOT_TOKEN)
      : null;
    const via = await sendOpsMessage({ config: deps.config, slack, ses: deps.ses }, text);
    logger.info('Ops notified', { via });
  } catch (error) {
    logger.error('Ops notification failed', { error });
  }
}
