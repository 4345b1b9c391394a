import {
  collectAlerts,
  computeEntitySignals,
  detectRestatements,
  MAX_SERIES_WEEKS,
  type SeriesPoint,
} from '../analysis/signals.ts';
import type { Thresholds } from '../config/schema.ts';
import { logger } from '../shared/logger.ts';
import { addMetrics } from '../shared/metrics.ts';
import type {
  Alert,
  CampaignWeek,
  EntitySignals,
  History,
  Metrics,
  PropertyWeek,
  ReplacedValue,
  Restatement,
  Week,
} from '../shared/types.ts';
import { weeksEndingWith } from '../shared/week.ts';

/** Statuses of every entity in the report week, with the alerts and restated weeks. */
export interface SignalSet {
  totals: EntitySignals;
  /** Keyed by property id; `name` is the property id (display names live in the config). */
  properties: Map<string, EntitySignals>;
  /** Campaigns of the report week, plus lead campaigns that stopped delivering this week. */
  campaigns: Map<string, EntitySignals>;
  /** Ad sets of the report week's campaigns, keyed by ad set id. */
  adsets: Map<string, EntitySignals>;
  alerts: Alert[];
  restatements: Restatement[];
}

type WeekMap = Map<string, Metrics>;

/**
 * Computes the signals of the report, its properties, campaigns and ad sets over the report
 * week and its stored history. Only properties present in `propertyWeeks` are judged, so a
 * property whose fetch failed is neither zero nor "stopped".
 */
export function computeSignals(input: {
  reportId: string;
  reportName: string;
  currency: string | null;
  week: Week;
  campaignWeeks: CampaignWeek[];
  propertyWeeks: PropertyWeek[];
  history: History;
  replaced: ReplacedValue[];
  thresholds: Thresholds;
}): SignalSet {
  const started = Date.now();
  const grid = weekGrid(input);
  const properties = computePropertySignals(input, grid);
  const { campaigns, adsets } = computeCampaignSignals(input, grid);
  const totals = computeEntitySignals({
    level: 'report',
    id: input.reportId,
    name: input.reportName,
    propertyId: null,
    currency: input.currency,
    isLeadGen: [...properties.values()].some((p) => p.kpis.some((kpi) => kpi.key === 'cpl')),
    series: totalSeries(input, grid),
    thresholds: input.thresholds,
  });
  const alerts = collectAlerts(alertingEntities(input, { totals, properties, campaigns, adsets }));
  const restatements = detectRestatements(
    input.replaced.filter((value) => value.weekStart < input.week.start),
    storedMetrics(input),
    input.thresholds,
  );
  logger.info('Computed signals', {
    weeks: grid.length,
    properties: properties.size,
    campaigns: campaigns.size,
    adsets: adsets.size,
    alerts: alerts.length,
    restatements: restatements.length,
    durationMs: Date.now() - started,
  });

  return { totals, properties, campaigns, adsets, alerts, restatements };
}

/**
 * Returns the entities whose alerts are listed. An alert that only repeats the one level below
 * is left out of the list (the statuses stay): an ad set that is its campaign's only ad set,
 * and a property or report whose single child already carries the ALERT.
 */
function alertingEntities(
  input: Parameters<typeof computeSignals>[0],
  signals: Omit<SignalSet, 'alerts' | 'restatements'>,
): EntitySignals[] {
  const onlyAdset = new Set(
    input.campaignWeeks
      .filter((week) => week.adsets.length === 1)
      .map((week) => week.adsets[0]?.adsetId),
  );
  const campaignsOf = (propertyId: string) =>
    [...signals.campaigns.values()].filter((campaign) => campaign.propertyId === propertyId);
  const properties = [...signals.properties.values()].map((property) =>
    withoutRepeatedAlerts(property, campaignsOf(property.id)),
  );
  const totals = withoutRepeatedAlerts(signals.totals, [...signals.properties.values()]);
  const adsets = [...signals.adsets.values()].filter((adset) => !onlyAdset.has(adset.id));

  return [totals, ...properties, ...signals.campaigns.values(), ...adsets];
}

/** Turns off, for the list only, the ALERTs that the entity's single child repeats. */
function withoutRepeatedAlerts(entity: EntitySignals, children: EntitySignals[]): EntitySignals {
  const [child] = children;
  if (children.length !== 1 || !child) return entity;
  const repeated = (key: string) =>
    child.kpis.some((kpi) => kpi.key === key && kpi.status === 'ALERT');

  return {
    ...entity,
    kpis: entity.kpis.map((kpi) =>
      kpi.status === 'ALERT' && repeated(kpi.key) ? { ...kpi, status: 'FLAT' as const } : kpi,
    ),
  };
}

/** Returns the week starts of the series, oldest first: back to the oldest stored week, at most 12. */
function weekGrid(input: { week: Week; history: History }): string[] {
  const stored = [...input.history.campaigns.values(), ...input.history.properties.values()]
    .flat()
    .map((item) => item.weekStart)
    .filter((start) => start < input.week.start);
  const oldest = stored.sort()[0] ?? input.week.start;
  const weeks = weeksEndingWith(input.week, MAX_SERIES_WEEKS).map((week) => week.start);

  return weeks.filter((start) => start >= oldest);
}

/** `uncounted` lists the weeks whose HubSpot leads are unknown (no HubSpot search covered them). */
function toSeries(grid: string[], weeks: WeekMap, uncounted: Set<string>): SeriesPoint[] {
  return grid.map((weekStart) => ({
    weekStart,
    metrics: weeks.get(weekStart) ?? null,
    hubspotUnknown: uncounted.has(weekStart),
  }));
}

function uncountedWeeks(weeks: Array<{ weekStart: string; hubspotCounted?: boolean }>) {
  return new Set(weeks.filter((w) => w.hubspotCounted === false).map((w) => w.weekStart));
}

function propertyWeeksOf(input: Parameters<typeof computeSignals>[0], propertyId: string) {
  return [
    ...(input.history.properties.get(propertyId) ?? []),
    ...input.propertyWeeks.filter((p) => p.propertyId === propertyId),
  ];
}

function computePropertySignals(
  input: Parameters<typeof computeSignals>[0],
  grid: string[],
): Map<string, EntitySignals> {
  const signals = new Map<string, EntitySignals>();
  for (const property of input.propertyWeeks) {
    const weeks = propertyWeekMap(input, property.propertyId);
    const leadGen =
      [...weeks.values()].some((m) => m.cplSpendMinor > 0 || m.cplLeads > 0) ||
      input.campaignWeeks.some((c) => c.propertyId === property.propertyId && c.isLeadGen);
    const entity = computeEntitySignals({
      level: 'property',
      id: property.propertyId,
      name: property.propertyId,
      propertyId: property.propertyId,
      currency: property.currency,
      isLeadGen: leadGen,
      series: toSeries(grid, weeks, uncountedWeeks(propertyWeeksOf(input, property.propertyId))),
      thresholds: input.thresholds,
    });
    signals.set(property.propertyId, entity);
  }

  return signals;
}

function propertyWeekMap(input: Parameters<typeof computeSignals>[0], propertyId: string) {
  // Later entries win, so this run's week replaces a stored copy of it.
  const weeks: WeekMap = new Map(
    propertyWeeksOf(input, propertyId).map((week) => [week.weekStart, week.metrics]),
  );

  return weeks;
}

function computeCampaignSignals(input: Parameters<typeof computeSignals>[0], grid: string[]) {
  const campaigns = new Map<string, EntitySignals>();
  const adsets = new Map<string, EntitySignals>();
  for (const weeks of campaignHistories(input)) {
    const latest = weeks.at(-1) as CampaignWeek;
    const metrics: WeekMap = new Map(weeks.map((week) => [week.weekStart, week.metrics]));
    const uncounted = uncountedWeeks(weeks);
    const base = {
      propertyId: latest.propertyId,
      currency: latest.currency,
      isLeadGen: latest.isLeadGen,
      thresholds: input.thresholds,
    };
    const campaign = computeEntitySignals({
      ...base,
      level: 'campaign',
      id: latest.campaignId,
      name: latest.campaignName,
      series: toSeries(grid, metrics, uncounted),
    });
    campaigns.set(latest.campaignId, campaign);
    if (latest.weekStart !== input.week.start) continue;
    for (const adset of latest.adsets) {
      const series = toSeries(grid, adsetWeekMap(weeks, adset.adsetId), uncounted);
      const name = adset.adsetName;
      adsets.set(
        adset.adsetId,
        computeEntitySignals({ ...base, level: 'adset', id: adset.adsetId, name, series }),
      );
    }
  }

  return { campaigns, adsets };
}

/**
 * Returns each judged campaign's weeks, oldest first: campaigns of the report week, and those
 * whose last week was the one before it in a property fetched this week (they stopped).
 */
function campaignHistories(input: Parameters<typeof computeSignals>[0]): CampaignWeek[][] {
  const fetched = new Set(input.propertyWeeks.map((p) => p.propertyId));
  const previousWeek = weeksEndingWith(input.week, 2)[0]?.start;
  const histories = new Map<string, CampaignWeek[]>();
  for (const [campaignId, weeks] of input.history.campaigns) {
    const earlier = weeks.filter((week) => week.weekStart < input.week.start);
    const last = earlier.at(-1);
    if (last && last.weekStart === previousWeek && fetched.has(last.propertyId)) {
      histories.set(campaignId, earlier);
    }
  }
  for (const current of input.campaignWeeks) {
    const earlier = (input.history.campaigns.get(current.campaignId) ?? []).filter(
      (week) => week.weekStart < input.week.start,
    );
    histories.set(current.campaignId, [...earlier, current]);
  }

  return [...histories.values()].filter((weeks) => weeks.length > 0);
}

function adsetWeekMap(weeks: CampaignWeek[], adsetId: string): WeekMap {
  const map: WeekMap = new Map();
  for (const week of weeks) {
    const adset = week.adsets.find((item) => item.adsetId === adsetId);
    if (adset) map.set(week.weekStart, adset.metrics);
  }

  return map;
}

/**
 * Sums the report week's properties week by week. A week is null when a property that already
 * had data by then is missing it, because a partial total would look like a drop. Weeks before
 * a property's first stored week count it as zero.
 */
function totalSeries(input: Parameters<typeof computeSignals>[0], grid: string[]): SeriesPoint[] {
  const maps = input.propertyWeeks.map((p) => propertyWeekMap(input, p.propertyId));
  const firstWeeks = maps.map((map) => [...map.keys()].sort()[0] ?? input.week.start);
  // A week with one property's HubSpot leads unknown has an unknown HubSpot total.
  const uncounted = uncountedWeeks(
    input.propertyWeeks.flatMap((p) => propertyWeeksOf(input, p.propertyId)),
  );

  return grid.map((weekStart) => {
    const parts = maps.map((map) => map.get(weekStart) ?? null);
    const gap = parts.some((part, index) => part === null && (firstWeeks[index] ?? '') < weekStart);
    const metrics = parts.filter((part): part is Metrics => part !== null);
    const total = gap || metrics.length === 0 ? null : addMetrics(...metrics);

    return { weekStart, metrics: total, hubspotUnknown: uncounted.has(weekStart) };
  });
}

/** Maps `${kind}:${id}:${weekStart}` to the metrics stored now, for the restatement check. */
function storedMetrics(input: Parameters<typeof computeSignals>[0]): Map<string, Metrics> {
  const stored = new Map<string, Metrics>();
  for (const [id, weeks] of input.history.campaigns) {
    for (const week of weeks) stored.set(`campaign:${id}:${week.weekStart}`, week.metrics);
  }
  for (const [id, weeks] of input.history.properties) {
    for (const week of weeks) stored.set(`property:${id}:${week.weekStart}`, week.metrics);
  }

  return stored;
}
