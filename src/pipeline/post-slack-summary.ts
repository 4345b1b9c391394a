import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebClient } from '@slack/web-api';
import { logger } from '../shared/logger.ts';
import type { ReportData } from '../shared/types.ts';
import type { SlackMessage } from '../slack/blocks.ts';
import { buildSummaryMessage } from '../slack/build-summary-blocks.ts';
import { toDeliveryError } from '../slack/to-delivery-error.ts';

export interface PostSlackSummaryInput {
  report: ReportData;
  /** Channel id (C…/G…); without one nothing is posted. */
  channel: string | undefined;
  /** Web API client for the bot token; null when Slack is not configured. */
  client: WebClient | null;
  /** Local runs write the Block Kit JSON here as well. */
  outDir: string | null;
  /** Timestamps of the parts an earlier attempt posted, first part first, not posted again. */
  postedParts?: string[];
  /** Called after each part is posted with the timestamps of every part posted so far. */
  onPartPosted?: (postedParts: string[]) => Promise<void>;
}

export interface PostSlackSummaryResult {
  status: 'posted' | 'written' | 'skipped';
  /** Timestamp of the first (channel) message, the parent of the thread. */
  ts?: string;
  files?: string[];
}

/**
 * Posts the weekly summary to Slack: the first message in the channel, any further parts in its
 * thread. With an `outDir` the messages are also written as JSON. Slack `ok:false` errors become
 * a DeliveryError naming the code and the fix.
 */
export async function postSlackSummary(
  input: PostSlackSummaryInput,
): Promise<PostSlackSummaryResult> {
  const messages = buildSummaryMessage(input.report);
  const files = input.outDir ? [await writeSummaryFile(input, messages)] : undefined;

  if (!input.client || !input.channel) {
    const status = files ? 'written' : 'skipped';
    logger.info('Skipped Slack summary post', {
      reportId: input.report.reportId,
      reason: input.client ? 'no channel configured' : 'no Slack client',
      status,
    });

    return files ? { status, files } : { status };
  }
  const posted = input.postedParts ?? [];
  const ts = await postMessages(input, input.client, input.channel, messages);
  logger.info('Posted Slack summary', {
    reportId: input.report.reportId,
    channel: input.channel,
    ts,
    messages: messages.length,
    postedBefore: Math.min(posted.length, messages.length),
  });

  return files ? { status: 'posted', ts, files } : { status: 'posted', ts };
}

/**
 * Posts the parts not posted yet, in order, the later ones in the thread of the first. Each
 * posted part is reported through `onPartPosted` before the next one, so a failed attempt leaves
 * a record of what is already in Slack.
 */
async function postMessages(
  input: PostSlackSummaryInput,
  client: WebClient,
  channel: string,
  messages: SlackMessage[],
): Promise<string> {
  const posted = [...(input.postedParts ?? [])];
  // NOTE: parts are matched by position. A retry whose re-fetched figures split the summary
  // differently can repeat or skip a few blocks at the boundary of the parts already posted.
  for (const [index, message] of messages.entries()) {
    if (index < posted.length) continue;
    let ts: string;
    try {
      const result = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        thread_ts: posted[0],
        unfurl_links: false,
        unfurl_media: false,
      });
      ts = result.ts as string;
    } catch (error) {
      throw toDeliveryError(
        error,
        `chat.postMessage to ${channel} (message ${index + 1} of ${messages.length})`,
      );
    }
    posted.push(ts);
    await input.onPartPosted?.([...posted]);
  }

  return posted[0] as string;
}

async function writeSummaryFile(
  input: PostSlackSummaryInput,
  messages: SlackMessage[],
): Promise<string> {
  const { report } = input;
  const directory = input.outDir as string;
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${report.reportId}-${report.week.start}-slack.json`);
  const payload = { channel: input.channel ?? null, messages };
  await writeFile(path, `${JSON.stringify(payload, null, 2)}\n`, 'utf8');

  return path;
}
