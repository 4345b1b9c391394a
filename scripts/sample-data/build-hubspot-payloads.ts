/**
 * Builds the HubSpot contact search payload of one report week: the ad leads created in the week
 * (in the report's time zone), with the source properties that attribution reads and no personal
 * data. Contacts follow the campaigns' Meta leads, so busy campaigns bring more contacts.
 */
import { DateTime } from 'luxon';
import type { RawPayload } from '../../src/shared/types.ts';
import { buildAttributedValues, buildUnattributedValues } from './build-contact-values.ts';
import { binomial, mulberry32, pick, poisson, type Random, seedFrom } from './random.ts';
import {
  fetchTime,
  HUBSPOT_PAGE_SIZE,
  HUBSPOT_SEARCH_URL,
  PROPERTIES,
  type PropertyPlan,
  REPORT_ID,
  REPORT_TIME_ZONE,
  RUN_ID,
  WEEK_STARTS,
} from './sample-plan.ts';
import { type AdSetDelivery, type CampaignDelivery, leadsOf } from './simulate-campaign-weeks.ts';

/** Properties requested from the search. HubSpot adds `hs_object_id` and `lastmodifieddate`. */
export const CONTACT_PROPERTIES = [
  'client_property',
  'createdate',
  'hs_analytics_first_url',
  'hs_analytics_source',
  'hs_analytics_source_data_1',
  'hs_analytics_source_data_2',
  'hs_latest_source',
  'hs_latest_source_data_1',
  'hs_latest_source_data_2',
  'hs_object_source',
  'hsa_cam',
  'hsa_grp',
  'lifecyclestage',
  'utm_campaign',
];

/** Ad leads: paid social, or contacts that a lead-ads integration created as offline sources. */
export const LEAD_FILTER_GROUPS = [
  { filters: [{ propertyName: 'hs_analytics_source', operator: 'EQ', value: 'PAID_SOCIAL' }] },
  {
    filters: [
      { propertyName: 'hs_analytics_source', operator: 'EQ', value: 'OFFLINE' },
      { propertyName: 'hs_object_source', operator: 'EQ', value: 'INTEGRATION' },
    ],
  },
];

/** Share of Meta leads that reach HubSpot as a contact (an estimate for a plausible demo). */
const CAPTURE_RATE = 0.3;
const FIRST_CONTACT_ID = 94_000_000_001;

type ContactValues = Record<string, string | null>;

interface ContactDraft {
  createdMs: number;
  values: ContactValues;
}

/** Builds the `contacts.json` payloads of every report week, with ids rising in creation order. */
export function buildContactPayloads(deliveries: CampaignDelivery[]): RawPayload[] {
  let nextId = FIRST_CONTACT_ID;

  return WEEK_STARTS.map((weekStart, week) => {
    const random = mulberry32(seedFrom(`hubspot ${weekStart}`));
    const range = weekRange(weekStart);
    const drafts = [
      ...deliveries.flatMap((delivery) => draftCampaignContacts(random, delivery, week)),
      ...PROPERTIES.flatMap((property) => draftUnattributedContacts(random, property)),
    ].map((draft) => ({ ...draft, createdMs: range.startMs + draft.createdMs * range.lengthMs }));
    drafts.sort((a, b) => a.createdMs - b.createdMs);
    const results = drafts.map((draft) => toSearchResult(random, draft, String(nextId++)));

    return {
      key: {
        source: 'hubspot',
        account: REPORT_ID,
        weekStart,
        runId: RUN_ID,
        name: 'contacts',
      },
      fetchedAt: fetchTime(weekStart, 5),
      request: { url: HUBSPOT_SEARCH_URL, params: searchParams(range) },
      pages: paginate(results),
    } satisfies RawPayload;
  });
}

// `createdMs` of a draft is a fraction of the week until the week's range is applied.
function draftCampaignContacts(
  random: Random,
  delivery: CampaignDelivery,
  week: number,
): ContactDraft[] {
  const { campaign } = delivery;
  if (campaign.contactStyle === 'none') return [];

  return (delivery.weeks[week] ?? []).flatMap((adset: AdSetDelivery) => {
    const leads = leadsOf(adset);
    const count = binomial(random, leads, CAPTURE_RATE);

    return Array.from({ length: count }, () => {
      const fromForm = random() < adset.formLeads / leads;
      const values = buildAttributedValues(random, campaign, adset.adset, fromForm);

      return { createdMs: random(), values };
    });
  });
}

function draftUnattributedContacts(random: Random, property: PropertyPlan): ContactDraft[] {
  const count = 1 + poisson(random, 2);

  return Array.from({ length: count }, () => ({
    createdMs: random(),
    values: buildUnattributedValues(random, property),
  }));
}

function toSearchResult(random: Random, draft: ContactDraft, id: string) {
  const createdAt = new Date(Math.round(draft.createdMs)).toISOString();
  const modifiedMs = Math.round(draft.createdMs) + 5_000 + Math.floor(random() * 7_200_000);
  const updatedAt = new Date(modifiedMs).toISOString();
  const properties: ContactValues = {
    ...draft.values,
    createdate: createdAt,
    hs_object_id: id,
    lastmodifieddate: updatedAt,
    lifecyclestage: pick(random, ['lead', 'lead', 'lead', 'marketingqualifiedlead']),
  };

  return { id, properties: sortKeys(properties), createdAt, updatedAt, archived: false };
}

function sortKeys(values: ContactValues): ContactValues {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface WeekRange {
  startMs: number;
  endMs: number;
  lengthMs: number;
}

/** Returns the week from Monday 00:00 to Sunday 23:59:59.999 in the report's zone (DST-aware). */
function weekRange(weekStart: string): WeekRange {
  const start = DateTime.fromISO(weekStart, { zone: REPORT_TIME_ZONE });
  const startMs = start.toMillis();
  const endMs = start.plus({ weeks: 1 }).toMillis() - 1;

  return { startMs, endMs, lengthMs: endMs - startMs };
}

function searchParams(range: WeekRange): Record<string, string> {
  const createdInWeek = {
    propertyName: 'createdate',
    operator: 'BETWEEN',
    value: String(range.startMs),
    highValue: String(range.endMs),
  };
  const filterGroups = LEAD_FILTER_GROUPS.map((group) => ({
    filters: [createdInWeek, ...group.filters],
  }));

  return {
    filterGroups: JSON.stringify(filterGroups),
    sorts: JSON.stringify([{ propertyName: 'createdate', direction: 'ASCENDING' }]),
    properties: CONTACT_PROPERTIES.join(','),
    limit: String(HUBSPOT_PAGE_SIZE),
  };
}

function paginate(results: object[]): object[] {
  const pages: object[] = [];
  for (let offset = 0; offset < results.length || offset === 0; offset += HUBSPOT_PAGE_SIZE) {
    const next = offset + HUBSPOT_PAGE_SIZE;
    pages.push({
      total: results.length,
      results: results.slice(offset, next),
      ...(next < results.length ? { paging: { next: { after: String(next) } } } : {}),
    });
  }

  return pages;
}
