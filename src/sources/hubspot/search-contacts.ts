import type { Client } from '@hubspot/api-client';
import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { SourceError } from '../../shared/errors.ts';
import { logger } from '../../shared/logger.ts';
import { classifySearchError, type SearchFailure } from './classify-search-error.ts';
import { CLIENT_CALL_OPTIONS } from './hubspot-client.ts';
import { type Clock, createRateLimiter, type RateLimiter } from './rate-limiter.ts';

/** A search response as JSON, with dates as ISO strings and properties as strings or null. */
export interface SearchPageBody {
  total: number;
  results: Array<{
    id: string;
    properties: Record<string, string | null>;
    createdAt?: string;
    updatedAt?: string;
    archived?: boolean;
  }>;
  paging?: { next?: { after: string } };
}

/** Retry state shared by every request of one fetch. */
export interface RetryBudget extends Clock {
  /** Total milliseconds all retries of the fetch may wait. */
  maxWaitMs: number;
  waitedMs: number;
}

/**
 * Search requests per second that the limiter allows. HubSpot's search API allows 4 per token,
 * and some integrations report 5 per account, so 4 stays within both.
 */
export const SEARCH_REQUESTS_PER_SECOND = 4;
/** Attempts per page before a retryable failure becomes an error. */
export const MAX_ATTEMPTS_PER_PAGE = 6;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

// One limiter per client, so consecutive fetches with the same token share the request budget.
const limiters = new WeakMap<Client, RateLimiter>();

/**
 * Runs one contacts search request and returns the response as JSON. Starts are throttled to
 * 4 per second per client. A 429 waits for `Retry-After` (or backs off) and repeats the same
 * request, and 5xx, timeouts and malformed bodies back off and repeat it too. Every wait counts
 * against `budget.maxWaitMs`. 401, 403 and 400 throw a SourceError at once.
 */
export async function searchContacts(
  client: Client,
  request: PublicObjectSearchRequest,
  budget: RetryBudget,
): Promise<SearchPageBody> {
  for (let attempt = 1; ; attempt++) {
    await limiterFor(client).acquire(budget);
    let failure: SearchFailure | null;
    try {
      return toPageBody(await client.crm.contacts.searchApi.doSearch(request, CLIENT_CALL_OPTIONS));
    } catch (error) {
      failure = classifySearchError(error, budget.now());
      if (failure === null) throw error;
    }
    if (failure.kind === 'permanent') throw failure.error;
    const waitMs = retryWait(failure, attempt);
    checkBudget(failure, attempt, waitMs, budget);
    logger.warn('Retrying HubSpot search', {
      status: failure.status,
      reason: failure.reason,
      attempt,
      waitMs,
      after: request.after ?? null,
    });
    budget.waitedMs += waitMs;
    await budget.sleep(waitMs);
  }
}

function limiterFor(client: Client): RateLimiter {
  let limiter = limiters.get(client);
  if (!limiter) {
    limiter = createRateLimiter({ maxRequests: SEARCH_REQUESTS_PER_SECOND, intervalMs: 1000 });
    limiters.set(client, limiter);
  }

  return limiter;
}

function retryWait(
  failure: Exclude<SearchFailure, { kind: 'permanent' }>,
  attempt: number,
): number {
  if (failure.kind === 'rate_limited' && failure.retryAfterMs !== null) return failure.retryAfterMs;

  return Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
}

function checkBudget(
  failure: Exclude<SearchFailure, { kind: 'permanent' }>,
  attempt: number,
  waitMs: number,
  budget: RetryBudget,
): void {
  const outOfAttempts = attempt >= MAX_ATTEMPTS_PER_PAGE;
  if (!outOfAttempts && budget.waitedMs + waitMs <= budget.maxWaitMs) return;
  const summary =
    failure.kind === 'rate_limited'
      ? 'HubSpot kept rate-limiting the contacts search (HTTP 429)'
      : `HubSpot contacts search kept failing (${failure.status === null ? 'no HTTP response' : `HTTP ${failure.status}`})`;
  const limit = outOfAttempts
    ? `after ${attempt} attempts`
    : `and the next wait of ${waitMs} ms would pass the ${budget.maxWaitMs} ms retry budget`;
  throw new SourceError(
    failure.kind === 'rate_limited' ? 'hubspot_rate_limited' : 'hubspot_unavailable',
    `${summary} ${limit}: ${failure.reason}`,
    {
      fix: 'run the report again later; if it keeps happening, check other apps that use the same HubSpot account',
      retryable: true,
    },
  );
}

/**
 * Converts the SDK's response model back to JSON, so `Date` fields become ISO strings again and
 * an invalid date becomes null. Throws a SyntaxError, which the caller retries, when the body
 * lacks `total` or `results`.
 */
function toPageBody(response: unknown): SearchPageBody {
  const body = JSON.parse(JSON.stringify(response)) as Partial<SearchPageBody> | null;
  const valid =
    body !== null &&
    typeof body.total === 'number' &&
    Array.isArray(body.results) &&
    body.results.every((result) => typeof result?.id === 'string' && isObject(result.properties));
  if (!valid) throw new SyntaxError('search response lacks total, results or result ids');

  return body as SearchPageBody;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
