import type { Thresholds } from '../config/schema.ts';
import { METRIC_KEYS, ratio, ZERO_METRICS } from '../shared/metrics.ts';
import type { KpiKey, Metrics } from '../shared/types.ts';

/** Direction in which a KPI's move is bad news; spend, impressions and clicks are neutral. */
export type BadDirection = 'down' | 'up' | 'neutral';

/** Definition of one KPI: how it is read from weekly metrics and judged. */
export interface KpiDefinition {
  key: KpiKey;
  badDirection: BadDirection;
  /**
   * True when a sustained bad move raises an ALERT: leads, CPL, HubSpot leads and CTR. CPC and
   * landing page views only show UP or DOWN, because their bad moves reach the reader through
   * CPL and leads, and every extra tested KPI adds false alerts.
   */
  alerts: boolean;
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
  /**
   * The KPI turned so that higher is better, for the sustained-move test: leads per unit of
   * spend for CPL, clicks per unit of spend for CPC, the value itself otherwise. Counting errors
   * are symmetric on this side (a week with few leads makes CPL jump, not leads per spend).
   */
  orientedValue(metrics: Metrics, scale: number): number | null;
  /** The count whose Poisson error bounds the KPI's relative error; null for spend. */
  count(metrics: Metrics): number | null;
  /** True when the weekly volume is large enough to trust a move (the minimum-volume guards). */
  hasVolume(metrics: Metrics, thresholds: Thresholds, scale: number): boolean;
}

const count = (pick: (m: Metrics) => number) => ({
  isCount: true,
  value: (m: Metrics) => pick(m),
  orientedValue: (m: Metrics) => pick(m),
  count: (m: Metrics) => pick(m),
});

const spendOk = (m: Metrics, t: Thresholds, scale: number) => m.spendMinor / scale >= t.minSpend;
const leadSpendOk = (m: Metrics, t: Thresholds, scale: number) =>
  m.cplSpendMinor / scale >= t.minSpend;

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    key: 'spend',
    alerts: false,
    isCount: false,
    badDirection: 'neutral',
    money: true,
    leadGenOnly: false,
    followsSpend: false,
    value: (m, scale) => m.spendMinor / scale,
    orientedValue: (m, scale) => m.spendMinor / scale,
    count: () => null,
    hasVolume: spendOk,
  },
  {
    key: 'impressions',
    alerts: false,
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    ...count((m) => m.impressions),
    hasVolume: (m, t) => m.impressions >= t.minImpressions,
  },
  {
    key: 'clicks',
    alerts: false,
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    ...count((m) => m.clicks),
    hasVolume: (m, t) => m.clicks >= t.minClicks,
  },
  {
    key: 'ctr',
    alerts: true,
    isCount: false,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: false,
    value: (m) => ratio(m.clicks, m.impressions),
    orientedValue: (m) => ratio(m.clicks, m.impressions),
    count: (m) => m.clicks,
    hasVolume: (m, t) => m.clicks >= t.minClicks && m.impressions >= t.minImpressions,
  },
  {
    key: 'cpc',
    alerts: false,
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: false,
    followsSpend: false,
    value: (m, scale) => ratio(m.spendMinor / scale, m.clicks),
    orientedValue: (m, scale) => ratio(m.clicks, m.spendMinor / scale),
    count: (m) => m.clicks,
    hasVolume: (m, t, scale) => m.clicks >= t.minClicks && spendOk(m, t, scale),
  },
  {
    key: 'leads',
    alerts: true,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: true,
    ...count((m) => m.leads),
    hasVolume: (m, t) => m.leads >= t.minLeads,
  },
  {
    key: 'cpl',
    alerts: true,
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: true,
    followsSpend: false,
    value: (m, scale) => ratio(m.cplSpendMinor / scale, m.cplLeads),
    orientedValue: (m, scale) => ratio(m.cplLeads, m.cplSpendMinor / scale),
    count: (m) => m.cplLeads,
    hasVolume: (m, t, scale) => m.cplLeads >= t.minLeads && leadSpendOk(m, t, scale),
  },
  {
    key: 'landingPageViews',
    alerts: false,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    followsSpend: true,
    ...count((m) => m.landingPageViews),
    hasVolume: (m, t) => m.landingPageViews >= t.minClicks,
  },
  {
    key: 'hubspotLeads',
    alerts: true,
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
  const mean = { ...ZERO_METRICS };
  if (items.length === 0) return mean;
  // Spelled out field by field: this runs for every KPI of every entity, and it is the hot path
  // of the benchmark.
  for (const item of items) {
    mean.spendMinor += item.spendMinor;
    mean.impressions += item.impressions;
    mean.clicks += item.clicks;
    mean.leads += item.leads;
    mean.landingPageViews += item.landingPageViews;
    mean.hubspotLeads += item.hubspotLeads;
    mean.cplSpendMinor += item.cplSpendMinor;
    mean.cplLeads += item.cplLeads;
  }
  for (const key of METRIC_KEYS) mean[key] /= items.length;

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
