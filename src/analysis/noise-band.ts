import type { Thresholds } from '../config/schema.ts';
import type { Metrics } from '../shared/types.ts';
import type { KpiDefinition } from './kpis.ts';

/** Minimum number of week-over-week changes before the history spread is used. */
export const MIN_HISTORY_CHANGES = 4;

/** Scales a median absolute deviation to a normal standard deviation. */
const MAD_TO_SD = 1.4826;

/**
 * Returns the relative standard deviation of one week's KPI from counting statistics alone:
 * Poisson 1/√n for counts and count-based ratios (CPL from leads, CPC from clicks), binomial
 * √((1−p)/(p·n)) for CTR. Spend has no counting error (0). Null when the count is zero.
 */
export function countingRelativeSd(definition: KpiDefinition, volume: Metrics): number | null {
  const events = definition.count(volume);
  if (events === null) return 0;
  if (!(events > 0)) return null;
  if (definition.key === 'ctr') {
    const p = volume.impressions > 0 ? volume.clicks / volume.impressions : 0;

    return Math.sqrt(Math.max(0, 1 - p) / events);
  }

  return 1 / Math.sqrt(events);
}

/**
 * Returns the entity's own week-to-week spread as a relative standard deviation, from the
 * week-over-week log changes: the larger of their standard deviation and their scaled median
 * absolute deviation, so that neither a few calm weeks nor one odd week makes the band too
 * narrow. Scaled to one week, because a change between two independent weeks has √2 times the
 * spread of one week. Null with fewer than `MIN_HISTORY_CHANGES` changes.
 */
export function historyRelativeSd(values: Array<number | null>): number | null {
  const changes: number[] = [];
  for (let index = 1; index < values.length; index += 1) {
    const before = values[index - 1];
    const after = values[index];
    if (before != null && after != null && before > 0 && after > 0) {
      changes.push(Math.log(after / before));
    }
  }
  if (changes.length < MIN_HISTORY_CHANGES) return null;
  const center = median(changes);
  const mad = MAD_TO_SD * median(changes.map((change) => Math.abs(change - center)));
  const mean = changes.reduce((sum, change) => sum + change, 0) / changes.length;
  const variance =
    changes.reduce((sum, change) => sum + (change - mean) ** 2, 0) / (changes.length - 1);

  return Math.max(mad, Math.sqrt(variance)) / Math.SQRT2;
}

/** Minimum number of weeks before the residual spread is used. */
export const MIN_RESIDUAL_WEEKS = 5;

/**
 * Returns the spread of weekly values around their mean as a relative standard deviation (the
 * sample standard deviation over the mean). Weeks with no value are skipped. Null with fewer
 * than `MIN_RESIDUAL_WEEKS` values or a mean of zero. Around the mean, n weeks give n − 1
 * degrees of freedom, where week-over-week changes give fewer independent ones, so the
 * sustained-move test estimates the spread this way.
 */
export function residualRelativeSd(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  if (present.length < MIN_RESIDUAL_WEEKS) return null;
  const mean = present.reduce((sum, value) => sum + value, 0) / present.length;
  if (!(mean > 0)) return null;
  const squares = present.reduce((sum, value) => sum + (value / mean - 1) ** 2, 0);

  return Math.sqrt(squares / (present.length - 1));
}

/** Returns the larger of the counting and the history spread (either may be missing). */
export function weeklyRelativeSd(
  definition: KpiDefinition,
  volume: Metrics,
  history: Array<number | null>,
): number | null {
  const counting = countingRelativeSd(definition, volume);
  const spread = historyRelativeSd(history);
  if (counting === null) return spread;

  return Math.max(counting, spread ?? 0);
}

/**
 * Returns the half-width of the noise band around a baseline, in the KPI's own units.
 * `baselineWeeks` is how many weeks the baseline averages: its own error widens the band by
 * √(1 + 1/m). A zero baseline of a count gets the Poisson error of one event, so 0 → 3 leads can
 * still be a move. Null when there is no baseline.
 */
export function noiseBandWidth(input: {
  definition: KpiDefinition;
  baseline: number | null;
  baselineWeeks: number;
  volume: Metrics;
  history: Array<number | null>;
  thresholds: Thresholds;
}): number | null {
  const { definition, baseline, baselineWeeks, thresholds } = input;
  if (baseline === null || baselineWeeks < 1) return null;
  const widening = Math.sqrt(1 + 1 / baselineWeeks);
  if (baseline === 0) {
    return definition.isCount ? thresholds.bandSigma * widening : 0;
  }
  const relativeSd = weeklyRelativeSd(definition, input.volume, input.history) ?? 0;

  return baseline * Math.max(thresholds.bandFloor, thresholds.bandSigma * relativeSd * widening);
}

/** Returns the median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;

  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}
