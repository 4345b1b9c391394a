import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { DeliveryError } from '../shared/errors.ts';

const FIXES: Record<string, string> = {
  not_in_channel: 'invite the app to the channel (type /invite @adreport in it) and run again',
  channel_not_found:
    'check that slackChannel in the config is a channel id (C…) in the workspace where the app is installed',
  is_archived: 'unarchive the channel or set another slackChannel in the config',
  invalid_blocks:
    'the Block Kit payload broke a Slack limit; run the report with --out to inspect the JSON and report it as a bug',
  msg_blocks_too_long:
    'the Block Kit payload is too long; run the report with --out to inspect the JSON and report it as a bug',
  invalid_auth: 'check SLACK_BOT_TOKEN in the secret: it must be the xoxb- bot token of the app',
  not_authed: 'set SLACK_BOT_TOKEN in the secret',
  token_revoked: 'reinstall the app in the workspace and store the new SLACK_BOT_TOKEN',
  account_inactive: 'reinstall the app in the workspace and store the new SLACK_BOT_TOKEN',
  missing_scope: 'add the scopes in slack/manifest.yml to the app and reinstall it',
  ratelimited: 'Slack kept rate-limiting the request; run again later',
};

/** Slack error codes after which a new token may help (the secret should be re-read). */
export const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'account_inactive',
]);

/** Returns the Slack error code of a Web API failure (`not_in_channel`, …), or the SDK code. */
export function slackErrorCode(error: unknown): string {
  const callError = error as Partial<WebAPICallError> & {
    data?: { error?: string };
    original?: Error;
  };
  if (callError?.code === ErrorCode.PlatformError && callError.data?.error) {
    return callError.data.error;
  }
  if (callError?.code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (callError?.code === ErrorCode.HTTPError) return 'http_error';
  // After its last retry on HTTP 429 the WebClient throws a request error wrapping this message.
  if (callError?.code === ErrorCode.RequestError) {
    return /rate limit was exceeded/i.test(callError.original?.message ?? '')
      ? 'ratelimited'
      : 'request_error';
  }

  return 'unknown_error';
}

/**
 * Converts a Web API failure into a DeliveryError with the Slack error code and a fix. `what`
 * names the call, e.g. "chat.postMessage to C0123456789".
 */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  const code = slackErrorCode(error);
  const fix =
    FIXES[code] ??
    (code === 'request_error' || code === 'http_error'
      ? 'check the network path to the Slack API (slack.apiUrl in the config) and run again'
      : 'see the Slack API documentation for this error code');

  return new DeliveryError(`slack_${code}`, `Slack ${what} failed: ${code}`, { fix, cause: error });
}
