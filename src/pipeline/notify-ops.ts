import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SESClient } from '@aws-sdk/client-ses';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { WebClient } from '@slack/web-api';
import type { AdreportConfig } from '../config/schema.ts';
import { logger } from '../shared/logger.ts';
import { type CommandTarget, replayCommand, rerunCommand } from './describe-ops-commands.ts';
import type { RunResult } from './types.ts';

interface OpsChannels {
  config: AdreportConfig;
  slack: WebClient | null;
  ses: SESClient;
}

/** Channel that received the ops message, and the file written when there is an `outDir`. */
export interface OpsNotice {
  via: 'slack' | 'email' | 'none';
  file: string | null;
}

/**
 * Tells the technical owner about a degraded or failed run, once per run. Runs with any other
 * outcome send nothing. With an `outDir` (local runs) the message is also written to
 * `<outDir>/<reportId>-<weekStart>-ops.txt`, since a local run's email stays in the emulator.
 */
export async function notifyOps(
  input: OpsChannels & { result: RunResult; target?: CommandTarget; outDir?: string | null },
): Promise<OpsNotice> {
  const { outcome } = input.result;
  if (outcome !== 'degraded' && outcome !== 'failed') return { via: 'none', file: null };
  const text = opsMessage(input.result, input.target);
  const via = await sendOpsMessage(input, text);
  const file = input.outDir ? await writeOpsFile(input.outDir, input.result, text) : null;

  return { via, file };
}

async function writeOpsFile(outDir: string, result: RunResult, text: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, `${result.reportId}-${result.week.start}-ops.txt`);
  await writeFile(path, `${text}\n`, 'utf8');

  return path;
}

/**
 * Sends plain text to the technical owner: in the ops Slack channel when one is configured and
 * reachable, otherwise by email to the ops recipients. The first line is the email subject.
 */
export async function sendOpsMessage(
  input: OpsChannels,
  text: string,
): Promise<'slack' | 'email' | 'none'> {
  const { config } = input;
  if (input.slack && config.slack.opsChannel) {
    try {
      await input.slack.chat.postMessage({ channel: config.slack.opsChannel, text, mrkdwn: false });
      return 'slack';
    } catch (error) {
      logger.warn('Ops Slack message failed, trying email', { error });
    }
  }
  if (config.email.opsRecipients.length === 0) {
    logger.warn('No ops channel or ops recipients configured; the degraded run is only logged');
    return 'none';
  }
  await input.ses.send(
    new SendEmailCommand({
      Source: config.email.sender,
      Destination: { ToAddresses: config.email.opsRecipients },
      Message: {
        Subject: { Data: text.split('\n')[0] ?? 'adreport run' },
        Body: { Text: { Data: text } },
      },
    }),
  );

  return 'email';
}

/**
 * Builds the ops message in plain text, since it quotes error messages that may contain source
 * text. The re-run and replay commands suit `target`: the deployed worker, or the local CLI by
 * default.
 */
export function opsMessage(result: RunResult, target: CommandTarget = {}): string {
  const replay = replayCommand(target, {
    reportId: result.reportId,
    weekStart: result.week.start,
    send: false,
  });
  const rerun = rerunCommand(target, { reportId: result.reportId, week: result.week });
  const lines = [
    `adreport: run ${result.outcome} for ${result.reportId}, week of ${result.week.start}`,
    `Run id: ${result.runId}`,
    `Email: ${result.email.status}${result.email.error ? ` (${result.email.error})` : ''}`,
    `Slack: ${result.slack.status}${result.slack.error ? ` (${result.slack.error})` : ''}`,
    ...result.notes.map((note) => `- ${note}`),
    // A replay reads only the archive, so it cannot recover data a source failed to return.
    `Once the cause is fixed, if Meta or HubSpot data was missing, run the week again: ${rerun}`,
    `Otherwise rebuild it from the archived payloads: ${replay}`,
  ];

  return lines.join('\n');
}
