import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../../src/shared/errors.ts';
import type { RetryableFailure } from '../../../src/sources/meta/read-graph-response.ts';
import {
  backoffMs,
  MAX_SLOWDOWN_MS,
  planRetry,
  slowdownMs,
  WaitBudget,
} from '../../../src/sources/meta/retry-policy.ts';

function failure(
  reason: RetryableFailure['reason'],
  waitHintMs: number | null = null,
): RetryableFailure {
  return { reason, detail: 'Graph error 17', waitHintMs, fbtraceId: 'ATrace' };
}

function thrown(action: () => unknown): SourceError {
  try {
    action();
  } catch (error) {
    return error as SourceError;
  }
  throw new Error('expected an error');
}

describe('backoffMs', () => {
  it.each([
    { reason: 'transient', retry: 0, random: 0, expected: 500 },
    { reason: 'transient', retry: 0, random: 1, expected: 1000 },
    { reason: 'transient', retry: 3, random: 1, expected: 8000 },
    { reason: 'transient', retry: 10, random: 1, expected: 30_000 },
    { reason: 'rate_limit', retry: 0, random: 0, expected: 15_000 },
    { reason: 'rate_limit', retry: 1, random: 1, expected: 60_000 },
    { reason: 'rate_limit', retry: 9, random: 1, expected: 300_000 },
  ] as const)(
    'returns $expected for $reason retry $retry',
    ({ reason, retry, random, expected }) => {
      expect(backoffMs(reason, retry, () => random)).toBe(expected);
    },
  );
});

describe('slowdownMs', () => {
  it.each([
    { usage: null, expected: 0 },
    { usage: 50, expected: 0 },
    { usage: 80, expected: 0 },
    { usage: 90, expected: MAX_SLOWDOWN_MS / 2 },
    { usage: 100, expected: MAX_SLOWDOWN_MS },
    { usage: 140, expected: MAX_SLOWDOWN_MS },
  ])('returns $expected at $usage %', ({ usage, expected }) => {
    expect(slowdownMs(usage)).toBe(expected);
  });
});

describe('WaitBudget', () => {
  it('allows waits up to the maximum', () => {
    const budget = new WaitBudget(1000);

    budget.spend(600);

    expect(budget.allows(400)).toBe(true);
    expect(budget.allows(401)).toBe(false);
    expect(budget.remainingMs).toBe(400);
  });
});

describe('planRetry', () => {
  it('returns the header wait when there is one', () => {
    expect(planRetry(failure('rate_limit', 120_000), 0, new WaitBudget(600_000), 'act_1')).toBe(
      120_000,
    );
  });

  it('throws meta_rate_limited past the budget', () => {
    const error = thrown(() =>
      planRetry(failure('rate_limit', 720_000), 0, new WaitBudget(600_000), 'act_1'),
    );

    expect(error.code).toBe('meta_rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('12 min');
  });

  it('throws meta_unavailable after four transient retries', () => {
    const error = thrown(() =>
      planRetry(failure('transient'), 4, new WaitBudget(600_000), 'act_1'),
    );

    expect(error.code).toBe('meta_unavailable');
    expect(error.message).toContain('failed 5 times');
  });

  it('throws meta_response_invalid after two invalid bodies', () => {
    const error = thrown(() =>
      planRetry(failure('invalid_body'), 2, new WaitBudget(600_000), 'act_1'),
    );

    expect(error.code).toBe('meta_response_invalid');
  });
});
