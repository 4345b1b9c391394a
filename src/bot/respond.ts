import type { KnownBlock } from '@slack/types';
import { DeliveryError } from '../shared/errors.ts';

/** A message for a slash command's `response_url`. */
export interface ResponsePayload {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
  replace_original?: boolean;
}

/**
 * Checks that a `response_url` is HTTPS, or plain HTTP on loopback for local use, so a job never
 * posts report data anywhere else.
 */
export function checkResponseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DeliveryError('response_url_invalid', `Invalid response_url "${url.slice(0, 80)}"`, {
      fix: 'the URL comes from Slack; check that the request reached the bot unchanged',
    });
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new DeliveryError('response_url_invalid', `Rejected response_url ${parsed.origin}`, {
      fix: 'Slack response URLs are HTTPS; plain HTTP is only accepted on 127.0.0.1 or ::1',
    });
  }

  return parsed;
}

/**
 * Posts a message to a `response_url`. Slack accepts up to 5 posts within 30 minutes of the
 * command. A non-2xx status becomes a DeliveryError.
 */
export async function postToResponseUrl(
  url: string,
  payload: ResponsePayload,
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  const target = checkResponseUrl(url);
  const response = await fetchFn(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ replace_original: false, ...payload }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    const detail = (await response.text()).slice(0, 200);
    throw new DeliveryError(
      'response_url_failed',
      `Posting to response_url returned ${response.status}: ${detail}`,
      {
        fix: 'response URLs expire 30 minutes after the command and accept 5 posts; run the command again',
      },
    );
  }
}
