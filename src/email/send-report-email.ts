import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { DeliveryError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

/** SES API v1 rejects raw messages above 10 MB, measured after base64 encoding. */
export const SES_MAX_RAW_BYTES = 10 * 1024 * 1024;

export interface SendOptions {
  /** Waits between attempts. Tests pass one that records the delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'TooManyRequestsException',
]);
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 20_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a raw MIME message with SES `SendRawEmail` and returns the SES message id.
 * Throttling is retried with exponential backoff (1 s, 2 s, 4 s …, at most 20 s). The client's
 * own retries (SDK default: 3 attempts) happen inside each of these attempts.
 * Throws DeliveryError with one of these codes:
 * - `ses_identity_not_verified`: the sender, or a recipient in the sandbox, is not verified in
 *   the region;
 * - `ses_daily_quota_exceeded`, or `ses_throttled` after the last attempt;
 * - `email_too_large`, before any request;
 * - `ses_send_failed` with the SES message for anything else.
 */
export async function sendReportEmail(
  ses: SESClient,
  input: { raw: Buffer; from: string; to: string[] },
  options: SendOptions = {},
): Promise<{ messageId: string }> {
  checkSize(input.raw);
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 4));
  const command = new SendRawEmailCommand({
    RawMessage: { Data: input.raw },
    Source: input.from,
    Destinations: input.to,
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const output = await ses.send(command);
      const messageId = output.MessageId ?? '';
      logger.info('Sent report email', {
        messageId,
        recipients: input.to.length,
        bytes: input.raw.length,
        attempts: attempt,
      });

      return { messageId };
    } catch (error) {
      if (!isRetryableThrottle(error) || attempt >= maxAttempts)
        throw await toDeliveryError(ses, error, attempt);
      const delayMs = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      logger.warn('SES throttled the report email, retrying', {
        attempt,
        maxAttempts,
        delayMs,
        code: errorName(error),
      });
      await sleep(delayMs);
    }
  }
}

function checkSize(raw: Buffer): void {
  if (raw.length > SES_MAX_RAW_BYTES) {
    throw new DeliveryError(
      'email_too_large',
      `Email of ${raw.length} bytes exceeds the SES limit of ${SES_MAX_RAW_BYTES} bytes`,
      {
        fix: 'render with fewer campaign rows (maxCampaignRows) or without charts',
      },
    );
  }
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const { name, Code } = error as { name?: unknown; Code?: unknown };
    if (typeof Code === 'string') return Code;
    if (typeof name === 'string') return name;
  }

  return 'UnknownError';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** SES reports its rate limit and its daily quota as Throttling, but only the rate clears soon. */
function isRetryableThrottle(error: unknown): boolean {
  return THROTTLING_CODES.has(errorName(error)) && !isDailyQuota(error);
}

function isDailyQuota(error: unknown): boolean {
  return /daily message quota/i.test(errorMessage(error));
}

async function toDeliveryError(
  ses: SESClient,
  error: unknown,
  attempts: number,
): Promise<DeliveryError> {
  const code = errorName(error);
  const message = errorMessage(error);
  logger.error('Report email failed', { code, message, attempts });
  if (code === 'MessageRejected' && /not verified/i.test(message)) {
    return notVerifiedError(message, await regionOf(ses, message), error);
  }
  if (THROTTLING_CODES.has(code) && isDailyQuota(error)) {
    return new DeliveryError(
      'ses_daily_quota_exceeded',
      `SES daily sending quota exceeded: ${message}`,
      {
        fix: 'wait until the quota resets (24 hours) or request a higher quota in the SES console',
        cause: error,
      },
    );
  }
  if (THROTTLING_CODES.has(code)) {
    return new DeliveryError(
      'ses_throttled',
      `SES throttled the email ${attempts} times: ${message}`,
      {
        fix: 'retry the delivery later or request a higher sending rate for this region',
        cause: error,
      },
    );
  }

  return new DeliveryError('ses_send_failed', `SES SendRawEmail failed: ${code}: ${message}`, {
    cause: error,
  });
}

/** Region named by SES ("… in region US-EAST-1: …"), else the client's configured region. */
async function regionOf(ses: SESClient, message: string): Promise<string> {
  const named = /in region ([A-Za-z0-9-]+)/.exec(message)?.[1];
  if (named) return named.toLowerCase();
  try {
    return await ses.config.region();
  } catch {
    return 'the configured region';
  }
}

function notVerifiedError(message: string, region: string, cause: unknown): DeliveryError {
  const identities =
    /check in region [A-Za-z0-9-]+:\s*(.+)$/.exec(message)?.[1]?.trim() ??
    'the sender or a recipient';

  return new DeliveryError(
    'ses_identity_not_verified',
    `SES rejected the email: ${identities} not verified in region ${region}`,
    {
      fix: `verify ${identities} in SES in region ${region} (identities are per region), or request production access there so recipients need no verification`,
      cause,
    },
  );
}
