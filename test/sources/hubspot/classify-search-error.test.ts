import { describe, expect, it } from 'vitest';
import {
  classifySearchError,
  parseRetryAfter,
} from '../../../src/sources/hubspot/classify-search-error.ts';

const NOW = new Date('2026-11-30T07:00:00.000Z');

/** Builds an error shaped like the SDK's ApiException. */
function apiException(code: number, body: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });
}

describe('classifySearchError', () => {
  it.each([
    { status: 401, code: 'hubspot_unauthorized' },
    { status: 403, code: 'hubspot_forbidden' },
    { status: 400, code: 'hubspot_bad_request' },
    { status: 404, code: 'hubspot_request_failed' },
  ])('returns permanent $code for HTTP $status', ({ status, code }) => {
    const failure = classifySearchError(apiException(status, { message: 'No.' }), NOW);

    expect(failure).toMatchObject({ kind: 'permanent', error: { code, retryable: false } });
  });

  it.each([408, 500, 502, 503, 504])('returns transient for HTTP %i', (status) => {
    const failure = classifySearchError(apiException(status, 'upstream'), NOW);

    expect(failure).toEqual({ kind: 'transient', status, reason: 'upstream' });
  });

  it('reads Retry-After from a 429', () => {
    const error = apiException(
      429,
      { message: 'You have reached your secondly limit.' },
      { 'retry-after': '2' },
    );

    const failure = classifySearchError(error, NOW);

    expect(failure).toEqual({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 2000,
      reason: 'You have reached your secondly limit',
    });
  });

  it('waits 10 s for the ten-second policy', () => {
    const error = apiException(429, {
      message: 'You have reached your ten_secondly_rolling limit.',
      policyName: 'TEN_SECONDLY_ROLLING',
    });

    const failure = classifySearchError(error, NOW);

    expect(failure).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
  });

  it('leaves the secondly policy to backoff', () => {
    const error = apiException(429, {
      message: 'You have reached your secondly limit.',
      policyName: 'SECONDLY',
    });

    const failure = classifySearchError(error, NOW);

    expect(failure).toMatchObject({ kind: 'rate_limited', retryAfterMs: null });
  });

  it('quotes HubSpot message without a doubled period', () => {
    const failure = classifySearchError(apiException(401, { message: 'Token expired.' }), NOW);

    expect(failure?.kind).toBe('permanent');
    const message = failure?.kind === 'permanent' ? failure.error.message : '';
    expect(message).toMatch(/Token expired\. Fix: /);
  });

  it('returns null for a programming error', () => {
    const failure = classifySearchError(new TypeError('x is undefined'), NOW);

    expect(failure).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it.each([
    { value: undefined, expected: null },
    { value: '', expected: null },
    { value: '0', expected: 0 },
    { value: '3', expected: 3000 },
    { value: '1.5', expected: 1500 },
    { value: 'Mon, 30 Nov 2026 07:00:10 GMT', expected: 10_000 },
    { value: 'Mon, 30 Nov 2026 06:59:00 GMT', expected: 0 },
    { value: 'soon', expected: null },
  ])('returns $expected for "$value"', ({ value, expected }) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
