import type { PropertyConfig } from '../config/schema.ts';
import { AdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { CampaignWeek, PropertyWeek, RawPayload, Week } from '../shared/types.ts';
import type { MetricsStore } from '../storage/metrics-store.ts';
import { applyAttribution, attributeLeads, type CampaignRef } from './attribute-leads.ts';
import type { FetchedSources } from './fetch-sources.ts';
import { type StoredWeeks, weekKey } from './read-stored-weeks.ts';
import type { EarlierWeekNote } from './types.ts';

/** Stored weeks that received HubSpot counts in this run. */
export interface FilledWeeks {
  campaignWeeks: CampaignWeek[];
  propertyWeeks: PropertyWeek[];
}

/**
 * Returns, newest first, at most `max` of `weeks` in which a stored property-week of one of
 * `propertyIds` has no HubSpot counts. Weeks with nothing stored are left out, because their
 * contacts would have no campaign-week or property-week to count on.
 */
export function selectUncountedWeeks(
  stored: PropertyWeek[],
  input: { propertyIds: string[]; weeks: Week[]; max: number },
): Week[] {
  const propertyIds = new Set(input.propertyIds);
  const uncounted = new Set(
    stored
      .filter((week) => propertyIds.has(week.propertyId) && week.hubspotCounted === false)
      .map((week) => week.weekStart),
  );

  return input.weeks
    .filter((week) => uncounted.has(week.start))
    .sort((a, b) => b.start.localeCompare(a.start))
    .slice(0, Math.max(0, input.max));
}

/**
 * Separates the HubSpot payloads of weeks before `fetchWeeks`, which fill stored weeks, from
 * those of the fetched weeks.
 */
export function splitEarlierPayloads(
  fetched: FetchedSources,
  fetchWeeks: Week[],
): { fetched: FetchedSources; earlier: RawPayload[] } {
  const fetchStarts = new Set(fetchWeeks.map((week) => week.start));
  const isFetched = (payload: RawPayload) => fetchStarts.has(payload.key.weekStart);

  return {
    fetched: {
      ...fetched,
      hubspot: { ...fetched.hubspot, payloads: fetched.hubspot.payloads.filter(isFetched) },
    },
    earlier: fetched.hubspot.payloads.filter((payload) => !isFetched(payload)),
  };
}

/**
 * Counts each payload's contacts on the campaign-weeks stored for its week and stores the counts
 * on the property-weeks that had none and on their campaign-weeks. Returns what it stored. An
 * `AdreportError` (a `StoreError`, say) returns a `failure` for the run notes instead, marked with
 * the payloads' weeks, because the report does not need these weeks and a later run searches them
 * again. Other errors are thrown.
 */
export async function fillStoredHubSpotLeads(
  store: MetricsStore,
  stored: StoredWeeks,
  input: { payloads: RawPayload[]; properties: PropertyConfig[] },
): Promise<FilledWeeks & { failure: EarlierWeekNote | null }> {
  if (input.payloads.length === 0) return { campaignWeeks: [], propertyWeeks: [], failure: null };
  const weekStarts = input.payloads.map((payload) => payload.key.weekStart);
  try {
    const complete = await readUnlistedWeeks(store, stored, weekStarts);
    const filled = countStoredWeeks(complete, input);
    await storeFilledWeeks(store, filled, complete);
    logger.info('Filled HubSpot leads of stored weeks', {
      weeks: weekStarts,
      propertyWeeks: filled.propertyWeeks.length,
      campaignWeeks: filled.campaignWeeks.length,
    });

    return { ...filled, failure: null };
  } catch (error) {
    if (!(error instanceof AdreportError)) throw error;
    logger.error('Filling HubSpot leads of stored weeks failed', {
      weeks: weekStarts,
      code: error.code,
      error,
    });
    const note = `HubSpot leads of the weeks of ${weekStarts.join(', ')} could not be stored (${error.message}), so they stay unknown until a later run counts them`;

    return { campaignWeeks: [], propertyWeeks: [], failure: { weekStarts, note } };
  }
}

/**
 * Returns the stored weeks without HubSpot counts among the payloads' weeks, with the counts set:
 * `hubspotLeads` of every campaign, ad set and property, the property's
 * `unattributedHubspotLeads`, and `hubspotCounted`. Every other field is copied unchanged, so
 * Meta's figures, the campaign lists and the run ids stay as stored.
 */
export function countStoredWeeks(
  stored: StoredWeeks,
  input: { payloads: RawPayload[]; properties: PropertyConfig[] },
): FilledWeeks {
  const filled: FilledWeeks = { campaignWeeks: [], propertyWeeks: [] };
  for (const payload of input.payloads) {
    const week = countStoredWeek(stored, payload, input.properties);
    filled.campaignWeeks.push(...week.campaignWeeks);
    filled.propertyWeeks.push(...week.propertyWeeks);
  }

  return filled;
}

function countStoredWeek(
  stored: StoredWeeks,
  payload: RawPayload,
  properties: PropertyConfig[],
): FilledWeeks {
  const weekStart = payload.key.weekStart;
  const uncounted = [...stored.properties.values()].filter(
    (week) => week.weekStart === weekStart && week.hubspotCounted === false,
  );
  if (uncounted.length === 0) return { campaignWeeks: [], propertyWeeks: [] };
  // Every stored campaign of the week is a candidate, so contacts of campaigns whose property is
  // already counted land on them and not among the unattributed leads of the others.
  const campaigns = [...stored.campaigns.values()].filter((week) => week.weekStart === weekStart);
  const attribution = attributeLeads(payload, campaigns.map(toCampaignRef), properties);
  const fillIds = new Set(uncounted.map((week) => week.propertyId));
  const campaignWeeks = applyAttribution(campaigns, attribution)
    .filter((week) => fillIds.has(week.propertyId))
    .map((week) => ({ ...week, hubspotCounted: true }));
  const propertyWeeks = uncounted.map((week): PropertyWeek => {
    const unattributed = attribution.unattributed.byProperty.get(week.propertyId) ?? 0;
    const attributed = campaignWeeks
      .filter((campaign) => campaign.propertyId === week.propertyId)
      .reduce((sum, campaign) => sum + campaign.metrics.hubspotLeads, 0);

    return {
      ...week,
      metrics: { ...week.metrics, hubspotLeads: attributed + unattributed },
      unattributedHubspotLeads: unattributed,
      hubspotCounted: true,
    };
  });

  return { campaignWeeks, propertyWeeks };
}

/**
 * Reads, through the property-week index, the campaigns of the property-weeks among `weekStarts`
 * that were stored before property-weeks listed their campaigns. Reads nothing when all are listed.
 */
async function readUnlistedWeeks(
  store: MetricsStore,
  stored: StoredWeeks,
  weekStarts: string[],
): Promise<StoredWeeks> {
  const starts = new Set(weekStarts);
  const unlisted = [...stored.properties.values()].filter(
    (week) =>
      starts.has(week.weekStart) && !stored.listed.has(weekKey(week.propertyId, week.weekStart)),
  );
  if (unlisted.length === 0) return stored;
  const found = await Promise.all(
    unlisted.map((week) => store.getCampaignsOfPropertyWeek(week.propertyId, week.weekStart)),
  );
  const campaigns = new Map(stored.campaigns);
  for (const week of found.flat()) campaigns.set(weekKey(week.campaignId, week.weekStart), week);

  return { ...stored, campaigns };
}

/**
 * Writes campaign-weeks before property-weeks. Later runs read `hubspotCounted` from the
 * property-week, so a write cut short leaves the week uncounted and a later run counts it again.
 * Then adds each property-week's new HubSpot leads to the all-time totals, oldest first.
 */
async function storeFilledWeeks(
  store: MetricsStore,
  filled: FilledWeeks,
  stored: StoredWeeks,
): Promise<void> {
  // NOTE: items are put whole, as read at the start of the run, so a backfill that writes the
  // same week at the same moment can lose its Meta figures to this older copy.
  await store.putCampaignWeeks(filled.campaignWeeks);
  await store.putPropertyWeeks(filled.propertyWeeks);
  const oldestFirst = [...filled.propertyWeeks].sort((a, b) =>
    a.weekStart.localeCompare(b.weekStart),
  );
  for (const week of oldestFirst) {
    const before = stored.properties.get(weekKey(week.propertyId, week.weekStart));
    await store.applyFilledHubspotLeads(week, before?.metrics.hubspotLeads ?? 0);
  }
}

function toCampaignRef(week: CampaignWeek): CampaignRef {
  return {
    campaignId: week.campaignId,
    campaignName: week.campaignName,
    propertyId: week.propertyId,
    adsets: week.adsets.map((adset) => ({ adsetId: adset.adsetId, adsetName: adset.adsetName })),
  };
}
