import { logger } from '../shared/logger.ts';
import type { AllTimeTotals, CampaignWeek, History, PropertyWeek, Week } from '../shared/types.ts';
import { shiftWeek, weeksEndingWith } from '../shared/week.ts';
import type { MetricsStore } from '../storage/metrics-store.ts';

/**
 * Loads the `weeks` weeks before the report week for every campaign and property, plus each
 * property's all-time totals. Campaigns are read with BatchGet of their exact keys and properties
 * with a limited Query, so the reads do not grow with the length of history. Every requested id
 * has an entry, empty when nothing is stored; lists are oldest first.
 */
export async function loadHistory(
  store: MetricsStore,
  input: { campaignIds: string[]; propertyIds: string[]; reportWeek: Week; weeks: number },
): Promise<History> {
  const startedAt = performance.now();
  const windowWeeks =
    input.weeks > 0 ? weeksEndingWith(shiftWeek(input.reportWeek, -1), input.weeks) : [];
  const [campaigns, properties, allTime] = await Promise.all([
    loadCampaigns(store, unique(input.campaignIds), windowWeeks),
    loadProperties(store, unique(input.propertyIds), windowWeeks),
    loadAllTime(store, unique(input.propertyIds)),
  ]);
  logger.info('Loaded history', {
    campaigns: campaigns.size,
    properties: properties.size,
    weeks: windowWeeks.length,
    durationMs: Math.round(performance.now() - startedAt),
  });

  return { campaigns, properties, allTime };
}

async function loadCampaigns(
  store: MetricsStore,
  campaignIds: string[],
  windowWeeks: Week[],
): Promise<Map<string, CampaignWeek[]>> {
  const keys = campaignIds.flatMap((campaignId) =>
    windowWeeks.map((week) => ({ campaignId, weekStart: week.start })),
  );
  const found = keys.length > 0 ? await store.getCampaignWeeks(keys) : [];
  const campaigns = new Map(campaignIds.map((id): [string, CampaignWeek[]] => [id, []]));
  for (const week of found) campaigns.get(week.campaignId)?.push(week);
  for (const list of campaigns.values())
    list.sort((a, b) => a.weekStart.localeCompare(b.weekStart));

  return campaigns;
}

async function loadProperties(
  store: MetricsStore,
  propertyIds: string[],
  windowWeeks: Week[],
): Promise<Map<string, PropertyWeek[]>> {
  const first = windowWeeks[0];
  const last = windowWeeks.at(-1);
  const entries = await Promise.all(
    propertyIds.map(async (propertyId): Promise<[string, PropertyWeek[]]> => {
      if (!first || !last) return [propertyId, []];
      const weeks = await store.getPropertyHistory(propertyId, last.start, windowWeeks.length);

      // A property with gaps in its weeks also returns weeks older than the window, so drop them.
      return [propertyId, weeks.filter((week) => week.weekStart >= first.start)];
    }),
  );

  return new Map(entries);
}

async function loadAllTime(
  store: MetricsStore,
  propertyIds: string[],
): Promise<Map<string, AllTimeTotals>> {
  const allTime = new Map<string, AllTimeTotals>();
  await Promise.all(
    propertyIds.map(async (propertyId) => {
      const totals = await store.getAllTime(propertyId);
      if (totals) allTime.set(propertyId, totals);
    }),
  );

  return allTime;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
