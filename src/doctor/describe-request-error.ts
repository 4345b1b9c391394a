import { errorMessage } from './check-result.ts';

/** Error codes of a connection the server refused or that never reached it. */
const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'APIConnectionTimeoutError']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Describes a request that got no HTTP response, e.g. `request to http://127.0.0.1:9/me failed:
 * connection refused` or `request to … timed out after 3 s`. It reads the error and its `cause`
 * chain, because fetch, the SDKs and Node wrap the socket error differently.
 */
export function describeRequestError(error: unknown, url: string, timeoutMs: number): string {
  const chain = causeChain(error);
  if (chain.some(isTimeout)) return `request to ${url} timed out after ${timeoutMs / 1000} s`;
  for (const link of chain) {
    const reason = CONNECTION_REASONS[codeOf(link) ?? ''];
    if (reason) return `request to ${url} failed: ${reason}`;
  }
  const deepest = chain.at(-1);
  const message = deepest instanceof Error ? deepest.message || deepest.name : String(deepest);

  return `request to ${url} failed: ${message}`;
}

/** Describes an HTTP response that is not the API's, e.g. `HTTP 500 from http://…/me: …`. */
export function describeBadResponse(status: number, url: string, problem: string): string {
  return `HTTP ${status} from ${url}: ${problem}`;
}

/** The URL of a request and its time limit in milliseconds, named in failure details. */
export interface RequestTarget {
  url: string;
  timeoutMs: number;
}

/**
 * A failed request that a check reports without a service-specific reason: an HTTP error
 * response (its status and body text), no response at all, or an error of any other kind.
 */
export type RequestFailure =
  | { kind: 'bad_response'; status: number; body: string }
  | { kind: 'no_response'; error: unknown }
  | { kind: 'other'; error: unknown };

/** Describes a failed request to `target` for a check's detail. */
export function describeRequestFailure(target: RequestTarget, failure: RequestFailure): string {
  if (failure.kind === 'bad_response') {
    return describeBadResponse(failure.status, target.url, bodyExcerpt(failure.body));
  }
  if (failure.kind === 'no_response') {
    return describeRequestError(failure.error, target.url, target.timeoutMs);
  }

  return `request to ${target.url} failed: ${errorMessage(failure.error)}`;
}

/** Returns the first 120 characters of a body, on one line, for a failure detail. */
export function bodyExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();

  return line.length > 120 ? `${line.slice(0, 120)}…` : line || '(empty body)';
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 6) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }

  return chain;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown })?.code;

  return typeof code === 'string' ? code : undefined;
}

function isTimeout(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  if (TIMEOUT_NAMES.has(value.name) || TIMEOUT_CODES.has(codeOf(value) ?? '')) return true;

  // The HubSpot client's agent destroys a silent socket with this message.
  return /timed? ?out|sent no data/i.test(value.message);
}
