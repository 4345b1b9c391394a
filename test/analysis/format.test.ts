import { describe, expect, it } from 'vitest';
import { formatKpiValue, formatMoneyMajor, formatPercent } from '../../src/analysis/format.ts';

describe('formatKpiValue', () => {
  it.each([
    { key: 'spend', value: 1234.5, expected: '$1,234.50' },
    { key: 'ctr', value: 0.01554, expected: '1.55%' },
    { key: 'leads', value: 412, expected: '412' },
    { key: 'leads', value: 7.25, expected: '7.3' },
    { key: 'cpl', value: null, expected: '—' },
  ] as const)('formats $key $value as $expected', ({ key, value, expected }) => {
    expect(formatKpiValue(key, value, 'USD')).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    { fraction: -0.256, signed: true, expected: '−26%' },
    { fraction: 0.256, signed: true, expected: '+26%' },
    { fraction: 0, signed: true, expected: '0%' },
    { fraction: Number.NaN, signed: false, expected: '—' },
  ])('formats $fraction as $expected', ({ fraction, signed, expected }) => {
    expect(formatPercent(fraction, 0, signed)).toBe(expected);
  });
});

describe('formatMoneyMajor', () => {
  it('formats a zero-decimal currency', () => {
    expect(formatMoneyMajor(1234, 'JPY')).toBe('¥1,234');
  });

  it('rounds to the given decimals', () => {
    expect(formatMoneyMajor(835.6, 'USD', 0)).toBe('$836');
  });

  it('formats a number without a currency', () => {
    expect(formatMoneyMajor(1234.5, null)).toBe('1,234.5');
  });
});
