import type { Client } from '@hubspot/api-client';
import type {
  FilterGroup,
  PublicObjectSearchRequest,
} from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { AdreportConfig } from '../config/schema.ts';
import { SourceError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { buildFilterGroups } from '../sources/hubspot/build-filter-groups.ts';
import {
  type RetryBudget,
  type SearchPageBody,
  searchContacts,
} from '../sources/hubspot/search-contacts.ts';
import {
  describeWindow,
  type SearchWindow,
  splitWindow,
  weekWindow,
} from '../sources/hubspot/search-window.ts';

/**
 * Contact properties that attribution reads. The `utm_*` and `hsa_*` ones are custom properties
 * that a portal may lack, in which case HubSpot leaves them out and attribution reads null.
 * Names and email addresses are never requested because attribution needs no personal data.
 */
export const CONTACT_PROPERTIES: string[] = [
  'createdate',
  'hs_analytics_source',
  'hs_analytics_source_data_1',
  'hs_analytics_source_data_2',
  'hs_latest_source',
  'hs_latest_source_data_1',
  'hs_latest_source_data_2',
  'hs_analytics_first_url',
  'hs_object_source',
  'utm_campaign',
  'utm_content',
  'utm_id',
  'hsa_cam',
  'hsa_grp',
];

/** Results per search page (HubSpot's maximum). */
export const SEARCH_PAGE_SIZE = 200;
/** Results one search query can reach. Paging past them is an HTTP 400. */
export const SEARCH_RESULT_CAP = 10_000;
/** Default bound, in milliseconds, on all retry waits of one fetch. */
export const DEFAULT_MAX_WAIT_MS = 120_000;
const SEARCH_PATH = '/crm/v3/objects/contacts/search';

export interface FetchHubSpotLeadsInput {
  reportId: string;
  week: Week;
  /** IANA zone in which the week runs from Monday 00:00 to Sunday 23:59:59.999. */
  timeZone: string;
  runId: string;
  leadFilterGroups: AdreportConfig['hubspot']['leadFilterGroups'];
  /** More properties to request, e.g. those each property's `contactFilter` reads. */
  extraProperties?: string[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Bound on all retry waits of this fetch, in milliseconds, 120 s by default. */
  maxWaitMs?: number;
}

interface FetchContext {
  client: Client;
  timeZone: string;
  filterGroups: FilterGroup[];
  properties: string[];
  budget: RetryBudget;
  pages: SearchPageBody[];
  windows: Array<{ window: string; total: number; contacts: number }>;
}

/**
 * Fetches the contacts created in the report week that match `leadFilterGroups`, judged in the
 * report's time zone, and returns them as one raw payload of search response pages. A window
 * whose total reaches the 10,000-result cap is split (by day, then hour, then halves) and fetched
 * part by part.
 */
export async function fetchHubSpotLeads(
  client: Client,
  input: FetchHubSpotLeadsInput,
): Promise<RawPayload> {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const window = weekWindow(input.week, input.timeZone);
  const context: FetchContext = {
    client,
    timeZone: input.timeZone,
    filterGroups: buildFilterGroups(input.leadFilterGroups, window),
    properties: [...new Set([...CONTACT_PROPERTIES, ...(input.extraProperties ?? [])])],
    budget: {
      now,
      sleep: input.sleep ?? defaultSleep,
      maxWaitMs: input.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      waitedMs: 0,
    },
    pages: [],
    windows: [],
  };
  await collectWindow(context, window);
  const payload = toPayload(client, input, context, window, now());
  logger.info('Fetched HubSpot contacts', {
    reportId: input.reportId,
    weekStart: input.week.start,
    contacts: countUnique(context.pages),
    pages: context.pages.length,
    windows: context.windows.length,
    retryWaitMs: context.budget.waitedMs,
    durationMs: now().getTime() - startedAt.getTime(),
  });

  return payload;
}

async function collectWindow(context: FetchContext, window: SearchWindow): Promise<void> {
  const first = await searchPage(context, window, undefined);
  if (first.total >= SEARCH_RESULT_CAP) {
    const parts = splitWindow(window, context.timeZone);
    if (parts.length === 0) throw tooManyContacts(context, window, first.total);
    logger.info('Splitting HubSpot search window', {
      window: describeWindow(window, context.timeZone),
      total: first.total,
      parts: parts.length,
    });
    for (const part of parts) await collectWindow(context, part);
    return;
  }
  const ids = new Set<string>();
  const cursors = new Set<string>();
  let page = first;
  for (;;) {
    context.pages.push(page);
    for (const result of page.results) ids.add(result.id);
    const after = page.paging?.next?.after;
    if (after === undefined || page.results.length === 0) break;
    checkCursor(context, window, after, cursors);
    page = await searchPage(context, window, after);
  }
  recordWindow(context, window, first.total, ids.size);
}

/** Stops a cursor that repeats or pages past the cap, which would otherwise loop or fail. */
function checkCursor(
  context: FetchContext,
  window: SearchWindow,
  after: string,
  cursors: Set<string>,
): void {
  if (!cursors.has(after) && cursors.size < SEARCH_RESULT_CAP / SEARCH_PAGE_SIZE) {
    cursors.add(after);
    return;
  }
  throw new SourceError(
    'hubspot_invalid_response',
    `HubSpot returned a repeated or out-of-range paging cursor "${after}" for ${describeWindow(window, context.timeZone)}`,
    {
      fix: 'run the report again; if it repeats, report the cursor to HubSpot support',
      retryable: true,
    },
  );
}

function searchPage(
  context: FetchContext,
  window: SearchWindow,
  after: string | undefined,
): Promise<SearchPageBody> {
  const request: PublicObjectSearchRequest = {
    filterGroups: withWindow(context.filterGroups, window),
    // The REST API takes sort objects. The SDK types `sorts` as strings but sends them unchanged.
    sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }] as unknown as string[],
    properties: context.properties,
    limit: SEARCH_PAGE_SIZE,
    ...(after === undefined ? {} : { after }),
  };

  return searchContacts(context.client, request, context.budget);
}

/** Replaces the `createdate` range of every group with `window`. */
function withWindow(groups: FilterGroup[], window: SearchWindow): FilterGroup[] {
  return groups.map((group) => ({
    filters: group.filters.map((filter) =>
      filter.propertyName === 'createdate' && filter.highValue !== undefined
        ? { ...filter, value: String(window.startMs), highValue: String(window.endMs) }
        : filter,
    ),
  }));
}

function recordWindow(
  context: FetchContext,
  window: SearchWindow,
  total: number,
  contacts: number,
) {
  const described = describeWindow(window, context.timeZone);
  context.windows.push({ window: described, total, contacts });
  if (contacts !== total) {
    // Contacts deleted or merged while paging change the total. The archive keeps what was seen.
    logger.warn('HubSpot search total differs from the contacts received', {
      window: described,
      total,
      contacts,
    });
  }
}

function tooManyContacts(context: FetchContext, window: SearchWindow, total: number): SourceError {
  return new SourceError(
    'hubspot_too_many_contacts',
    `HubSpot reports ${total} contacts created within one millisecond (${describeWindow(window, context.timeZone)}), more than one search can page through`,
    { fix: 'narrow hubspot.leadFilterGroups so that bulk imports are not counted as ad leads' },
  );
}

function toPayload(
  client: Client,
  input: FetchHubSpotLeadsInput,
  context: FetchContext,
  window: SearchWindow,
  fetchedAt: Date,
): RawPayload {
  const baseUrl = (client.config.basePath ?? 'https://api.hubapi.com').replace(/\/+$/, '');

  return {
    key: {
      source: 'hubspot',
      account: input.reportId,
      weekStart: input.week.start,
      runId: input.runId,
      name: 'contacts',
    },
    fetchedAt: fetchedAt.toISOString(),
    request: {
      url: `${baseUrl}${SEARCH_PATH}`,
      params: {
        filterGroups: JSON.stringify(context.filterGroups),
        sorts: 'createdate ASCENDING',
        properties: context.properties.join(','),
        limit: String(SEARCH_PAGE_SIZE),
        timeZone: input.timeZone,
        window: describeWindow(window, input.timeZone),
        windows: JSON.stringify(context.windows),
      },
    },
    pages: context.pages,
  };
}

function countUnique(pages: SearchPageBody[]): number {
  return new Set(pages.flatMap((page) => page.results.map((result) => result.id))).size;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
