import { SourceError } from '../../shared/errors.ts';

/**
 * Graph API error handling. An error body has the shape
 * `{"error":{"message":"(#17) User request limit reached","type":"OAuthException","code":17,
 * "error_subcode":2446079,"is_transient":true,"fbtrace_id":"AExampleTrace123"}}`.
 */

/** The fields of a Graph API error body that decide how the client reacts. */
export interface GraphError {
  message: string;
  code: number;
  subcode: number | null;
  isTransient: boolean | null;
  fbtraceId: string | null;
}

/**
 * Client reaction to a Graph error: `rate_limit` waits as long as Meta requests and retries,
 * `transient` retries with backoff a few times, and `permanent` fails at once.
 */
export type GraphErrorKind = 'rate_limit' | 'transient' | 'permanent';

/** Application (4), user (17), page (32) and custom (613) rate limits. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
/** Business use case throttles: 80000 ads_insights, 80004 ads_management and the rest. */
// TODO: Meta's error reference confirms only some codes in 80005–80014; all count as rate limits.
const BUC_THROTTLE_MIN = 80_000;
const BUC_THROTTLE_MAX = 80_014;
/** Unknown error (1) and temporary service problem (2). */
const TRANSIENT_CODES = new Set([1, 2]);
/** Code 100 subcode 1504018: the synchronous insights call timed out on Meta's side. */
const INSIGHTS_TIMEOUT_SUBCODE = 1_504_018;

/** Reads the Graph error from a parsed response body, or returns null when there is none. */
export function parseGraphError(body: unknown): GraphError | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  const error = body.error;
  const code = Number(error.code);
  const subcode = Number(error.error_subcode);

  return {
    message: typeof error.message === 'string' ? error.message : '(no message)',
    code: Number.isInteger(code) ? code : 0,
    subcode: Number.isInteger(subcode) ? subcode : null,
    isTransient: typeof error.is_transient === 'boolean' ? error.is_transient : null,
    fbtraceId: typeof error.fbtrace_id === 'string' ? error.fbtrace_id : null,
  };
}

/** Decides whether a Graph error is worth retrying; `status` is the HTTP status it came with. */
export function classifyGraphError(error: GraphError, status: number): GraphErrorKind {
  if (isPermissionOrTokenError(error)) return 'permanent';
  if (RATE_LIMIT_CODES.has(error.code)) return 'rate_limit';
  if (error.code >= BUC_THROTTLE_MIN && error.code <= BUC_THROTTLE_MAX) return 'rate_limit';
  if (TRANSIENT_CODES.has(error.code)) return 'transient';
  if (error.code === 100 && error.subcode === INSIGHTS_TIMEOUT_SUBCODE) return 'transient';
  if (error.isTransient === true || status >= 500) return 'transient';

  return 'permanent';
}

function isPermissionOrTokenError(error: GraphError): boolean {
  const { code, subcode } = error;

  return (
    code === 190 || code === 10 || (code >= 200 && code <= 299) || (code === 100 && subcode === 33)
  );
}

/**
 * Builds the error for a Graph error that retrying cannot fix, with the fix for its cause.
 * The message names the ad account and the `fbtrace_id` that Meta support requests.
 */
export function permanentGraphError(error: GraphError, accountId: string): SourceError {
  const cause = describePermanentCause(error, accountId);
  const trace = error.fbtraceId ? `, fbtrace_id ${error.fbtraceId}` : '';
  const subcode = error.subcode === null ? '' : `/${error.subcode}`;
  const message = `${cause.summary} (Graph error ${error.code}${subcode}${trace}): ${error.message}`;

  return new SourceError(cause.code, message, { fix: cause.fix, retryable: false });
}

interface PermanentCause {
  code: string;
  summary: string;
  fix: string;
}

function describePermanentCause(error: GraphError, accountId: string): PermanentCause {
  if (error.code === 190) {
    return {
      code: 'meta_token_invalid',
      summary: 'Meta rejected the access token as expired or invalid',
      fix: 'renew the system user token in Business Settings > System users and store it as META_ACCESS_TOKEN',
    };
  }
  // 270 lies inside the 200–299 permission range, so it is checked first.
  if (error.code === 270) {
    return {
      code: 'meta_access_tier',
      summary: `Meta does not allow this call for ${accountId} with development access`,
      fix: 'request Standard (Limited) or higher Marketing API access for the app in the App Dashboard',
    };
  }
  if (error.code === 10 || (error.code >= 200 && error.code <= 299)) {
    return {
      code: 'meta_permission_denied',
      summary: `Meta denied access to ad account ${accountId}`,
      fix: `grant the system user the ads_read permission and assign it to ad account ${accountId} in Business Settings`,
    };
  }
  if (error.code === 100 && error.subcode === 33) {
    return {
      code: 'meta_account_not_found',
      summary: `Ad account ${accountId} was not found or is not accessible`,
      fix: `check the ad account id ${accountId}; if it is right, the app may be in Development mode, where it sees only data of people with a role on the app, so switch the app to Live`,
    };
  }

  return {
    code: 'meta_request_failed',
    summary: `Meta rejected the request for ${accountId}`,
    fix: 'check the request parameters and the Graph API version in the config (meta.apiVersion)',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
