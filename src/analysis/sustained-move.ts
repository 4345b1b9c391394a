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
 * Gap between the worst and the second worst window week, in weekly standard deviations, that
 * the bar allows for free. In three normally scattered weeks of a real decline, the worst sits
 * on average 0.85 weekly standard deviations beyond the second worst.
 */
export const OUTLIER_FREE_GAP_SD = 0.75;

/**
 * Standard errors added to `alertSigma` for each weekly standard deviation of gap beyond
 * `OUTLIER_FREE_GAP_SD`. A spike that recovered leaves one week far out and normal weeks around
 * it, so the further out the worst week sits, the more the other weeks must show on their own.
 */
export const OUTLIER_SIGMA_PER_SD = 0.6;

/** Maximum standard errors the outlier gap can add to `alertSigma`. */
export const MAX_OUTLIER_EXTRA_SIGMA = 1.5;

/**
 * Assumed week-to-week movement of the alert rate itself, beyond counting noise, as a relative
 * standard deviation. The estimate from the weeks before the window is shrunk toward it.
 * NOTE: chosen on simulated campaigns whose lead rate moves 0 % or 5 % a week; how much real
 * accounts move is not measured.
 */
export const PRIOR_RATE_SPREAD = 0.03;

/**
 * Weight of `PRIOR_RATE_SPREAD`, in degrees of freedom: the estimate counts as if this many more
 * week-to-week deviations had shown it. The excess over counting noise that nine weeks show is
 * often far too low or too high, and the test's false-ALERT rate follows the low ones.
 */
export const PRIOR_RATE_SPREAD_WEIGHT = 8;

/**
 * Tests whether the KPI's alert rate (see `AlertRate`) fell over the last `sustainedWeeks` weeks
 * against up to `referenceWeeks` weeks before them. Reading a rate per click or per unit of
 * spend keeps budget changes out of the test.
 *
 * The reference sets aside its highest and lowest week, so one abnormal week there cannot make
 * normal weeks look low. An ALERT needs every week of the window short of the reference. With
 * the worst week set aside, the mean shortfall must reach `bandFloor` and `alertSigma` standard
 * errors, plus up to `MAX_OUTLIER_EXTRA_SIGMA` more the further the worst week sits beyond the
 * others (see `outlierExtraSigma`). A week's error combines its counting error with the rate's
 * own movement (see `weeklyErrorOf`) and is at least half the band floor. The reference must
 * meet the minimum volumes. Returns null when any condition fails, and for a KPI without an
 * alert rate.
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
  const requiredScore = thresholds.alertSigma + outlierExtraSigma(shortfalls, relativeSd);

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
 * Returns the relative standard deviation of one week: the counting error at the reference
 * volume combined with the rate's own movement (`rateSpreadVariance`), and at least half the
 * band floor, because the floor is `bandSigma` standard deviations wide.
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
  const combined = Math.sqrt(counting ** 2 + rateSpreadVariance(history, counting));

  return Math.max(combined, thresholds.bandFloor / thresholds.bandSigma);
}

/**
 * Returns the variance of the rate's own week-to-week movement, relative to the rate: what the
 * spread of the weekly rates around their mean shows beyond `counting` (the counting error),
 * shrunk toward `PRIOR_RATE_SPREAD` with a weight of `PRIOR_RATE_SPREAD_WEIGHT` degrees of
 * freedom. With fewer than `MIN_RESIDUAL_WEEKS` weekly rates it returns the prior alone.
 */
export function rateSpreadVariance(rates: Array<number | null>, counting: number): number {
  const prior = PRIOR_RATE_SPREAD ** 2;
  const spread = residualRelativeSd(rates);
  if (spread === null) return prior;
  const degrees = rates.filter((value) => value !== null).length - 1;
  const excess = Math.max(0, spread ** 2 - counting ** 2);

  return (
    (degrees * excess + PRIOR_RATE_SPREAD_WEIGHT * prior) / (degrees + PRIOR_RATE_SPREAD_WEIGHT)
  );
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
 * Returns the standard errors added to `alertSigma` for the gap between the worst and the second
 * worst shortfall: `OUTLIER_SIGMA_PER_SD` for each weekly standard deviation beyond
 * `OUTLIER_FREE_GAP_SD`, at most `MAX_OUTLIER_EXTRA_SIGMA`. In a decline the weeks fall together
 * and the gap stays small. A spike that recovered leaves one week far out, and the normal weeks
 * around it face a higher bar.
 */
export function outlierExtraSigma(shortfalls: number[], relativeSd: number): number {
  if (shortfalls.length < 2 || !(relativeSd > 0)) return 0;
  const sorted = [...shortfalls].sort((a, b) => b - a);
  const gap = ((sorted[0] as number) - (sorted[1] as number)) / relativeSd;
  const extra = OUTLIER_SIGMA_PER_SD * Math.max(0, gap - OUTLIER_FREE_GAP_SD);

  return Math.min(MAX_OUTLIER_EXTRA_SIGMA, extra);
}

function present(points: Array<Metrics | null>): Metrics[] {
  return points.filter((point): point is Metrics => point !== null);
}
