import { describe, expect, it } from 'vitest';
import { median, ratio, round, summarise } from '../../../bench/lib/stats.ts';
import { InputError } from '../../../src/shared/errors.ts';

describe('median', () => {
  it.each([
    { case: 'one value', values: [4], expected: 4 },
    { case: 'an odd count', values: [9, 1, 5], expected: 5 },
    { case: 'an even count', values: [8, 2, 4, 6], expected: 5 },
    { case: 'repeated values', values: [3, 3, 3, 10], expected: 3 },
  ])('returns the middle of $case', ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });

  it('leaves the input order unchanged', () => {
    const values = [3, 1, 2];

    median(values);

    expect(values).toEqual([3, 1, 2]);
  });

  it('throws InputError for no values', () => {
    expect(() => median([])).toThrow(InputError);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('throws InputError for %s', (value) => {
    expect(() => median([1, value])).toThrow(InputError);
  });
});

describe('summarise', () => {
  it('returns median, range and run count', () => {
    const summary = summarise([12, 10, 30]);

    expect(summary).toEqual({ median: 12, min: 10, max: 30, runs: 3 });
  });
});

describe('ratio', () => {
  it('divides finite values', () => {
    expect(ratio(30, 3)).toBe(10);
  });

  it.each([
    { case: 'a zero denominator', numerator: 1, denominator: 0 },
    { case: 'a NaN numerator', numerator: Number.NaN, denominator: 2 },
    { case: 'an infinite denominator', numerator: 1, denominator: Number.POSITIVE_INFINITY },
  ])('returns null for $case', ({ numerator, denominator }) => {
    expect(ratio(numerator, denominator)).toBeNull();
  });
});

describe('round', () => {
  it('rounds to the given decimals', () => {
    expect(round(1.23456, 2)).toBe(1.23);
  });

  it('keeps null', () => {
    expect(round(null)).toBeNull();
  });
});
