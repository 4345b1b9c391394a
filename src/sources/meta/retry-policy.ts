import { SourceError } from '../../shared/errors.ts';
import type { RetryableFailure } from './read-graph-response.ts';

/** Reason for a retry. Each reason has its own backoff and retry limit. */
export type RetryReason = 'rate_limit' | 'transient' | 'invalid_body';

interface BackoffRule {
  baseMs: number;
  capMs: number;
  /** Retries of one request before the client gives up; rate limits are bounded by time instead. */
  maxRetries: number;
}

/**
 * Meta blocks a throttled app or ad account for minutes (60 s to 300 s for the Ads Management
 * score), so rate limits back off from 30 s. Server errors and resets usually clear within seconds.
 */
export const BACKOFF_RULES: Readonly<Record<RetryReason, BackoffRule>> = {
  rate_limit: { baseMs: 30_000, capMs: 300_000, maxRetries: Number.POSITIVE_INFINITY },
  transient: { baseMs: 1_000, capMs: 30_000, maxRetries: 4 },
  invalid_body: { baseMs: 1_000, capMs: 30_000, maxRetries: 2 },
};

/** Usage percentage above which the client pauses before each request. */
export const SLOWDOWN_THRESHOLD_PCT = 80;
/** Pause at 100 % usage; the pause grows linearly from 0 at the threshold. */
export const MAX_SLOWDOWN_MS = 60_000;

/**
 * Returns the wait before retry number `retry` (0 for the first) as exponential backoff with
 * equal jitter: between half and all of `base × 2^retry`, capped.
 */
export function backoffMs(reason: RetryReason, retry: number, random = Math.random): number {
  const rule = BACKOFF_RULES[reason];
  const ceiling = Math.min(rule.capMs, rule.baseMs * 2 ** retry);

  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Returns the pause before the next request when the last response reported high usage. */
export function slowdownMs(usagePct: number | null): number {
  if (usagePct === null || usagePct <= SLOWDOWN_THRESHOLD_PCT) return 0;
  const share = Math.min(1, (usagePct - SLOWDOWN_THRESHOLD_PCT) / (100 - SLOWDOWN_THRESHOLD_PCT));

  return Math.round(share * MAX_SLOWDOWN_MS);
}

/** Time spent waiting within one call chain, checked against the chain's budget. */
export class WaitBudget {
  #spentMs = 0;

  constructor(readonly maxWaitMs: number) {}

  get spentMs(): number {
    return this.#spentMs;
  }

  get remainingMs(): number {
    return Math.max(0, this.maxWaitMs - this.#spentMs);
  }

  /** True when a wait of `ms` still fits in the budget. */
  allows(ms: number): boolean {
    return this.#spentMs + ms <= this.maxWaitMs;
  }

  spend(ms: number): void {
    this.#spentMs += ms;
  }
}

/**
 * Returns the wait before retry number `retry` (0 for the first) of one request: the wait the
 * headers name, else backoff. Throws a retryable `SourceError` when the reason's retry limit is
 * reached or the wait would overrun the chain's budget.
 */
export function planRetry(
  failure: RetryableFailure,
  retry: number,
  budget: WaitBudget,
  accountId: string,
): number {
  const attempts = retry + 1;
  if (retry >= BACKOFF_RULES[failure.reason].maxRetries) {
    throw giveUpError(failure, `failed ${attempts} times`, accountId);
  }
  const waitMs = failure.waitHintMs ?? backoffMs(failure.reason, retry);
  if (!budget.allows(waitMs)) {
    const overrun = `the next wait of ${formatMinutes(waitMs)} would exceed the ${formatMinutes(budget.maxWaitMs)} budget`;
    throw giveUpError(failure, `failed ${attempts} times and ${overrun}`, accountId);
  }

  return waitMs;
}

function giveUpError(failure: RetryableFailure, outcome: string, accountId: string): SourceError {
  const trace = failure.fbtraceId ? `, fbtrace_id ${failure.fbtraceId}` : '';
  const message = `Meta API request for ${accountId} ${outcome} (${failure.detail}${trace})`;
  if (failure.reason === 'rate_limit') {
    return new SourceError('meta_rate_limited', message, {
      retryable: true,
      fix: 'run the report again later, once the Meta rate limit has reset',
    });
  }
  if (failure.reason === 'invalid_body') {
    return new SourceError('meta_response_invalid', message, {
      retryable: true,
      fix: 'check that meta.baseUrl points at the Graph API with no proxy rewriting responses, then run again',
    });
  }

  return new SourceError('meta_unavailable', message, {
    retryable: true,
    fix: 'run the report again later; Meta or the network had a temporary fault',
  });
}

function formatMinutes(ms: number): string {
  return `${Math.round((ms / 60_000) * 10) / 10} min`;
}
