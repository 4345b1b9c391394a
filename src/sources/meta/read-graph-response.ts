import { SourceError } from '../../shared/errors.ts';
import { classifyGraphError, parseGraphError, permanentGraphError } from './graph-errors.ts';
import type { RetryReason } from './retry-policy.ts';

type JsonObject = Record<string, unknown>;

/** A failed attempt that may succeed when repeated. */
export interface RetryableFailure {
  reason: RetryReason;
  /** Description of the failure for logs and the final error, e.g. `Graph error 17/2446079: …`. */
  detail: string;
  /** The wait that the usage headers request for a rate limit, or null. */
  waitHintMs: number | null;
  fbtraceId: string | null;
}

export type AttemptResult =
  | { ok: true; body: JsonObject }
  | { ok: false; failure: RetryableFailure };

/**
 * Reads one HTTP response of the Graph API. Returns the parsed body, or a failure that is worth
 * retrying. Throws a `SourceError` for a failure that retrying cannot fix. Only rate limits take
 * the header wait, because `reset_time_duration` is also sent when nothing is throttled.
 */
export function readGraphResponse(
  status: number,
  text: string,
  waitHintMs: number | null,
  accountId: string,
): AttemptResult {
  const body = parseJson(text);
  const graphError = parseGraphError(body);
  if (graphError) {
    const kind = classifyGraphError(graphError, status);
    if (kind === 'permanent') throw permanentGraphError(graphError, accountId);
    const subcode = graphError.subcode === null ? '' : `/${graphError.subcode}`;
    const detail = `Graph error ${graphError.code}${subcode}: ${graphError.message}`;

    const hint = kind === 'rate_limit' ? waitHintMs : null;

    return retry({ reason: kind, detail, waitHintMs: hint, fbtraceId: graphError.fbtraceId });
  }
  if (status === 429)
    return retry({ reason: 'rate_limit', detail: 'HTTP 429', waitHintMs, fbtraceId: null });
  if (status >= 500)
    return retry({
      reason: 'transient',
      detail: `HTTP ${status}`,
      waitHintMs: null,
      fbtraceId: null,
    });
  if (status < 200 || status >= 300) {
    throw new SourceError(
      'meta_request_failed',
      `Meta API returned HTTP ${status} for ${accountId} without a Graph error`,
      {
        fix: 'check that meta.baseUrl points at the Graph API, e.g. https://graph.facebook.com',
      },
    );
  }
  if (!isObject(body)) {
    const detail = `HTTP ${status} body is not a JSON object: ${preview(text)}`;

    return retry({ reason: 'invalid_body', detail, waitHintMs: null, fbtraceId: null });
  }

  return { ok: true, body };
}

/** Returns the parsed JSON, or undefined when `text` is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function retry(failure: RetryableFailure): AttemptResult {
  return { ok: false, failure };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();

  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat || '(empty)';
}
