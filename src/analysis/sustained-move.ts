import type { Thresholds } from '../config/schema.ts';
import type { Metrics } from '../shared/types.ts';
import { type AlertRate, type KpiDefinition, meanMetrics } from './kpis.ts';
import { countingRelativeSd, residualRelativeSd } from './noise-band.ts';

/** A sustained move in the bad direction: the figures behind an ALERT. */
export interface SustainedMove {
  /** Weeks in the window, ending with the report week. */
  weeks: number;
  /** Weeks before the window that the window is compared with. */
  referenceWeeks: number;
  /**
   * Pooled alert rate of the window and of the reference, in events per unit of exposure (leads
   * per click, leads per major unit of spend). The reference leaves out its highest and lowest
   * week when it has at least `MIN_WEEKS_TO_TRIM` weeks.
   */
  windowRate: number;
  referenceRate: number;
  /** Signed relative change of the window's rate versus the reference (−0.25 = 25 % lower). */
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
 * Tests whether the KPI's alert rate (see `AlertRate`) fell over the last `sustainedWeeks` weeks
 * against up to `referenceWeeks` weeks before them. Reading a rate per click or per unit of
 * spend keeps budget changes out of the test.
 *
 * The reference sets aside its highest and lowest week, so one abnormal week there cannot make
 * normal weeks look low. An ALERT needs every week of the window short of the reference. With
 * the worst week set aside, the mean shortfall must reach `bandFloor` and `alertSigma` standard
 * errors, plus `OUTLIER_EXTRA_SIGMA` when the worst week is a one-week outlier. A week's error is
 * the largest of its counting error, the spread of the weeks before the window around their
 * mean, and half the band floor. The reference must meet the minimum volumes. Returns null
 * when any condition fails, and for a KPI without an alert rate.
 */
export function detectSustainedMove(input: {
  definition: KpiDefinition;
  points: Array<Metrics | null>;
  scale: number;
  thresholds: Thresholds;
}): SustainedMove | null {
  const { definition, points, scale, thresholds } = input;
  const rate = definition.alertRate;
  if (rate === null) return null;
  const window = points.slice(-thresholds.sustainedWeeks);
  const before = points.slice(0, -thresholds.sustainedWeeks);
  const candidates = present(before.slice(-thresholds.referenceWeeks));
  if (window.length < thresholds.sustainedWeeks || candidates.length < 2) return null;
  if (window.some((week) => week === null)) return null;
  const windowWeeks = window as Metrics[];
  if (!rate.appliesTo([...present(before), ...windowWeeks])) return null;
  const reference = trimReference(definition, candidates, scale);
  const volume = meanMetrics(reference);
  if (!definition.hasVolume(volume, thresholds, scale)) return null;
  const referenceRate = pooledRate(rate, reference, scale);
  if (referenceRate === null || !(referenceRate > 0)) return null;

  const shortfalls = weeklyShortfalls(rate, windowWeeks, referenceRate, scale);
  if (shortfalls === null) return null;
  const relativeSd = weeklyErrorOf(definition, volume, before, scale, thresholds);
  const referenceSize =
    reference.length < candidates.length ? candidates.length - TRIM_COST_WEEKS : reference.length;
  const scored = scoreShortfalls(shortfalls, relativeSd, referenceSize, thresholds);
  if (scored === null) return null;
  const windowRate = pooledRate(rate, windowWeeks, scale) ?? 0;

  return {
    weeks: windowWeeks.length,
    referenceWeeks: candidates.length,
    windowRate,
    referenceRate,
    change: (windowRate - referenceRate) / referenceRate,
    ...scored,
  };
}

/**
 * Returns the score of the window's shortfalls and the score it needed, or null when a week is
 * not short, when the mean shortfall without the worst week is under `bandFloor`, or when the
 * score misses the bar. `referenceSize` is the effective number of reference weeks.
 */
function scoreShortfalls(
  shortfalls: number[],
  relativeSd: number,
  referenceSize: number,
  thresholds: Thresholds,
): { score: number; requiredScore: number } | null {
  if (shortfalls.some((shortfall) => shortfall <= 0)) return null;
  const shortfallsWithoutWorst = withoutWorstWeek(shortfalls);
  const typical =
    shortfallsWithoutWorst.reduce((sum, shortfall) => sum + shortfall, 0) /
    shortfallsWithoutWorst.length;
  if (typical < thresholds.bandFloor) return null;
  const error = relativeSd * Math.sqrt(1 / shortfallsWithoutWorst.length + 1 / referenceSize);
  const score = typical / error;
  const outlier = isOneWeekOutlier(shortfalls, relativeSd);
  const requiredScore = thresholds.alertSigma + (outlier ? OUTLIER_EXTRA_SIGMA : 0);

  return score < requiredScore ? null : { score, requiredScore };
}

/**
 * Returns the reference weeks without the highest and the lowest by alert rate, when there are
 * at least `MIN_WEEKS_TO_TRIM`. A week whose rate is undefined counts as the lowest.
 */
export function trimReference(
  definition: KpiDefinition,
  weeks: Metrics[],
  scale: number,
): Metrics[] {
  const rate = definition.alertRate;
  if (rate === null || weeks.length < MIN_WEEKS_TO_TRIM) return weeks;
  const ranked = weeks
    .map((week) => ({ week, rate: weekRate(rate, week, scale) ?? -Infinity }))
    .sort((a, b) => a.rate - b.rate);

  return ranked.slice(1, -1).map((item) => item.week);
}

/** Returns one week's events per unit of exposure; null when the week has no exposure. */
function weekRate(rate: AlertRate, week: Metrics, scale: number): number | null {
  const exposure = rate.exposure(week, scale);
  if (!(exposure > 0)) return null;

  return rate.events(week) / exposure;
}

/** Returns the pooled rate of several weeks, their events over their exposure; null without exposure. */
function pooledRate(rate: AlertRate, weeks: Metrics[], scale: number): number | null {
  let events = 0;
  let exposure = 0;
  for (const week of weeks) {
    events += rate.events(week);
    exposure += rate.exposure(week, scale);
  }

  return exposure > 0 ? events / exposure : null;
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
  const rate = definition.alertRate as AlertRate;
  const counting = countingRelativeSd(definition, volume) ?? 0;
  const history = before.map((week) => (week ? weekRate(rate, week, scale) : null));
  const spread = residualRelativeSd(history) ?? 0;

  return Math.max(counting, spread, thresholds.bandFloor / thresholds.bandSigma);
}

/**
 * Returns each window week's shortfall against the reference rate as a fraction of it (0.25 =
 * 25 % short); null when a week's rate is undefined.
 */
function weeklyShortfalls(
  rate: AlertRate,
  window: Metrics[],
  referenceRate: number,
  scale: number,
): number[] | null {
  const shortfalls: number[] = [];
  for (const week of window) {
    const value = weekRate(rate, week, scale);
    if (value === null) return null;
    shortfalls.push((referenceRate - value) / referenceRate);
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
