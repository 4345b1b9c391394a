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
  windowValue: number;
  referenceValue: number;
  /** Signed relative change of the window versus the reference (−0.25 = 25 % lower). */
  change: number;
  /** Standard errors of the move in the bad direction, measured on the log ratio. */
  score: number;
}

/**
 * Tests the last `sustainedWeeks` weeks against the `baselineWeeks` weeks before them. An ALERT
 * needs every week of the window worse than the reference, the window's pooled value at least
 * `bandFloor` worse, and that move at least `alertSigma` standard errors from zero, where the
 * error combines counting statistics and the entity's own history. The reference must meet the
 * minimum volumes, and a volume KPI that fell with the budget does not count.
 * Returns null when any condition fails.
 */
export function detectSustainedMove(input: {
  definition: KpiDefinition;
  points: Array<Metrics | null>;
  scale: number;
  thresholds: Thresholds;
}): SustainedMove | null {
  const { definition, points, scale, thresholds } = input;
  if (definition.badDirection === 'neutral') return null;
  const window = points.slice(-thresholds.sustainedWeeks);
  const before = points.slice(0, -thresholds.sustainedWeeks);
  const reference = present(before.slice(-thresholds.baselineWeeks));
  if (window.length < thresholds.sustainedWeeks || reference.length < 2) return null;
  if (window.some((week) => week === null || definition.value(week, scale) === null)) return null;
  const windowWeeks = window as Metrics[];
  const volume = meanMetrics(reference);
  if (!definition.hasVolume(volume, thresholds, scale)) return null;

  const referenceValue = pooledValue(definition, reference, scale);
  const windowValue = pooledValue(definition, windowWeeks, scale);
  if (referenceValue === null || windowValue === null || referenceValue <= 0) return null;
  const sign = definition.badDirection === 'down' ? -1 : 1;
  const everyWeekWorse = windowWeeks.every(
    (week) => sign * ((definition.value(week, scale) as number) - referenceValue) > 0,
  );
  const badChange = (sign * (windowValue - referenceValue)) / referenceValue;
  if (!everyWeekWorse || badChange < thresholds.bandFloor) return null;
  if (definition.followsSpend && fellWithBudget(windowWeeks, reference, thresholds)) return null;

  const history = before.map((week) => (week ? definition.value(week, scale) : null));
  const relativeSd = weeklyRelativeSd(definition, volume, history);
  if (relativeSd === null || relativeSd === 0) return null;
  // Scored on the log ratio, so a 25 % fall in leads and the 33 % rise in CPL it causes weigh
  // the same.
  const error = relativeSd * Math.sqrt(1 / windowWeeks.length + 1 / reference.length);
  const score = Math.abs(Math.log(windowValue / referenceValue)) / error;
  if (score < thresholds.alertSigma) return null;

  return {
    weeks: windowWeeks.length,
    referenceWeeks: reference.length,
    windowValue,
    referenceValue,
    change: (windowValue - referenceValue) / referenceValue,
    score,
  };
}

/** True when the window's spend fell by more than the band floor versus the reference. */
function fellWithBudget(window: Metrics[], reference: Metrics[], thresholds: Thresholds): boolean {
  const windowSpend = meanMetrics(window).spendMinor;
  const referenceSpend = meanMetrics(reference).spendMinor;

  return windowSpend < (1 - thresholds.bandFloor) * referenceSpend;
}

function present(points: Array<Metrics | null>): Metrics[] {
  return points.filter((point): point is Metrics => point !== null);
}
