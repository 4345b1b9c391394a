import { describe, expect, it } from 'vitest';
import { kpiDefinition } from '../../src/analysis/kpis.ts';
import {
  countingRelativeSd,
  historyRelativeSd,
  MIN_HISTORY_CHANGES,
  MIN_RESIDUAL_WEEKS,
  median,
  noiseBandWidth,
  residualRelativeSd,
  weeklyRelativeSd,
} from '../../src/analysis/noise-band.ts';
import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import { THRESHOLDS } from './analysis-fixtures.ts';

const volume = (fields: Partial<typeof ZERO_METRICS>) => ({ ...ZERO_METRICS, ...fields });

describe('countingRelativeSd', () => {
  it.each([
    { case: 'leads, Poisson 1/√100', key: 'leads', fields: { leads: 100 }, expected: 0.1 },
    {
      case: 'CPL from its leads',
      key: 'cpl',
      fields: { cplLeads: 25, cplSpendMinor: 50_000 },
      expected: 0.2,
    },
    {
      case: 'CPC from its clicks',
      key: 'cpc',
      fields: { clicks: 400, spendMinor: 10_000 },
      expected: 0.05,
    },
    { case: 'spend has none', key: 'spend', fields: { spendMinor: 10_000 }, expected: 0 },
  ] as const)('returns $expected for $case', ({ key, fields, expected }) => {
    const sd = countingRelativeSd(kpiDefinition(key), volume(fields));

    expect(sd).toBeCloseTo(expected, 6);
  });

  it('returns the binomial error for CTR', () => {
    const sd = countingRelativeSd(
      kpiDefinition('ctr'),
      volume({ clicks: 100, impressions: 10_000 }),
    );

    expect(sd).toBeCloseTo(Math.sqrt(0.99 / 100), 6);
  });

  it('returns null when the count is zero', () => {
    const sd = countingRelativeSd(kpiDefinition('leads'), volume({ leads: 0 }));

    expect(sd).toBeNull();
  });
});

describe('residualRelativeSd', () => {
  it('returns the sample deviation over the mean', () => {
    // Deviations ±0.1 in four weeks and 0 in one: √(4 × 0.01 / 4).
    expect(residualRelativeSd([90, 110, 90, 110, 100])).toBeCloseTo(0.1, 9);
  });

  it('skips weeks without a value', () => {
    const sd = residualRelativeSd([90, null, 110, 90, 110, 100]);

    expect(sd).toBeCloseTo(0.1, 9);
  });

  it('returns null below the minimum of weeks', () => {
    const values = Array.from({ length: MIN_RESIDUAL_WEEKS - 1 }, (_, index) => 100 + index);

    expect(residualRelativeSd(values)).toBeNull();
  });

  it('returns null for a zero mean', () => {
    expect(residualRelativeSd([0, 0, 0, 0, 0])).toBeNull();
  });
});

describe('historyRelativeSd', () => {
  it('returns null below the minimum of changes', () => {
    const values = Array.from({ length: MIN_HISTORY_CHANGES }, (_, index) => 100 + index);

    expect(historyRelativeSd(values)).toBeNull();
  });

  it('returns zero for a constant series', () => {
    expect(historyRelativeSd([50, 50, 50, 50, 50, 50])).toBe(0);
  });

  it('skips changes next to missing or zero weeks', () => {
    const withGaps = historyRelativeSd([100, null, 110, 0, 100, 110, 100, 110, 100]);
    const alternating = historyRelativeSd([110, 100, 110, 100, 110]);

    expect(withGaps).toBeCloseTo(alternating as number, 9);
  });

  it('widens with a single outlier through the standard deviation', () => {
    const calm = historyRelativeSd([100, 101, 99, 100, 101, 99, 100, 100]) as number;
    const spiky = historyRelativeSd([100, 101, 99, 100, 200, 99, 100, 100]) as number;

    expect(spiky).toBeGreaterThan(calm * 5);
  });
});

describe('weeklyRelativeSd', () => {
  it('returns the counting error when history is calm', () => {
    const sd = weeklyRelativeSd(
      kpiDefinition('leads'),
      volume({ leads: 25 }),
      [25, 25, 25, 25, 25, 25],
    );

    expect(sd).toBeCloseTo(0.2, 6);
  });

  it('returns the history spread when it is wider', () => {
    const history = [1000, 1300, 1000, 1300, 1000, 1300];

    const sd = weeklyRelativeSd(kpiDefinition('leads'), volume({ leads: 1150 }), history) as number;

    expect(sd).toBeGreaterThan(0.1);
  });
});

describe('noiseBandWidth', () => {
  const leads = kpiDefinition('leads');

  it.each([
    { case: 'counting wins', baseline: 25, expected: 25 * 2 * 0.2 * Math.sqrt(1.25) },
    { case: 'the floor wins', baseline: 10_000, expected: 10_000 * 0.1 },
  ])('returns the band when $case', ({ baseline, expected }) => {
    const width = noiseBandWidth({
      definition: leads,
      baseline,
      baselineWeeks: 4,
      volume: volume({ leads: baseline }),
      history: [],
      thresholds: THRESHOLDS,
    });

    expect(width).toBeCloseTo(expected, 6);
  });

  it('returns one event of Poisson error for a zero count baseline', () => {
    const width = noiseBandWidth({
      definition: leads,
      baseline: 0,
      baselineWeeks: 4,
      volume: volume({}),
      history: [],
      thresholds: THRESHOLDS,
    });

    expect(width).toBeCloseTo(2 * Math.sqrt(1.25), 6);
  });

  it('returns null without a baseline', () => {
    const width = noiseBandWidth({
      definition: leads,
      baseline: null,
      baselineWeeks: 0,
      volume: volume({}),
      history: [],
      thresholds: THRESHOLDS,
    });

    expect(width).toBeNull();
  });
});

describe('median', () => {
  it.each([
    { values: [3, 1, 2], expected: 2 },
    { values: [4, 1, 3, 2], expected: 2.5 },
  ])('returns $expected for $values', ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });
});
