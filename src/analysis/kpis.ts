import type { Thresholds } from '../config/schema.ts';
import { addMetrics, ratio, ZERO_METRICS } from '../shared/metrics.ts';
import type { KpiKey, Metrics } from '../shared/types.ts';

/** Which way a KPI must move to be bad news; `neutral` KPIs never raise a sustained ALERT. */
export type BadDirection = 'down' | 'up' | 'neutral';

/** How one KPI is read from weekly metrics and judged. */
export interface KpiDefinition {
  key: KpiKey;
  badDirection: BadDirection;
  /** Money KPIs need a currency; they are left out of totals that mix currencies. */
  money: boolean;
  /** True for plain weekly counts (impressions, clicks, leads, …), false for spend and ratios. */
  isCount: boolean;
  /** Only lead-generating entities have this KPI (CPL). */
  leadGenOnly: boolean;
  /**
   * True for volumes that rise and fall with the budget (leads, landing page views, HubSpot
   * leads): a fall that follows a budget cut is not an ALERT.
   */
  followsSpend: boolean;
  /** Display value: money in major units, ratios as fractions. */
  value(metrics: Metrics, scale: number): number | null;
  /** The count whose Poisson error bounds the KPI's relative error; null for spend. */
  count(metrics: Metrics): number | null;
  /** True when the weekly volume is large enough to trust a move (the minimum-volume guards). */
  hasVolume(metrics: Metrics, thresholds: Thresholds, scale: number): boolean;
}

const count = (pick: (m: Metrics) => number) => ({
  isCount: true,
  value: (m: Metrics) => pick(m),
  count: (m: Metrics) => pick(m),
});

const spendOk = (m: Metrics, t: Thresholds, scale: number) => m.spendMinor / scale >= t.minSpend;
const leadSpendOk = (m: Metrics, t: Thresholds, scale: number) =>
  m.cplSpendMinor / scale >= t.minSpend;

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    key: 'spend',
    isCount: false,
    badDirection: 'neutral',
    money: true,
    leadGenOnly: false,
    followsSpend: false,
    value: (m, scale) => m.spendMinor / scale,
    count: () => null,
    hasVolume: spendOk,
  },
  {
    key: 'impressions',
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    ...count((m) => m.impressions),
    hasVolume: (m, t) => m.impressions >= t.minImpressions,
  },
  {
    key: 'clicks',
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    ...count((m) => m.clicks),
    hasVolume: (m, t) => m.clicks >= t.minClicks,
  },
  {
    key: 'ctr',
    isCount: false,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    value: (m) => ratio(m.clicks, m.impressions),
    count: (m) => m.clicks,
    hasVolume: (m, t) => m.clicks >= t.minClicks && m.impressions >= t.minImpressions,
  },
  {
    key: 'cpc',
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: false,
    followsSpend: false,
    value: (m, scale) => ratio(m.spendMinor / scale, m.clicks),
    count: (m) => m.clicks,
    hasVolume: (m, t, scale) => m.clicks >= t.minClicks && spendOk(m, t, scale),
  },
  {
    key: 'leads',
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: true,
    ...count((m) => m.leads),
    hasVolume: (m, t) => m.leads >= t.minLeads,
  },
  {
    key: 'cpl',
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: true,
    followsSpend: false,
    value: (m, scale) => ratio(m.cplSpendMinor / scale, m.cplLeads),
    count: (m) => m.cplLeads,
    hasVolume: (m, t, scale) => m.cplLeads >= t.minLeads && leadSpendOk(m, t, scale),
  },
  {
    key: 'landingPageViews',
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: true,
    ...count((m) => m.landingPageViews),
    hasVolume: (m, t) => m.landingPageViews >= t.minClicks,
  },
  {
    key: 'hubspotLeads',
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: true,
    ...count((m) => m.hubspotLeads),
    hasVolume: (m, t) => m.hubspotLeads >= t.minLeads,
  },
];

/** Returns the definition of one KPI. */
export function kpiDefinition(key: KpiKey): KpiDefinition {
  const definition = KPI_DEFINITIONS.find((item) => item.key === key);
  if (!definition) throw new Error(`Unknown KPI "${key}"`);

  return definition;
}

/** Averages metrics field by field; the result is a weekly mean, so fields may be fractional. */
export function meanMetrics(items: Metrics[]): Metrics {
  if (items.length === 0) return { ...ZERO_METRICS };
  const total = addMetrics(...items);
  const mean = { ...total };
  for (const key of Object.keys(mean) as Array<keyof Metrics>)
    mean[key] = total[key] / items.length;

  return mean;
}

/**
 * Returns the KPI over several weeks pooled: additive KPIs as the weekly mean, ratios as the
 * ratio of the sums (a 4-week CPL is the 4 weeks' spend over their leads, not a mean of CPLs).
 */
export function pooledValue(definition: KpiDefinition, items: Metrics[], scale: number) {
  if (items.length === 0) return null;

  return definition.value(meanMetrics(items), scale);
}
