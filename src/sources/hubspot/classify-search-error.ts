import { SourceError } from '../../shared/errors.ts';
import { maskSecrets } from '../../shared/logger.ts';

/** Outcome of a failed search request: wait and retry, retry with backoff, or give up. */
export type SearchFailure =
  | { kind: 'rate_limited'; status: 429; retryAfterMs: number | null; reason: string }
  | { kind: 'transient'; status: number | null; reason: string }
  | { kind: 'permanent'; error: SourceError };

/** The shape of the SDK's `ApiException`: HTTP status, parsed error body and response headers. */
interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Wait after a 429 of HubSpot's `TEN_SECONDLY_ROLLING` policy that sent no `Retry-After`. */
const TEN_SECONDLY_WAIT_MS = 10_000;

const TOKEN_FIX =
  'create a HubSpot private-app access token with the crm.objects.contacts.read scope and ' +
  'store it as HUBSPOT_ACCESS_TOKEN (locally) or in the adreport secret (deployed)';

/**
 * Sorts a search error into rate limit, transient fault or permanent fault. Errors that are
 * neither an HTTP error nor a known transport or parse failure are returned as `null` so the
 * caller rethrows them unchanged.
 */
export function classifySearchError(error: unknown, now: Date): SearchFailure | null {
  if (isApiException(error)) return classifyHttpError(error, now);
  if (!(error instanceof Error)) return null;
  // node-fetch rejects with a FetchError for refused, reset and timed-out connections.
  if (error.name === 'FetchError')
    return { kind: 'transient', status: null, reason: error.message };
  // The SDK parses bodies by Content-Type. A cut-off JSON body throws a SyntaxError, and a body
  // without a Content-Type throws a plain Error with one of these messages.
  if (error instanceof SyntaxError || /^(Cannot parse content|The mediaType)/.test(error.message)) {
    return { kind: 'transient', status: null, reason: `malformed response body: ${error.message}` };
  }

  return null;
}

function classifyHttpError(error: ApiExceptionLike, now: Date): SearchFailure {
  const status = error.code;
  const detail = errorDetail(error.body);
  if (status === 429) return classifyRateLimit(error, detail, now);
  if (status === 408 || status >= 500) return { kind: 'transient', status, reason: detail };

  return { kind: 'permanent', error: permanentError(status, detail) };
}

function classifyRateLimit(error: ApiExceptionLike, detail: string, now: Date): SearchFailure {
  if (/daily/i.test(detail)) {
    return {
      kind: 'permanent',
      error: new SourceError('hubspot_daily_limit', `HubSpot daily API limit reached: ${detail}`, {
        fix: 'run the report again after the limit resets at midnight in the HubSpot account time zone, or raise the limit with HubSpot',
        retryable: true,
      }),
    };
  }

  const retryAfterMs = parseRetryAfter(error.headers['retry-after'], now);
  const policyName = (error.body as { policyName?: unknown } | null)?.policyName;
  // The ten-second burst limit frees up only as its rolling window moves on.
  const policyWaitMs = policyName === 'TEN_SECONDLY_ROLLING' ? TEN_SECONDLY_WAIT_MS : null;

  return {
    kind: 'rate_limited',
    status: 429,
    retryAfterMs: retryAfterMs ?? policyWaitMs,
    reason: detail,
  };
}

function permanentError(status: number, detail: string): SourceError {
  if (status === 401) {
    return new SourceError(
      'hubspot_unauthorized',
      `HubSpot rejected the access token (HTTP 401): ${detail}`,
      {
        fix: TOKEN_FIX,
      },
    );
  }
  if (status === 403) {
    return new SourceError(
      'hubspot_forbidden',
      `HubSpot denied the contacts search (HTTP 403): ${detail}`,
      {
        fix: 'grant the private app the crm.objects.contacts.read scope in HubSpot (Settings, Integrations, Private apps), then store the token again if HubSpot issued a new one',
      },
    );
  }
  if (status === 400) {
    return new SourceError(
      'hubspot_bad_request',
      `HubSpot rejected the contacts search (HTTP 400): ${detail}`,
      {
        fix: 'check the property names and operators in hubspot.leadFilterGroups; every filtered property must exist in the HubSpot portal',
      },
    );
  }

  return new SourceError(
    'hubspot_request_failed',
    `HubSpot contacts search failed (HTTP ${status}): ${detail}`,
    {
      fix: 'check hubspot.baseUrl (or ADREPORT_HUBSPOT_BASE_URL) and the HubSpot status page',
    },
  );
}

function isApiException(error: unknown): error is ApiExceptionLike {
  if (!(error instanceof Error)) return false;
  const candidate = error as Partial<ApiExceptionLike>;

  return (
    typeof candidate.code === 'number' && 'body' in error && typeof candidate.headers === 'object'
  );
}

/**
 * HubSpot's own message from an error body, cut to one short line. Registered secrets are masked,
 * because the message can quote the token and it reaches the report, the run record and ops.
 */
function errorDetail(body: unknown): string {
  const message =
    typeof body === 'string'
      ? body
      : typeof (body as { message?: unknown } | null)?.message === 'string'
        ? (body as { message: string }).message
        : 'no error message';
  // AdreportError appends ". Fix: …", so a closing period would be doubled.
  const line = maskSecrets(message).replace(/\s+/g, ' ').trim().replace(/\.+$/, '');

  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Parses `Retry-After` as seconds or an HTTP date, returning null when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;

  return Math.max(0, date - now.getTime());
}
