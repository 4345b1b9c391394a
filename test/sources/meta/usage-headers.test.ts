import { describe, expect, it } from 'vitest';
import { readUsage } from '../../../src/sources/meta/usage-headers.ts';

function headers(values: Record<string, unknown>): Headers {
  const entries = Object.entries(values).map(([name, value]) => [
    name,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);

  return new Headers(entries as Array<[string, string]>);
}

describe('readUsage', () => {
  it('returns nulls without usage headers', () => {
    expect(readUsage(new Headers())).toEqual({ maxPct: null, waitHintMs: null, accessTier: null });
  });

  it('takes the highest percentage of every header', () => {
    const usage = readUsage(
      headers({
        'x-app-usage': { call_count: 12, total_cputime: 3, total_time: 4 },
        'x-business-use-case-usage': {
          '1234': [{ type: 'ads_insights', call_count: 40, total_cputime: 85, total_time: 10 }],
        },
        'x-ad-account-usage': { acc_id_util_pct: 61.5, reset_time_duration: 0 },
        'x-fb-ads-insights-throttle': { app_id_util_pct: 2, acc_id_util_pct: 70 },
      }),
    );

    expect(usage.maxPct).toBe(85);
  });

  it('converts estimated_time_to_regain_access from minutes', () => {
    const usage = readUsage(
      headers({
        'x-business-use-case-usage': {
          '1234': [{ type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 12 }],
        },
      }),
    );

    expect(usage.waitHintMs).toBe(720_000);
  });

  it('converts reset_time_duration from seconds', () => {
    const usage = readUsage(
      headers({ 'x-ad-account-usage': { acc_id_util_pct: 100, reset_time_duration: 90 } }),
    );

    expect(usage.waitHintMs).toBe(90_000);
  });

  it('reads Retry-After in seconds', () => {
    expect(readUsage(headers({ 'retry-after': '7' })).waitHintMs).toBe(7000);
  });

  it('takes the longest of several waits', () => {
    const usage = readUsage(
      headers({
        'retry-after': '30',
        'x-business-use-case-usage': { '1': [{ estimated_time_to_regain_access: 2 }] },
      }),
    );

    expect(usage.waitHintMs).toBe(120_000);
  });

  it('ignores a zero wait', () => {
    const usage = readUsage(
      headers({ 'x-business-use-case-usage': { '1': [{ estimated_time_to_regain_access: 0 }] } }),
    );

    expect(usage.waitHintMs).toBeNull();
  });

  it('reads the access tier', () => {
    const usage = readUsage(
      headers({
        'x-ad-account-usage': { acc_id_util_pct: 1, ads_api_access_tier: 'development_access' },
      }),
    );

    expect(usage.accessTier).toBe('development_access');
  });

  it('ignores a malformed header', () => {
    const usage = readUsage(
      headers({ 'x-app-usage': '{not json', 'x-ad-account-usage': { acc_id_util_pct: 5 } }),
    );

    expect(usage.maxPct).toBe(5);
  });
});
