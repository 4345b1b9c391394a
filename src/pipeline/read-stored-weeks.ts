import { logger } from '../shared/logger.ts';
import type { CampaignWeek, PropertyWeek, Week } from '../shared/types.ts';
import type { MetricsStore } from '../storage/metrics-store.ts';

/** The campaign-weeks and property-weeks already stored for the weeks a run works on. */
export interface StoredWeeks {
  /** Keyed by `weekKey(campaignId, weekStart)`. */
  campaigns: Map<string, CampaignWeek>;
  /** Keyed by `weekKey(propertyId, weekStart)`. */
  properties: Map<string, PropertyWeek>;
  /** Property-weeks whose stored campaign list was read, so every campaign of them is present. */
  listed: Set<string>;
}

/** Returns the key of one id's week in the `StoredWeeks` maps. */
export function weekKey(id: string, weekStart: string): string {
  return `${id}|${weekStart}`;
}

/**
 * Reads the campaign-weeks that the stored property-weeks list, by exact key, and returns them
 * with those property-weeks. It needs no fetched data, so it runs while the sources are fetched,
 * and its reads do not grow with history.
 */
export async function readStoredWeeks(
  store: MetricsStore,
  propertyWeeks: PropertyWeek[],
): Promise<StoredWeeks> {
  const startedAt = performance.now();
  const listed = propertyWeeks.filter((week) => Array.isArray(week.campaignIds));
  const campaignWeeks = await store.getCampaignWeeks(
    listed.flatMap((week) =>
      (week.campaignIds ?? []).map((campaignId) => ({ campaignId, weekStart: week.weekStart })),
    ),
  );
  logger.info('Read stored weeks', {
    propertyWeeks: propertyWeeks.length,
    campaignWeeks: campaignWeeks.length,
    durationMs: Math.round(performance.now() - startedAt),
  });

  return {
    campaigns: new Map(
      campaignWeeks.map((week) => [weekKey(week.campaignId, week.weekStart), week]),
    ),
    properties: new Map(
      propertyWeeks.map((week) => [weekKey(week.propertyId, week.weekStart), week]),
    ),
    listed: new Set(listed.map((week) => weekKey(week.propertyId, week.weekStart))),
  };
}

/** Reads each property's stored weeks among `weeks` with one limited Query per property. */
export async function readPropertyWeeks(
  store: MetricsStore,
  input: { propertyIds: string[]; weeks: Week[] },
): Promise<PropertyWeek[]> {
  const weekStarts = new Set(input.weeks.map((week) => week.start));
  const last = [...weekStarts].sort().at(-1);
  if (!last) return [];
  const perProperty = await Promise.all(
    [...new Set(input.propertyIds)].map((id) =>
      store.getPropertyHistory(id, last, weekStarts.size),
    ),
  );

  // A property with gaps in its weeks also returns weeks older than the window, so drop them.
  return perProperty.flat().filter((week) => weekStarts.has(week.weekStart));
}

/**
 * Adds the stored weeks of fetched campaigns that no stored campaign list named: campaigns of
 * property-weeks stored before the lists existed, or of weeks no run has stored. Reads nothing
 * when every property-week was listed.
 */
export async function readUnlistedCampaigns(
  store: MetricsStore,
  stored: StoredWeeks,
  input: { campaignWeeks: CampaignWeek[]; weeks: Week[] },
): Promise<StoredWeeks> {
  const propertyOf = new Map(input.campaignWeeks.map((week) => [week.campaignId, week.propertyId]));
  const keys = [...propertyOf].flatMap(([campaignId, propertyId]) =>
    input.weeks
      .filter((week) => !stored.listed.has(weekKey(propertyId, week.start)))
      .map((week) => ({ campaignId, weekStart: week.start })),
  );
  if (keys.length === 0) return stored;
  const found = await store.getCampaignWeeks(keys);
  logger.info('Read unlisted campaign weeks', { keys: keys.length, found: found.length });
  const campaigns = new Map(stored.campaigns);
  for (const week of found) campaigns.set(weekKey(week.campaignId, week.weekStart), week);

  return { ...stored, campaigns };
}
