import type { Metrics } from './types.ts';

export const ZERO_METRICS: Readonly<Metrics> = Object.freeze({
  spendMinor: 0,
  impressions: 0,
  clicks: 0,
  leads: 0,
  landingPageViews: 0,
  hubspotLeads: 0,
  cplSpendMinor: 0,
  cplLeads: 0,
});

const METRIC_KEYS = Object.keys(ZERO_METRICS) as Array<keyof Metrics>;

/** Sums metrics field by field. */
export function addMetrics(...items: Metrics[]): Metrics {
  const total: Metrics = { ...ZERO_METRICS };
  for (const item of items) {
    for (const key of METRIC_KEYS) total[key] += item[key];
  }

  return total;
}

/** Subtracts `b` from `a` field by field (used for restatement deltas). */
export function subtractMetrics(a: Metrics, b: Metrics): Metrics {
  const result: Metrics = { ...ZERO_METRICS };
  for (const key of METRIC_KEYS) result[key] = a[key] - b[key];

  return result;
}

/** Divides, returning null for a zero or missing denominator so no NaN or Infinity escapes. */
export function ratio(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    return null;
  }

  return numerator / denominator;
}

/** Click-through rate as a fraction of impressions. */
export const ctr = (m: Metrics): number | null => ratio(m.clicks, m.impressions);

/** Cost per click in minor units. */
export const cpcMinor = (m: Metrics): number | null => ratio(m.spendMinor, m.clicks);

/** Cost per lead in minor units: lead-generating spend over lead-generating leads only. */
export const cplMinor = (m: Metrics): number | null => ratio(m.cplSpendMinor, m.cplLeads);

export { METRIC_KEYS };
