import type { Thresholds } from '../config/schema.ts';
import type { Metrics } from '../shared/types.ts';
import { type KpiDefinition, meanMetrics, pooledValue } from './kpis.ts';
import { weeklyRelativeSd } from './noise-band.ts';

/** A sustained move in the bad direction: the figures behind an ALERT. */
export interface SustainedMove {
  /** Weeks in the window, ending with the report week. */
  weeks: number;
  /** Weeks before the window that the window is compared with. */
  referenceWeeks: number;
  /** Pooled KPI value of the window and of the reference, in display units. */
  windowValue: number;
  referenceValue: number;
  /** Signed relative change of the window versus the reference (−0.25 = 25 % lower). */
  change: number;
  /** Mean shortfall of the window in standard errors (see `detectSustainedMove`). */
  score: number;
}

/**
 * Tests whether the last `sustainedWeeks` weeks moved the bad way against up to
 * `referenceWeeks` weeks before them. The test reads the KPI turned so that higher is better
 * (leads per unit of spend for CPL) and, for volumes that follow the budget, expects a week to
 * fall in proportion to a spend cut. An ALERT needs every week of the window short of that
 * expectation and, with the worst week set aside, a mean shortfall of at least `bandFloor` and
 * of at least `alertSigma` standard errors. A week's error is the largest of its counting
 * error, the entity's own week-to-week spread and half the band floor. The reference must meet
 * the minimum volumes. Returns null when any condition fails.
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
  const reference = present(before.slice(-thresholds.referenceWeeks));
  if (window.length < thresholds.sustainedWeeks || reference.length < 2) return null;
  if (window.some((week) => week === null)) return null;
  const windowWeeks = window as Metrics[];
  const volume = meanMetrics(reference);
  if (!definition.hasVolume(volume, thresholds, scale)) return null;

  const shortfalls = weeklyShortfalls(definition, windowWeeks, volume, scale);
  if (shortfalls === null || shortfalls.some((shortfall) => shortfall <= 0)) return null;
  const kept = withoutWorstWeek(shortfalls);
  const typical = kept.reduce((sum, shortfall) => sum + shortfall, 0) / kept.length;
  if (typical < thresholds.bandFloor) return null;

  const measuredSd = weeklyRelativeSd(
    definition,
    volume,
    orientedHistory(definition, before, scale),
  );
  // The band floor is two standard deviations wide, so half of it floors the spread as well.
  const relativeSd = Math.max(measuredSd ?? 0, thresholds.bandFloor / thresholds.bandSigma);
  const error = relativeSd * Math.sqrt(1 / kept.length + 1 / reference.length);
  const score = typical / error;
  if (score < thresholds.alertSigma) return null;

  const referenceValue = pooledValue(definition, reference, scale);
  const windowValue = pooledValue(definition, windowWeeks, scale);
  if (referenceValue === null || windowValue === null || referenceValue === 0) return null;

  return {
    weeks: windowWeeks.length,
    referenceWeeks: reference.length,
    windowValue,
    referenceValue,
    change: (windowValue - referenceValue) / referenceValue,
    score,
  };
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

/** Returns the oriented values before the window, per unit of spend for budget-driven volumes. */
function orientedHistory(
  definition: KpiDefinition,
  before: Array<Metrics | null>,
  scale: number,
): Array<number | null> {
  return before.map((week) => {
    const value = week ? definition.orientedValue(week, scale) : null;
    if (value === null || week === null || !definition.followsSpend) return value;

    return week.spendMinor > 0 ? value / week.spendMinor : null;
  });
}

/**
 * Returns the shortfalls without the largest one, so that one extreme week (a spike) cannot make
 * an ALERT: the other weeks of the window must carry it on their own.
 */
export function withoutWorstWeek(shortfalls: number[]): number[] {
  const sorted = [...shortfalls].sort((a, b) => a - b);

  return sorted.length > 1 ? sorted.slice(0, -1) : sorted;
}

function present(points: Array<Metrics | null>): Metrics[] {
  return points.filter((point): point is Metrics => point !== null);
}
