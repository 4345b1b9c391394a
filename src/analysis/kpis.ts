import type { Thresholds } from '../config/schema.ts';
import { METRIC_KEYS, ratio, ZERO_METRICS } from '../shared/metrics.ts';
import type { KpiKey, Metrics } from '../shared/types.ts';

/** Direction in which a KPI's move is bad news; spend, impressions and clicks are neutral. */
export type BadDirection = 'down' | 'up' | 'neutral';

/**
 * Rate that the sustained-move test compares for a KPI that can raise a sustained ALERT: events
 * per unit of exposure, higher is better. Reading a rate given its exposure keeps budget changes
 * out of the test, and its counting error is Poisson on the events.
 */
export interface AlertRate {
  /** Name of the rate in an ALERT reason, such as "Leads per click". */
  label: string;
  /** Events counted in a week, such as leads. */
  events(metrics: Metrics): number;
  /** Exposure the events are counted per: clicks, or lead-generating spend in major units. */
  exposure(metrics: Metrics, scale: number): number;
  /** True when this rate is the one to test over these weeks of an entity. */
  appliesTo(weeks: Metrics[]): boolean;
}

/** Definition of one KPI: how it is read from weekly metrics and judged. */
export interface KpiDefinition {
  key: KpiKey;
  badDirection: BadDirection;
  /**
   * Rate whose sustained fall raises an ALERT, or null for a KPI that only shows UP or DOWN.
   * Only leads and CPL have one, and only one of the two applies to an entity (`appliesTo`), so
   * each entity spends the false-ALERT budget on a single lead test. HubSpot leads are Meta's
   * leads as the CRM records them and fall with them.
   * NOTE: where leads per click is tested, a CPL rise that comes from costs (CPM or CTR) shows
   * as UP, not as ALERT.
   */
  alertRate: AlertRate | null;
  /** Money KPIs need a currency; they are left out of totals that mix currencies. */
  money: boolean;
  /** True for plain weekly counts (impressions, clicks, leads, …), false for spend and ratios. */
  isCount: boolean;
  /** Only lead-generating entities have this KPI (CPL). */
  leadGenOnly: boolean;
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

/** True when all of the week's spend and leads come from lead-generating campaigns. */
const allLeadGen = (m: Metrics) => m.cplSpendMinor === m.spendMinor && m.cplLeads === m.leads;

/**
 * Leads per click, the conversion rate: the lead test wherever every click comes from
 * lead-generating campaigns. A change of the lead rate shows here without the week-to-week
 * noise of CPM and CTR that leads per unit of spend also carry.
 */
const LEADS_PER_CLICK: AlertRate = {
  label: 'Leads per click',
  events: (m) => m.leads,
  exposure: (m) => m.clicks,
  appliesTo: (weeks) => weeks.every(allLeadGen),
};

/**
 * Leads per unit of lead-generating spend, the inverse of CPL: the lead test where brand
 * campaigns share the clicks (a property or report total), so leads per click would be
 * diluted. Each entity gets one lead test, because leads, CPL and HubSpot leads fall together
 * when the lead rate falls, and every extra test spends part of the same false-ALERT budget.
 */
const LEADS_PER_SPEND: AlertRate = {
  label: 'Leads per unit of spend',
  events: (m) => m.cplLeads,
  exposure: (m, scale) => m.cplSpendMinor / scale,
  appliesTo: (weeks) => !weeks.every(allLeadGen),
};

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    key: 'spend',
    alertRate: null,
    isCount: false,
    badDirection: 'neutral',
    money: true,
    leadGenOnly: false,
    value: (m, scale) => m.spendMinor / scale,
    count: () => null,
    hasVolume: spendOk,
  },
  {
    key: 'impressions',
    alertRate: null,
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    ...count((m) => m.impressions),
    hasVolume: (m, t) => m.impressions >= t.minImpressions,
  },
  {
    key: 'clicks',
    alertRate: null,
    badDirection: 'neutral',
    money: false,
    leadGenOnly: false,
    ...count((m) => m.clicks),
    hasVolume: (m, t) => m.clicks >= t.minClicks,
  },
  {
    key: 'ctr',
    alertRate: null,
    isCount: false,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    value: (m) => ratio(m.clicks, m.impressions),
    count: (m) => m.clicks,
    hasVolume: (m, t) => m.clicks >= t.minClicks && m.impressions >= t.minImpressions,
  },
  {
    key: 'cpc',
    alertRate: null,
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: false,
    value: (m, scale) => ratio(m.spendMinor / scale, m.clicks),
    count: (m) => m.clicks,
    hasVolume: (m, t, scale) => m.clicks >= t.minClicks && spendOk(m, t, scale),
  },
  {
    key: 'leads',
    alertRate: LEADS_PER_CLICK,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    ...count((m) => m.leads),
    hasVolume: (m, t) => m.leads >= t.minLeads,
  },
  {
    key: 'cpl',
    alertRate: LEADS_PER_SPEND,
    isCount: false,
    badDirection: 'up',
    money: true,
    leadGenOnly: true,
    value: (m, scale) => ratio(m.cplSpendMinor / scale, m.cplLeads),
    count: (m) => m.cplLeads,
    hasVolume: (m, t, scale) => m.cplLeads >= t.minLeads && leadSpendOk(m, t, scale),
  },
  {
    key: 'landingPageViews',
    alertRate: null,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
    ...count((m) => m.landingPageViews),
    hasVolume: (m, t) => m.landingPageViews >= t.minClicks,
  },
  {
    key: 'hubspotLeads',
    alertRate: null,
    badDirection: 'down',
    money: false,
    leadGenOnly: false,
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
