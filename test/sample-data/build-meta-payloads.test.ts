import { describe, expect, it } from 'vitest';
import { formatSpend, insightsParams } from '../../scripts/sample-data/build-meta-payloads.ts';

describe('formatSpend', () => {
  it.each([
    { cents: 41237, expected: '412.37' },
    { cents: 41230, expected: '412.3' },
    { cents: 41200, expected: '412' },
    { cents: 5, expected: '0.05' },
    { cents: 0, expected: '0' },
  ])('formats $cents cents as $expected', ({ cents, expected }) => {
    expect(formatSpend(cents)).toBe(expected);
  });
});

describe('insightsParams', () => {
  it('requests the Monday-to-Sunday range', () => {
    const params = insightsParams('2026-11-23');

    expect(JSON.parse(params.time_range ?? '')).toEqual({
      since: '2026-11-23',
      until: '2026-11-29',
    });
  });

  it('requests ad-set rows', () => {
    expect(insightsParams('2026-11-23').level).toBe('adset');
  });
});
