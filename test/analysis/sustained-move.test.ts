import { describe, expect, it } from 'vitest';
import { kpiDefinition } from '../../src/analysis/kpis.ts';
import {
  detectSustainedMove,
  MAX_OUTLIER_EXTRA_SIGMA,
  MIN_WEEKS_TO_TRIM,
  OUTLIER_FREE_GAP_SD,
  OUTLIER_SIGMA_PER_SD,
  outlierExtraSigma,
  PRIOR_RATE_SPREAD,
  PRIOR_RATE_SPREAD_WEIGHT,
  rateSpreadVariance,
  trimReference,
  withoutWorstWeek,
} from '../../src/analysis/sustained-move.ts';
import type { Metrics } from '../../src/shared/types.ts';
import { leadMetrics, steadyWeeks, THRESHOLDS } from './analysis-fixtures.ts';

/** Returns 12 steady weeks of 100 leads whose last 3 have leads scaled by `factors`. */
function windowOf(factors: number[]): Metrics[] {
  return steadyWeeks(100).map((week, index) => {
    const factor = index >= 9 ? (factors[index - 9] as number) : 1;

    return leadMetrics(Math.round(week.leads * factor), week.spendMinor / 100);
  });
}

/** Returns 12 steady weeks whose last `weeks` have leads scaled by `factor` (spend held). */
function declining(leads: number, factor: number, weeks = 3): Metrics[] {
  return steadyWeeks(leads).map((week, index) =>
    index >= 12 - weeks
      ? leadMetrics(Math.round(week.leads * factor), week.spendMinor / 100)
      : week,
  );
}

/** Adds a brand campaign's spend and clicks to a lead week, as in a property's total. */
function withBrand(week: Metrics): Metrics {
  return {
    ...week,
    spendMinor: week.spendMinor + 50_000,
    clicks: week.clicks + 900,
    impressions: week.impressions + 90_000,
  };
}

const detect = (
  key: 'leads' | 'cpl' | 'spend' | 'ctr' | 'hubspotLeads',
  points: Array<Metrics | null>,
  thresholds = THRESHOLDS,
) => detectSustainedMove({ definition: kpiDefinition(key), points, scale: 100, thresholds });

describe('detectSustainedMove', () => {
  it('returns null for steady weeks', () => {
    expect(detect('leads', steadyWeeks(100))).toBeNull();
  });

  it('returns the move for a sustained lead decline', () => {
    const move = detect('leads', declining(100, 0.6));

    expect(move).toMatchObject({ weeks: 3, referenceWeeks: 9 });
    expect(move?.change).toBeCloseTo(-0.4, 1);
  });

  it('returns the rates in leads per click', () => {
    const move = detect('leads', declining(100, 0.6));

    expect(move?.referenceRate).toBeCloseTo(100 / 3000, 3);
    expect(move?.windowRate).toBeCloseTo(60 / 3000, 3);
  });

  it('returns the move when clicks rise without leads', () => {
    const weeks = steadyWeeks(100).map((week, index) =>
      index >= 9 ? { ...week, clicks: Math.round(week.clicks * 1.5) } : week,
    );

    expect(detect('leads', weeks)?.change).toBeCloseTo(1 / 1.5 - 1, 1);
  });

  it.each([
    { case: 'leads per click applies', brand: false, key: 'cpl', alerts: false },
    { case: 'leads per click applies', brand: false, key: 'leads', alerts: true },
    { case: 'brand clicks dilute it', brand: true, key: 'cpl', alerts: true },
    { case: 'brand clicks dilute it', brand: true, key: 'leads', alerts: false },
  ] as const)('tests $key only when $case', ({ brand, key, alerts }) => {
    const weeks = declining(100, 0.6).map((week) => (brand ? withBrand(week) : week));

    expect(detect(key, weeks) !== null).toBe(alerts);
  });

  it('returns the CPL move in leads per unit of spend', () => {
    const move = detect('cpl', declining(100, 0.6).map(withBrand));

    expect(move?.referenceRate).toBeCloseTo(100 / 2000, 3);
    expect(move?.change).toBeCloseTo(-0.4, 1);
  });

  it.each([0, 1, 2, 3])('returns null %i weeks after a one-week spike', (weeksAfter) => {
    const weeks = steadyWeeks(100);
    const spikeIndex = 11 - weeksAfter;
    const spiked = weeks.map((week, index) =>
      index === spikeIndex
        ? leadMetrics(Math.round(week.leads * 0.3), week.spendMinor / 100)
        : week,
    );

    expect(detect('leads', spiked)).toBeNull();
  });

  it.each([
    { position: 'first', factors: [0.3, 0.83, 0.83] },
    { position: 'middle', factors: [0.83, 0.3, 0.83] },
    { position: 'last', factors: [0.83, 0.83, 0.3] },
  ])('returns null with a one-week outlier $position', ({ factors }) => {
    expect(detect('leads', windowOf(factors))).toBeNull();
  });

  it('returns the move for the same weeks without the outlier', () => {
    const move = detect('leads', windowOf([0.78, 0.83, 0.83]));

    expect(move?.requiredScore).toBe(THRESHOLDS.alertSigma);
  });

  it('returns the move when the rest clears the higher bar', () => {
    const move = detect('leads', windowOf([0.3, 0.7, 0.7]));

    expect(move?.requiredScore).toBe(THRESHOLDS.alertSigma + MAX_OUTLIER_EXTRA_SIGMA);
  });

  it('compares the window with up to referenceWeeks weeks', () => {
    const move = detect('leads', declining(100, 0.6), { ...THRESHOLDS, referenceWeeks: 6 });

    expect(move?.referenceWeeks).toBe(6);
  });

  it('returns null when a noisy history explains the fall', () => {
    const noisy = [100, 140, 70, 130, 65, 135, 75, 125, 80, 80, 82, 80];

    const move = detect(
      'leads',
      noisy.map((count) => leadMetrics(count, 2000)),
    );

    expect(move).toBeNull();
  });

  it('returns null after one high reference week', () => {
    const weeks = steadyWeeks(200).map((week, index) => {
      const factor = index === 8 ? 1.5 : index >= 9 ? 0.88 : 1;

      return leadMetrics(Math.round(week.leads * factor), week.spendMinor / 100);
    });

    expect(detect('leads', weeks)).toBeNull();
  });

  it('returns the move for a 25 % decline at 80 leads', () => {
    const leads = [82, 91, 80, 71, 82, 66, 76, 93, 74, 68, 53, 59];

    const move = detect(
      'leads',
      leads.map((count) => leadMetrics(count, 1600)),
    );

    expect(move?.change).toBeCloseTo(60 / 78.3 - 1, 1);
  });

  it('returns null when one of the weeks is not worse', () => {
    const weeks = declining(100, 0.6);
    weeks[10] = steadyWeeks(100)[10] as Metrics;

    expect(detect('leads', weeks)).toBeNull();
  });

  it('returns null below the minimum lead volume', () => {
    expect(detect('leads', declining(THRESHOLDS.minLeads - 1, 0.4))).toBeNull();
  });

  it('returns null when leads fall with a budget cut', () => {
    const cut = steadyWeeks(100).map((week, index) =>
      index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), (week.spendMinor / 100) * 0.6) : week,
    );

    expect(detect('leads', cut)).toBeNull();
  });

  it('returns null for spend, which has no bad direction', () => {
    const cut = steadyWeeks(100).map((week, index) =>
      index >= 9 ? leadMetrics(week.leads, (week.spendMinor / 100) * 0.5) : week,
    );

    expect(detect('spend', cut)).toBeNull();
  });

  it('returns null with a week missing from the window', () => {
    const weeks: Array<Metrics | null> = declining(100, 0.6);
    weeks[10] = null;

    expect(detect('leads', weeks)).toBeNull();
  });

  it('returns null with fewer than two reference weeks', () => {
    expect(detect('leads', declining(100, 0.6).slice(-4))).toBeNull();
  });

  it('returns null for a fall smaller than the band floor', () => {
    const huge = declining(100_000, 0.92);

    expect(detect('leads', huge)).toBeNull();
  });

  it.each([
    { case: 'just below the score', offset: -0.01, alerts: true },
    { case: 'just above the score', offset: 0.01, alerts: false },
  ])('applies alertSigma $case', ({ offset, alerts }) => {
    const weeks = declining(60, 0.75);
    const score = detect('leads', weeks, { ...THRESHOLDS, alertSigma: 0.5 })?.score as number;

    const move = detect('leads', weeks, { ...THRESHOLDS, alertSigma: score + offset });

    expect(move !== null).toBe(alerts);
  });

  it('returns null for CTR, which has no alert rate', () => {
    const weeks = steadyWeeks(100).map((week, index) => ({
      ...week,
      impressions: 400_000,
      clicks: index >= 9 ? 3000 : 6000 + (index % 2),
    }));

    expect(detect('ctr', weeks)).toBeNull();
  });

  it('returns null for HubSpot leads, which have no alert rate', () => {
    const weeks = steadyWeeks(100).map((week, index) =>
      index >= 9 ? { ...week, hubspotLeads: Math.round(week.hubspotLeads * 0.5) } : week,
    );

    expect(detect('hubspotLeads', weeks)).toBeNull();
  });
});

describe('trimReference', () => {
  const weeks = [100, 130, 90, 100, 60].map((leads) => leadMetrics(leads, 2000));

  it('sets aside the highest and the lowest week', () => {
    const kept = trimReference(kpiDefinition('leads'), weeks, 100);

    expect(kept.map((week) => week.leads)).toEqual([90, 100, 100]);
  });

  it('ranks weeks by leads per click', () => {
    const spendy = [...weeks.slice(0, -1), leadMetrics(120, 6000)];

    const kept = trimReference(kpiDefinition('leads'), spendy, 100);

    expect(kept.map((week) => week.leads)).toEqual([90, 100, 100]);
  });

  it('keeps every week below the minimum', () => {
    const few = weeks.slice(0, MIN_WEEKS_TO_TRIM - 1);

    expect(trimReference(kpiDefinition('leads'), few, 100)).toHaveLength(few.length);
  });
});

describe('outlierExtraSigma', () => {
  const sd = 0.1;
  const withGap = (gapSd: number) => [0.2, 0.25, 0.25 + gapSd * sd];

  it.each([
    { case: 'no gap', gapSd: 0, expected: 0 },
    { case: 'a gap at the free gap', gapSd: OUTLIER_FREE_GAP_SD, expected: 0 },
    {
      case: 'a gap one sd beyond it',
      gapSd: OUTLIER_FREE_GAP_SD + 1,
      expected: OUTLIER_SIGMA_PER_SD,
    },
    { case: 'a gap far beyond it', gapSd: 10, expected: MAX_OUTLIER_EXTRA_SIGMA },
  ])('returns $expected for $case', ({ gapSd, expected }) => {
    expect(outlierExtraSigma(withGap(gapSd), sd)).toBeCloseTo(expected, 9);
  });

  it('ranks the shortfalls before taking the gap', () => {
    expect(outlierExtraSigma([0.9, 0.2, 0.25], sd)).toBe(MAX_OUTLIER_EXTRA_SIGMA);
  });

  it('returns 0 for a single week', () => {
    expect(outlierExtraSigma([0.9], sd)).toBe(0);
  });

  it('returns 0 for a zero weekly error', () => {
    expect(outlierExtraSigma([0.2, 0.9], 0)).toBe(0);
  });
});

describe('rateSpreadVariance', () => {
  const prior = PRIOR_RATE_SPREAD ** 2;
  /** Nine weekly rates of mean 1 whose sample standard deviation over the mean is `spread`. */
  const ratesWithSpread = (spread: number) =>
    [1, -1, 1, -1, 1, -1, 1, -1, 0].map((sign) => 1 + sign * spread);

  it('returns the prior with too few weeks', () => {
    expect(rateSpreadVariance([1, 1.1, 0.9, null], 0.1)).toBe(prior);
  });

  it.each([
    { case: 'below the counting error', spread: 0.08, excess: 0 },
    { case: 'at the counting error', spread: 0.1, excess: 0 },
    { case: 'beyond the counting error', spread: 0.2, excess: 0.2 ** 2 - 0.1 ** 2 },
  ])('weighs the spread $case against the prior', ({ spread, excess }) => {
    const weight = PRIOR_RATE_SPREAD_WEIGHT;
    const expected = (8 * excess + weight * prior) / (8 + weight);

    expect(rateSpreadVariance(ratesWithSpread(spread), 0.1)).toBeCloseTo(expected, 9);
  });

  it('skips weeks without a rate', () => {
    const rates = [...ratesWithSpread(0.2), null];

    const expected = rateSpreadVariance(ratesWithSpread(0.2), 0.1);

    expect(rateSpreadVariance(rates, 0.1)).toBeCloseTo(expected, 12);
  });
});

describe('withoutWorstWeek', () => {
  it('drops the largest shortfall', () => {
    expect(withoutWorstWeek([0.2, 0.9, 0.3])).toEqual([0.2, 0.3]);
  });

  it('keeps a single week', () => {
    expect(withoutWorstWeek([0.4])).toEqual([0.4]);
  });
});
