import type { AllTimeTotals, CampaignWeek, History, PropertyWeek, Week } from '../shared/types.ts';
import { shiftWeek, weeksEndingWith } from '../shared/week.ts';
import { type StoredWeeks, weekKey } from './read-stored-weeks.ts';

interface HistoryInput {
  campaignIds: string[];
  propertyIds: string[];
  reportWeek: Week;
  /** Weeks before the report week to include. */
  weeks: number;
  /** The weeks stored before this run. */
  stored: StoredWeeks;
  /**
   * The weeks this run stored, re-fetched or given HubSpot counts, which replace their stored
   * copies.
   */
  current: { campaignWeeks: CampaignWeek[]; propertyWeeks: PropertyWeek[] };
  allTime: Map<string, AllTimeTotals>;
}

/**
 * Builds the `weeks` weeks before the report week for every campaign and property from the weeks
 * read at the start of the run and the weeks this run stored, so history costs no further reads.
 * Every requested id has an entry, empty when nothing is stored; lists are oldest first.
 */
export function buildHistory(input: HistoryInput): History {
  const windowWeeks =
    input.weeks > 0 ? weeksEndingWith(shiftWeek(input.reportWeek, -1), input.weeks) : [];
  const campaigns = overlay(input.stored.campaigns, input.current.campaignWeeks, (w) =>
    weekKey(w.campaignId, w.weekStart),
  );
  const properties = overlay(input.stored.properties, input.current.propertyWeeks, (w) =>
    weekKey(w.propertyId, w.weekStart),
  );

  return {
    campaigns: listWeeks(unique(input.campaignIds), windowWeeks, campaigns),
    properties: listWeeks(unique(input.propertyIds), windowWeeks, properties),
    allTime: new Map([...input.allTime].filter(([id]) => input.propertyIds.includes(id))),
  };
}

function overlay<T>(stored: Map<string, T>, current: T[], keyOf: (week: T) => string) {
  const weeks = new Map(stored);
  for (const week of current) weeks.set(keyOf(week), week);

  return weeks;
}

function listWeeks<T>(ids: string[], windowWeeks: Week[], weeks: Map<string, T>) {
  return new Map(
    ids.map((id): [string, T[]] => [
      id,
      windowWeeks.flatMap((week) => {
        const found = weeks.get(weekKey(id, week.start));

        return found ? [found] : [];
      }),
    ]),
  );
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
