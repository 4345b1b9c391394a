import { LogLevel, type RetryOptions, WebClient } from '@slack/web-api';

/**
 * Retries of one Web API call: 3 after the first attempt. On HTTP 429 the WebClient also waits
 * the `Retry-After` seconds Slack sends before each retry, so the total stays well inside a
 * 15-minute Lambda run unless Slack requests long pauses.
 */
export const SLACK_RETRY: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
};

/**
 * Creates a Web API client for the bot token. `apiUrl` points it at a loopback fake in tests and
 * local runs; `retryConfig` lets tests retry without real pauses.
 */
export function createSlackClient(
  token: string,
  options: { apiUrl?: string; retryConfig?: RetryOptions; timeoutMs?: number } = {},
): WebClient {
  return new WebClient(token, {
    slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
    // The WebClient hands retryConfig to p-retry whole, so p-retry's onFailedAttempt applies,
    // although the RetryOptions type leaves it out.
    retryConfig: {
      ...(options.retryConfig ?? SLACK_RETRY),
      onFailedAttempt: stopAfterTimeout,
    } as RetryOptions,
    timeout: options.timeoutMs ?? 15_000,
    rejectRateLimitedCalls: false,
    // The client logs request bodies at debug level and each failed attempt as a plain-text
    // warning. ERROR keeps report content out of the logs and leaves failures to the JSON log
    // lines of the caller.
    logLevel: LogLevel.ERROR,
  });
}

/**
 * Ends the retries after a call that timed out. Slack may have handled the request before the
 * client gave up, and chat.postMessage has no idempotency key, so a retry could post the same
 * message again. A refused connection, a 5xx or a 429 is still retried.
 *
 * NOTE: the run still reports such a post as failed and releases its claim, so a later run posts
 * it again, which repeats it if Slack did post it.
 */
function stopAfterTimeout(error: Error): void {
  const original = (error as { original?: unknown }).original;
  if (original instanceof Error && original.name === 'TimeoutError') throw error;
}
