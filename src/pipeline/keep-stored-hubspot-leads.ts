import type { AdSetWeek, CampaignWeek, PropertyWeek, Week } from '../shared/types.ts';
import { selectUncountedWeeks } from './fill-stored-hubspot-leads.ts';
import { type StoredWeeks, weekKey } from './read-stored-weeks.ts';

interface WeeksToStore {
  campaignWeeks: CampaignWeek[];
  propertyWeeks: PropertyWeek[];
}

/**
 * Copies the HubSpot lead counts already stored for the weeks this run has no HubSpot data for: the
 * earlier weeks re-fetched from Meta, or every week when HubSpot failed. Meta's figures are still
 * re-stored for those weeks, but zeros from the missing HubSpot data would otherwise overwrite the
 * counts that earlier runs stored. Weeks with nothing stored keep their counts.
 */
export function keepStoredHubSpotLeads(
  stored: StoredWeeks,
  all: WeeksToStore,
  weeksWithHubSpot: ReadonlySet<string> = new Set(),
): WeeksToStore {
  return {
    campaignWeeks: all.campaignWeeks.map((week) =>
      weeksWithHubSpot.has(week.weekStart)
        ? week
        : withCampaignLeads(week, stored.campaigns.get(weekKey(week.campaignId, week.weekStart))),
    ),
    propertyWeeks: all.propertyWeeks.map((week) =>
      weeksWithHubSpot.has(week.weekStart)
        ? week
        : withPropertyLeads(week, stored.properties.get(weekKey(week.propertyId, week.weekStart))),
    ),
  };
}

/**
 * Returns the weeks to search HubSpot for: the report week (the last of `weeks`), and each earlier
 * week that a property has no HubSpot counts for. That happens on a new store, after a week whose
 * Meta data was unavailable, and after a failed HubSpot search. It also adds up to
 * `maxEarlierWeeks` of the `earlierWeeks` before `weeks`, newest first, that have a stored
 * property-week without counts. Without this, such a week would stay uncounted.
 */
export function weeksMissingHubSpot(
  stored: PropertyWeek[],
  input: { propertyIds: string[]; weeks: Week[]; earlierWeeks?: Week[]; maxEarlierWeeks?: number },
): Week[] {
  const first = input.weeks[0]?.start;
  const earlier = selectUncountedWeeks(stored, {
    propertyIds: input.propertyIds,
    weeks: (input.earlierWeeks ?? []).filter((week) => first !== undefined && week.start < first),
    max: input.maxEarlierWeeks ?? 0,
  });

  // Oldest first, like `weeks`.
  return [...earlier.reverse(), ...fetchedWeeksMissingHubSpot(stored, input)];
}

function fetchedWeeksMissingHubSpot(
  stored: PropertyWeek[],
  input: { propertyIds: string[]; weeks: Week[] },
): Week[] {
  const counted = new Set(
    stored
      .filter((week) => week.hubspotCounted !== false)
      .map((week) => weekKey(week.propertyId, week.weekStart)),
  );
  const reportWeek = input.weeks.at(-1);

  return input.weeks.filter(
    (week) =>
      week === reportWeek || input.propertyIds.some((id) => !counted.has(weekKey(id, week.start))),
  );
}

function withCampaignLeads(week: CampaignWeek, stored: CampaignWeek | undefined): CampaignWeek {
  if (!stored) return week;
  const storedAdsets = new Map(stored.adsets.map((adset) => [adset.adsetId, adset]));

  return {
    ...week,
    metrics: { ...week.metrics, hubspotLeads: stored.metrics.hubspotLeads },
    hubspotCounted: stored.hubspotCounted !== false,
    adsets: week.adsets.map(
      (adset): AdSetWeek => ({
        ...adset,
        metrics: {
          ...adset.metrics,
          hubspotLeads: storedAdsets.get(adset.adsetId)?.metrics.hubspotLeads ?? 0,
        },
      }),
    ),
  };
}

function withPropertyLeads(week: PropertyWeek, stored: PropertyWeek | undefined): PropertyWeek {
  if (!stored) return week;

  return {
    ...week,
    metrics: { ...week.metrics, hubspotLeads: stored.metrics.hubspotLeads },
    unattributedHubspotLeads: stored.unattributedHubspotLeads,
    hubspotCounted: stored.hubspotCounted !== false,
  };
}
