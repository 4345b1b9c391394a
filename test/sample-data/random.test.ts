import { describe, expect, it } from 'vitest';
import {
  binomial,
  mulberry32,
  normal,
  pick,
  poisson,
  seedFrom,
} from '../../scripts/sample-data/random.ts';

const draws = (count: number, draw: () => number): number[] => Array.from({ length: count }, draw);
const mean = (values: number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

describe('mulberry32', () => {
  it('repeats a sequence for one seed', () => {
    const first = draws(5, mulberry32(42));

    const second = draws(5, mulberry32(42));

    expect(second).toEqual(first);
  });

  it('differs between seeds', () => {
    const first = draws(5, mulberry32(42));

    const second = draws(5, mulberry32(43));

    expect(second).not.toEqual(first);
  });

  it('returns values in [0, 1)', () => {
    const values = draws(10_000, mulberry32(7));

    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('seedFrom', () => {
  it('returns the FNV-1a hash of the text', () => {
    expect(seedFrom('a')).toBe(0xe40c292c);
  });

  it('returns an unsigned 32-bit integer', () => {
    const seed = seedFrom('120211001000000000');

    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThan(2 ** 32);
  });
});

describe('normal', () => {
  it('centres draws on the mean', () => {
    const random = mulberry32(1);

    const values = draws(20_000, () => normal(random, 10, 2));

    expect(mean(values)).toBeCloseTo(10, 1);
  });
});

describe('poisson', () => {
  it.each([{ mean: 0.8 }, { mean: 12 }, { mean: 80 }])(
    'averages $mean over many draws',
    ({ mean: expected }) => {
      const random = mulberry32(3);

      const values = draws(5_000, () => poisson(random, expected));

      expect(Math.abs(mean(values) - expected)).toBeLessThan(0.05 * expected + 0.05);
    },
  );

  it('returns 0 for a zero mean', () => {
    expect(poisson(mulberry32(3), 0)).toBe(0);
  });

  it('returns non-negative integers', () => {
    const random = mulberry32(4);

    const values = draws(1_000, () => poisson(random, 40));

    expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
  });
});

describe('binomial', () => {
  it.each([
    { trials: 500, probability: 0.3 },
    { trials: 60_000, probability: 0.012 },
  ])('averages trials × p for $trials trials', ({ trials, probability }) => {
    const random = mulberry32(5);

    const values = draws(400, () => binomial(random, trials, probability));

    expect(Math.abs(mean(values) / (trials * probability) - 1)).toBeLessThan(0.03);
  });

  it.each([
    { trials: 0, probability: 0.5, expected: 0 },
    { trials: 100, probability: 0, expected: 0 },
    { trials: 100, probability: 1, expected: 100 },
  ])(
    'returns $expected for $trials trials at p = $probability',
    ({ trials, probability, expected }) => {
      expect(binomial(mulberry32(6), trials, probability)).toBe(expected);
    },
  );

  it('stays within [0, trials] in the approximation', () => {
    const random = mulberry32(8);

    const values = draws(1_000, () => binomial(random, 3_000, 0.999));

    expect(values.every((value) => value >= 0 && value <= 3_000)).toBe(true);
  });
});

describe('pick', () => {
  it('returns every item over many draws', () => {
    const random = mulberry32(9);

    const picked = new Set(draws(200, () => pick(random, [1, 2, 3])));

    expect([...picked].sort()).toEqual([1, 2, 3]);
  });

  it('throws on an empty list', () => {
    expect(() => pick(mulberry32(9), [])).toThrow(RangeError);
  });
});
