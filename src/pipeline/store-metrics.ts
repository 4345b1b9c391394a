import { logger } from '../shared/logger.ts';
import type { AllTimeTotals, CampaignWeek, PropertyWeek, ReplacedValue } from '../shared/types.ts';
import { validateCampaignWeek, validatePropertyWeek } from '../storage/metric-items.ts';
import type { CatalogEntry, MetricsStore } from '../storage/metrics-store.ts';

/**
 * Upserts this run's campaign-weeks and property-weeks, then updates all-time totals and each
 * report's campaign catalog (ids and names for `/adreport trend`). Returns the values the writes
 * replaced, so the caller can see what Meta restated, and each property's all-time totals after
 * its latest week. Every item is validated before anything is written.
 */
export async function storeMetrics(
  store: MetricsStore,
  input: { campaignWeeks: CampaignWeek[]; propertyWeeks: PropertyWeek[] },
): Promise<{ replaced: ReplacedValue[]; allTime: Map<string, AllTimeTotals> }> {
  const startedAt = performance.now();
  input.campaignWeeks.forEach(validateCampaignWeek);
  input.propertyWeeks.forEach(validatePropertyWeek);

  const replaced = await readReplaced(store, input);
  await store.putCampaignWeeks(input.campaignWeeks);
  await store.putPropertyWeeks(input.propertyWeeks);
  const allTime = await applyAllTime(store, input.propertyWeeks);
  await updateCatalogs(store, input.campaignWeeks);
  logger.info('Stored metrics', {
    campaignWeeks: input.campaignWeeks.length,
    propertyWeeks: input.propertyWeeks.length,
    replaced: replaced.length,
    durationMs: Math.round(performance.now() - startedAt),
  });

  return { replaced, allTime };
}

async function readReplaced(
  store: MetricsStore,
  input: { campaignWeeks: CampaignWeek[]; propertyWeeks: PropertyWeek[] },
): Promise<ReplacedValue[]> {
  const [campaigns, properties] = await Promise.all([
    store.getCampaignWeeks(
      input.campaignWeeks.map(({ campaignId, weekStart }) => ({ campaignId, weekStart })),
    ),
    store.getPropertyWeeks(
      input.propertyWeeks.map(({ propertyId, weekStart }) => ({ propertyId, weekStart })),
    ),
  ]);

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
