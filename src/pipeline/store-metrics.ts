import { logger } from '../shared/logger.ts';
import { METRIC_KEYS } from '../shared/metrics.ts';
import type {
  AllTimeTotals,
  CampaignWeek,
  Metrics,
  PropertyWeek,
  ReplacedValue,
} from '../shared/types.ts';
import { validateCampaignWeek, validatePropertyWeek } from '../storage/metric-items.ts';
import type { CatalogEntry, MetricsStore } from '../storage/metrics-store.ts';
import { type StoredWeeks, weekKey } from './read-stored-weeks.ts';

/**
 * Upserts this run's property-weeks and changed campaign-weeks, then updates all-time totals and
 * each report's campaign catalog (ids and names for `/adreport trend`). `stored` contains the
 * weeks stored before, so nothing is read here. It gives the values the writes replace, which show
 * what Meta restated. A re-fetched campaign-week whose figures did not change is not written
 * again. Returns those replaced values and each property's all-time totals after its latest week.
 * Every item is validated before anything is written.
 */
export async function storeMetrics(
  store: MetricsStore,
  input: { campaignWeeks: CampaignWeek[]; propertyWeeks: PropertyWeek[] },
  stored: StoredWeeks,
): Promise<{ replaced: ReplacedValue[]; allTime: Map<string, AllTimeTotals> }> {
  const startedAt = performance.now();
  input.campaignWeeks.forEach(validateCampaignWeek);
  input.propertyWeeks.forEach(validatePropertyWeek);

  const replaced = replacedValues(stored, input);
  const changed = input.campaignWeeks.filter(
    (week) => !sameFigures(week, stored.campaigns.get(weekKey(week.campaignId, week.weekStart))),
  );
  // Property-weeks first: their campaign lists may then name a campaign not yet written, which a
  // reader skips, but never miss one that is stored.
  await store.putPropertyWeeks(input.propertyWeeks.map((week) => withStoredIds(week, stored)));
  await store.putCampaignWeeks(changed);
  const allTime = await applyAllTime(store, input.propertyWeeks);
  await updateCatalogs(store, input.campaignWeeks);
  logger.info('Stored metrics', {
    campaignWeeks: input.campaignWeeks.length,
    unchangedCampaignWeeks: input.campaignWeeks.length - changed.length,
    propertyWeeks: input.propertyWeeks.length,
    replaced: replaced.length,
    durationMs: Math.round(performance.now() - startedAt),
  });

  return { replaced, allTime };
}

function replacedValues(
  stored: StoredWeeks,
  input: { campaignWeeks: CampaignWeek[]; propertyWeeks: PropertyWeek[] },
): ReplacedValue[] {
  const campaigns = input.campaignWeeks.flatMap((week) => {
    const before = stored.campaigns.get(weekKey(week.campaignId, week.weekStart));

    return before ? [before] : [];
  });
  const properties = input.propertyWeeks.flatMap((week) => {
    const before = stored.properties.get(weekKey(week.propertyId, week.weekStart));

    return before ? [before] : [];
  });

  return [
    ...campaigns.map(
      (week): ReplacedValue => ({
        kind: 'campaign',
        id: week.campaignId,
        propertyId: week.propertyId,
        weekStart: week.weekStart,
        metrics: week.metrics,
      }),
    ),
    ...properties.map(
      (week): ReplacedValue => ({
        kind: 'property',
        id: week.propertyId,
        propertyId: week.propertyId,
        weekStart: week.weekStart,
        metrics: week.metrics,
      }),
    ),
  ];
}

/**
 * Keeps the campaigns an earlier run listed for the week, since their items stay in the table
 * even when Meta no longer returns them.
 */
function withStoredIds(week: PropertyWeek, stored: StoredWeeks): PropertyWeek {
  const before = stored.properties.get(weekKey(week.propertyId, week.weekStart))?.campaignIds;
  if (!before || !week.campaignIds) return week;

  return { ...week, campaignIds: [...new Set([...week.campaignIds, ...before])].sort() };
}

/** Returns true when `stored` has the names and figures of `week`, whichever run wrote it. */
function sameFigures(week: CampaignWeek, stored: CampaignWeek | undefined): boolean {
  return (
    stored !== undefined && JSON.stringify(figuresOf(week)) === JSON.stringify(figuresOf(stored))
  );
}

function figuresOf(week: CampaignWeek) {
  return [
    week.campaignName,
    week.reportId,
    week.propertyId,
    week.accountId,
    week.currency,
    week.objective,
    week.isLeadGen,
    metricValues(week.metrics),
    week.adsets.map((adset) => [adset.adsetId, adset.adsetName, metricValues(adset.metrics)]),
  ];
}

function metricValues(metrics: Metrics): number[] {
  return METRIC_KEYS.map((key) => metrics[key]);
}

/** Applies each property's weeks oldest first, with the properties in parallel. */
async function applyAllTime(
  store: MetricsStore,
  weeks: PropertyWeek[],
): Promise<Map<string, AllTimeTotals>> {
  const byProperty = new Map<string, PropertyWeek[]>();
  for (const week of weeks)
    byProperty.set(week.propertyId, [...(byProperty.get(week.propertyId) ?? []), week]);
  const allTime = new Map<string, AllTimeTotals>();
  await Promise.all(
    [...byProperty].map(async ([propertyId, propertyWeeks]) => {
      const ordered = [...propertyWeeks].sort((a, b) => a.weekStart.localeCompare(b.weekStart));
      for (const week of ordered) allTime.set(propertyId, await store.applyAllTime(week));
    }),
  );

  return allTime;
}

/** Adds every campaign to its report's catalog with the newest week it was seen in. */
async function updateCatalogs(store: MetricsStore, weeks: CampaignWeek[]): Promise<void> {
  const byReport = new Map<string, Map<string, CatalogEntry>>();
  for (const week of weeks) {
    const entries = byReport.get(week.reportId) ?? new Map<string, CatalogEntry>();
    const known = entries.get(week.campaignId);
    if (!known || week.weekStart >= known.lastWeek) {
      entries.set(week.campaignId, {
        campaignId: week.campaignId,
        campaignName: week.campaignName,
        propertyId: week.propertyId,
        lastWeek: week.weekStart,
      });
    }
    byReport.set(week.reportId, entries);
  }
  for (const [reportId, entries] of byReport)
    await store.putCatalog(reportId, [...entries.values()]);
}
