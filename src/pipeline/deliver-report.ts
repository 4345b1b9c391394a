import type { SESClient } from '@aws-sdk/client-ses';
import type { WebClient } from '@slack/web-api';
import type { AdreportConfig, ReportConfig } from '../config/schema.ts';
import { buildMimeMessage } from '../email/build-mime-message.ts';
import { renderReportEmail } from '../email/render-report-email.ts';
import { sendReportEmail } from '../email/send-report-email.ts';
import { writeEmailFiles } from '../email/write-email-files.ts';
import { logger } from '../shared/logger.ts';
import type { ReportData } from '../shared/types.ts';
import type { DeliveryChannel, StateStore } from '../storage/state-store.ts';
import type { DeliveryGate } from './delivery-gate.ts';
import { postSlackSummary } from './post-slack-summary.ts';
import type { RunRequest, RunResult } from './types.ts';

interface DeliverInput {
  config: AdreportConfig;
  report: ReportConfig;
  data: ReportData;
  request: RunRequest;
  state: StateStore;
  ses: SESClient;
  slack: WebClient | null;
  outDir: string | null;
  /** Waits between SES attempts after a throttle. */
  sleep: (ms: number) => Promise<void>;
  /** Lets a CLI interrupted by Ctrl-C finish the delivery in progress and start no other. */
  gate?: DeliveryGate | undefined;
}

/** A claim outlives any plausible send, so a crashed run's claim expires and a retry takes over. */
const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Sends the email, then the Slack summary, each at most once per report and week. A delivery is
 * claimed with a conditional write before it is made and marked done after. A second or concurrent
 * invocation therefore skips what went out, and a retry finishes only what is missing.
 * `notes` lists what rendering left out (the charts), for the ops message.
 */
export async function deliverReport(
  input: DeliverInput,
): Promise<Pick<RunResult, 'email' | 'slack' | 'outputFiles'> & { notes: string[] }> {
  const deliver = input.request.deliver ?? { email: true, slack: true };
  const message = await composeEmail(input);
  const outputFiles = input.outDir ? await writeEmailCopies(input, message) : [];
  const email = deliver.email
    ? await once(input, 'email', () => sendEmail(input, message.raw))
    : { status: 'skipped' as const };
  const slack = deliver.slack
    ? await postOrWriteSummary(input, outputFiles)
    : { status: 'skipped' };

  return {
    email: email as RunResult['email'],
    slack: slack as RunResult['slack'],
    outputFiles,
    notes: message.rendered.chartFailure ? [message.rendered.chartFailure] : [],
  };
}

type Delivered = { status: string; detail: Record<string, string> };

/**
 * Posts the Slack summary once per report and week. Without a Slack client the summary is only
 * written to the output folder. That reaches no one, so it is neither claimed nor recorded, and a
 * later run with a Slack token still posts it.
 */
async function postOrWriteSummary(
  input: DeliverInput,
  outputFiles: string[],
): Promise<DeliveryOutcome> {
  if (input.slack) return once(input, 'slack', () => postSummary(input, outputFiles));
  const written = await postSummary(input, outputFiles);

  return { status: written.status, ...written.detail };
}

type DeliveryOutcome = { status: string; messageId?: string; ts?: string; error?: string };

/** Claims, makes and records one delivery. Once the gate is closed, it is skipped unclaimed. */
async function once(
  input: DeliverInput,
  channel: DeliveryChannel,
  send: () => Promise<Delivered>,
): Promise<DeliveryOutcome> {
  if (!input.gate) return claimAndSend(input, channel, send);
  const outcome = await input.gate.pass(() => claimAndSend(input, channel, send));

  return outcome ?? { status: 'skipped' };
}

async function claimAndSend(
  input: DeliverInput,
  channel: DeliveryChannel,
  send: () => Promise<Delivered>,
): Promise<DeliveryOutcome> {
  const key = { reportId: input.report.id, weekStart: input.data.week.start, channel };
  const claim = input.request.forceDelivery
    ? 'claimed'
    : await input.state.claimDelivery({ ...key, runId: input.data.runId, leaseMs: CLAIM_LEASE_MS });
  if (claim === 'done') {
    logger.info('Delivery skipped: already made', { channel });
    return { status: channel === 'email' ? 'already_sent' : 'already_posted' };
  }
  if (claim === 'busy') {
    // Another run has claimed the delivery. If that run stopped, the delivery check finishes it
    // once the lease expires, so this run neither sends nor counts it as made.
    logger.warn('Delivery skipped: claimed by another run', { channel });
    return { status: 'in_progress' };
  }
  try {
    const delivered = await send();
    await input.state.completeDelivery({
      ...key,
      runId: input.data.runId,
      detail: delivered.detail,
      forced: input.request.forceDelivery === true,
    });

    return { status: delivered.status, ...delivered.detail };
  } catch (error) {
    logger.error('Delivery failed', { channel, error });
    await input.state.releaseDelivery({ ...key, runId: input.data.runId });

    return { status: 'failed', error: (error as Error).message };
  }
}

async function composeEmail(input: DeliverInput) {
  const rendered = renderReportEmail(input.data);
  const raw = await buildMimeMessage(rendered, {
    from: input.config.email.sender,
    to: input.report.recipients,
  });

  return { rendered, raw };
}

/** Local runs keep a copy of every report, sent or not, so a replay can be read. */
async function writeEmailCopies(
  input: DeliverInput,
  message: Awaited<ReturnType<typeof composeEmail>>,
): Promise<string[]> {
  const outDir = input.outDir as string;
  const files = await writeEmailFiles(outDir, fileBase(input.data), message.rendered, message.raw);

  return [files.htmlPath, files.emlPath];
}

async function sendEmail(input: DeliverInput, raw: Buffer): Promise<Delivered> {
  const { messageId } = await sendReportEmail(
    input.ses,
    { raw, from: input.config.email.sender, to: input.report.recipients },
    { sleep: input.sleep },
  );
  logger.info('Report emailed', { messageId, recipients: input.report.recipients.length });

  return { status: 'sent', detail: { messageId } };
}

async function postSummary(input: DeliverInput, outputFiles: string[]): Promise<Delivered> {
  const posted = await postSlackSummary({
    report: input.data,
    channel: input.report.slackChannel,
    client: input.slack,
    outDir: input.outDir,
    ...(input.request.forceDelivery ? {} : await partsProgress(input)),
  });
  outputFiles.push(...(posted.files ?? []));
  const detail: Record<string, string> = posted.ts ? { ts: posted.ts } : {};

  return { status: posted.status, detail };
}

/**
 * Reads the summary parts an earlier run posted and records each part this run posts, so a retry
 * after a partial failure posts only the missing parts. A forced delivery posts a new summary, so
 * it neither reads nor writes this record.
 */
async function partsProgress(input: DeliverInput) {
  const key = {
    reportId: input.report.id,
    weekStart: input.data.week.start,
    runId: input.data.runId,
  };
  const postedParts = await input.state.getPostedParts(key.reportId, key.weekStart);
  const onPartPosted = async (parts: string[]) => {
    try {
      await input.state.putPostedParts(key, parts);
    } catch (error) {
      // NOTE: a retry after a later failure posts this part again, as nothing recorded it.
      logger.error('Posted Slack parts not recorded', { parts: parts.length, error });
    }
  };

  return { postedParts, onPartPosted };
}

function fileBase(data: ReportData): string {
  return `${data.reportId}-${data.week.start}`;
}
