import type { Thresholds } from '../config/schema.ts';
import type { Metrics } from '../shared/types.ts';
import { type KpiDefinition, meanMetrics, pooledValue } from './kpis.ts';
import { countingRelativeSd, residualRelativeSd } from './noise-band.ts';

/** A sustained move in the bad direction: the figures behind an ALERT. */
export interface SustainedMove {
  /** Weeks in the window, ending with the report week. */
  weeks: number;
  /** Weeks before the window that the window is compared with. */
  referenceWeeks: number;
  /**
   * Pooled KPI value of the window and of the reference, in display units. The reference
   * leaves out its highest and lowest week when it has at least `MIN_WEEKS_TO_TRIM` weeks.
   */
  windowValue: number;
  referenceValue: number;
  /** Signed relative change of the window versus the reference (−0.25 = 25 % lower). */
  change: number;
  /** Mean shortfall of the window in standard errors (see `detectSustainedMove`). */
  score: number;
  /** Standard errors the score had to reach: `alertSigma`, raised for a one-week outlier. */
  requiredScore: number;
}

/** Minimum number of reference weeks before the highest and the lowest week are set aside. */
export const MIN_WEEKS_TO_TRIM = 5;

/**
 * Weeks of precision that setting two reference weeks aside costs. The trimmed mean of n
 * normally distributed weeks is as precise as a plain mean of about n − 0.55 weeks (a Monte
 * Carlo estimate for n = 5 to 10), rounded up here.
 */
export const TRIM_COST_WEEKS = 0.6;

/**
 * How far the worst window week must sit beyond the second worst, in weekly standard
 * deviations, to count as a one-week outlier (a spike) rather than part of a decline.
 */
export const OUTLIER_GAP_SD = 1;

/** Standard errors added to `alertSigma` when the window has a one-week outlier. */
export const OUTLIER_EXTRA_SIGMA = 0.75;

/**
 * Tests whether the last `sustainedWeeks` weeks moved the bad way against up to
 * `referenceWeeks` weeks before them. The test reads the KPI turned so that higher is better
 * (leads per unit of spend for CPL) and, for volumes that follow the budget, expects a week to
 * fall in proportion to a spend cut.
 *
 * The reference sets aside its highest and lowest week, so one abnormal week there cannot make
 * normal weeks look low. An ALERT needs every week of the window short of the reference. With
 * the worst week set aside, the mean shortfall must reach `bandFloor` and `alertSigma` standard
 * errors, plus `OUTLIER_EXTRA_SIGMA` when the worst week is a one-week outlier. A week's error is
 * the largest of its counting error, the spread of the weeks before the window around their
 * mean, and half the band floor. The reference must meet the minimum volumes. Returns null
 * when any condition fails.
 */
export function detectSustainedMove(input: {
  definition: KpiDefinition;
  points: Array<Metrics | null>;
  scale: number;
  thresholds: Thresholds;
}): SustainedMove | null {
  const { definition, points, scale, thresholds } = input;
  if (!definition.alerts || definition.badDirection === 'neutral') return null;
  const window = points.slice(-thresholds.sustainedWeeks);
  const before = points.slice(0, -thresholds.sustainedWeeks);
  const candidates = present(before.slice(-thresholds.referenceWeeks));
  if (window.length < thresholds.sustainedWeeks || candidates.length < 2) return null;
  if (window.some((week) => week === null)) return null;
  const windowWeeks = window as Metrics[];
  const reference = trimReference(definition, candidates, scale);
  const volume = meanMetrics(reference);
  if (!definition.hasVolume(volume, thresholds, scale)) return null;

  const shortfalls = weeklyShortfalls(definition, windowWeeks, volume, scale);
  if (shortfalls === null || shortfalls.some((shortfall) => shortfall <= 0)) return null;
  const kept = withoutWorstWeek(shortfalls);
  const typical = kept.reduce((sum, shortfall) => sum + shortfall, 0) / kept.length;
  if (typical < thresholds.bandFloor) return null;

  const relativeSd = weeklyErrorOf(definition, volume, before, scale, thresholds);
  const referenceSize =
    reference.length < candidates.length ? candidates.length - TRIM_COST_WEEKS : reference.length;
  const error = relativeSd * Math.sqrt(1 / kept.length + 1 / referenceSize);
  const score = typical / error;
  const outlier = isOneWeekOutlier(shortfalls, relativeSd);
  const requiredScore = thresholds.alertSigma + (outlier ? OUTLIER_EXTRA_SIGMA : 0);
  if (score < requiredScore) return null;

  const referenceValue = pooledValue(definition, reference, scale);
  const windowValue = pooledValue(definition, windowWeeks, scale);
  if (referenceValue === null || windowValue === null || referenceValue === 0) return null;

  return {
    weeks: windowWeeks.length,
    referenceWeeks: candidates.length,
    windowValue,
    referenceValue,
    change: (windowValue - referenceValue) / referenceValue,
    score,
    requiredScore,
  };
}

/**
 * Returns the reference weeks without the highest and the lowest by rate (the oriented value,
 * per unit of spend for volumes that follow the budget), when there are at least
 * `MIN_WEEKS_TO_TRIM`. A week whose rate is undefined counts as the lowest.
 */
export function trimReference(
  definition: KpiDefinition,
  weeks: Metrics[],
  scale: number,
): Metrics[] {
  if (weeks.length < MIN_WEEKS_TO_TRIM) return weeks;
  const ranked = weeks
    .map((week) => ({ week, rate: referenceRate(definition, week, scale) ?? -Infinity }))
    .sort((a, b) => a.rate - b.rate);

  return ranked.slice(1, -1).map((item) => item.week);
}

function referenceRate(definition: KpiDefinition, week: Metrics, scale: number): number | null {
  const value = definition.orientedValue(week, scale);
  if (value === null || !definition.followsSpend) return value;

  return week.spendMinor > 0 ? value / week.spendMinor : null;
}

/**
 * Returns the relative standard deviation of one week. It is the largest of the counting error
 * at the reference volume, the spread of the weeks before the window around their mean, and
 * half the band floor, because the floor is `bandSigma` standard deviations wide.
 */
function weeklyErrorOf(
  definition: KpiDefinition,
  volume: Metrics,
  before: Array<Metrics | null>,
  scale: number,
  thresholds: Thresholds,
): number {
  const counting = countingRelativeSd(definition, volume) ?? 0;
  const history = before.map((week) => (week ? referenceRate(definition, week, scale) : null));
  const spread = residualRelativeSd(history) ?? 0;

  return Math.max(counting, spread, thresholds.bandFloor / thresholds.bandSigma);
}

/**
 * Returns each window week's shortfall against the reference as a fraction of what was
 * expected (0.25 = 25 % short), on the higher-is-better side; null when a value is undefined.
 */
function weeklyShortfalls(
  definition: KpiDefinition,
  window: Metrics[],
  volume: Metrics,
  scale: number,
): number[] | null {
  const expected = definition.orientedValue(volume, scale);
  if (expected === null || !(expected > 0)) return null;
  const shortfalls: number[] = [];
  for (const week of window) {
    const value = definition.orientedValue(week, scale);
    if (value === null) return null;
    // A volume that follows the budget is expected to fall with a spend cut; only the rest of
    // the fall counts. A budget rise does not raise the expectation (CPL covers that case).
    const budgetShare = definition.followsSpend
      ? Math.min(1, volume.spendMinor > 0 ? week.spendMinor / volume.spendMinor : 1)
      : 1;
    const weekExpected = expected * budgetShare;
    shortfalls.push(weekExpected > 0 ? (weekExpected - value) / weekExpected : 0);
  }

  return shortfalls;
}

/**
 * Returns the shortfalls without the largest one, so that one extreme week (a spike) cannot make
 * an ALERT: the other weeks of the window must carry it on their own.
 */
export function withoutWorstWeek(shortfalls: number[]): number[] {
  const sorted = [...shortfalls].sort((a, b) => a - b);

  return sorted.length > 1 ? sorted.slice(0, -1) : sorted;
}

/**
 * True when the worst shortfall exceeds the second worst by more than `OUTLIER_GAP_SD` weekly
 * standard deviations. In a decline the weeks fall together. A spike that recovered leaves one
 * week far out and normal weeks around it, which then face a higher bar.
 */
export function isOneWeekOutlier(shortfalls: number[], relativeSd: number): boolean {
  if (shortfalls.length < 2) return false;
  const sorted = [...shortfalls].sort((a, b) => b - a);

  return (sorted[0] as number) - (sorted[1] as number) > OUTLIER_GAP_SD * relativeSd;
}

function present(points: Array<Metrics | null>): Metrics[] {
  return points.filter((point): point is Metrics => point !== null);
}
