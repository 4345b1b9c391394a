import { describe, expect, it } from 'vitest';
import {
  cleanLine,
  formatChange,
  formatCompactCount,
  formatCompactMoney,
  formatCount,
  formatKpiValue,
  formatKpiValueCompact,
  formatMajorMoney,
  formatMinorMoney,
  formatPercent,
  formatWholeMoney,
} from '../../src/email/format-values.ts';

const NOT_KNOWN = [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe('formatters', () => {
  it.each(NOT_KNOWN)('return an em dash for %s', (value) => {
    const outputs = [
      formatCount(value),
      formatCompactCount(value),
      formatPercent(value),
      formatChange(value),
      formatMajorMoney(value, 'USD'),
      formatMinorMoney(value, 'USD'),
      formatCompactMoney(value, 'USD'),
      formatWholeMoney(value, 'USD'),
    ];

    expect(new Set(outputs)).toEqual(new Set(['—']));
  });
});

describe('formatChange', () => {
  it.each([
    { fraction: 0.123, expected: '+12.3%' },
    { fraction: -0.04, expected: '−4.0%' },
    { fraction: 0, expected: '0.0%' },
    { fraction: -0.00001, expected: '0.0%' },
    { fraction: 2.5, expected: '+250%' },
  ])('formats $fraction as $expected', ({ fraction, expected }) => {
    expect(formatChange(fraction)).toBe(expected);
  });
});

describe('formatCompactMoney', () => {
  it.each([
    { value: 9999.5, currency: 'USD', expected: '$9,999.50' },
    { value: 48_213.4, currency: 'USD', expected: '$48.2K' },
    { value: 1_250_000, currency: 'EUR', expected: '€1.3M' },
    { value: 412, currency: 'JPY', expected: '¥412' },
  ])('formats $value $currency as $expected', ({ value, currency, expected }) => {
    expect(formatCompactMoney(value, currency)).toBe(expected);
  });
});

describe('formatWholeMoney', () => {
  it('rounds minor units to whole units', () => {
    expect(formatWholeMoney(123_456, 'USD')).toBe('$1,235');
  });

  it('reads JPY amounts as whole yen', () => {
    expect(formatWholeMoney(4_100, 'JPY')).toBe('¥4,100');
  });
});

describe('formatMinorMoney', () => {
  it('keeps three decimals for KWD', () => {
    expect(formatMinorMoney(12_345, 'KWD')).toMatch(/^KWD\s12\.345$/);
  });
});

describe('formatKpiValue', () => {
  it.each([
    { key: 'ctr' as const, value: 0.01551, expected: '1.55%' },
    { key: 'cpl' as const, value: 24.25, expected: '$24.25' },
    { key: 'leads' as const, value: 1362, expected: '1,362' },
  ])('formats $key', ({ key, value, expected }) => {
    expect(formatKpiValue(key, value, 'USD')).toBe(expected);
  });
});

describe('formatKpiValueCompact', () => {
  it('shortens large counts', () => {
    expect(formatKpiValueCompact('impressions', 2_741_498, 'USD')).toBe('2.7M');
  });

  it('keeps counts below 100,000 exact', () => {
    expect(formatKpiValueCompact('clicks', 26_885, 'USD')).toBe('26,885');
  });
});

describe('cleanLine', () => {
  it('replaces line breaks with spaces', () => {
    expect(cleanLine('Spring\r\nBcc: evil@example.com')).toBe('Spring Bcc: evil@example.com');
  });

  it('removes Unicode line separators', () => {
    expect(cleanLine('a\u2028b')).toBe('a b');
  });
});
