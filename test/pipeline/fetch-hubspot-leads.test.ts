import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdreportConfig } from '../../src/config/schema.ts';
import { contactsFromPayload } from '../../src/pipeline/attribute-leads.ts';
import {
  CONTACT_PROPERTIES,
  fetchHubSpotLeads,
  SEARCH_RESULT_CAP,
} from '../../src/pipeline/fetch-hubspot-leads.ts';
import { ConfigError, SourceError } from '../../src/shared/errors.ts';
import type { Week } from '../../src/shared/types.ts';
import { createHubSpotClient } from '../../src/sources/hubspot/hubspot-client.ts';
import {
  type FakeContact,
  type FakeHubSpot,
  hubspotFaults,
  startFakeHubSpot,
} from '../fakes/hubspot-api.ts';

const WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };
const PAID_SOCIAL: AdreportConfig['hubspot']['leadFilterGroups'] = [
  { filters: [{ propertyName: 'hs_analytics_source', operator: 'EQ', value: 'PAID_SOCIAL' }] },
];
const MONDAY_UTC = Date.parse('2026-11-23T00:00:00.000Z');
const HOUR = 3_600_000;

interface FakeClock {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
  nowMs: () => number;
}

function fakeClock(): FakeClock {
  let ms = Date.parse('2026-11-30T07:00:00.000Z');
  const sleeps: number[] = [];

  return {
    now: () => new Date(ms),
    sleep: async (wait: number) => {
      sleeps.push(wait);
      ms += wait;
    },
    sleeps,
    nowMs: () => ms,
  };
}

function contact(id: number, createdMs: number, extra: Record<string, string | null> = {}) {
  return {
    id: String(id),
    properties: {
      createdate: new Date(createdMs).toISOString(),
      hs_analytics_source: 'PAID_SOCIAL',
      email: `lead${id}@example.com`,
      firstname: 'Private',
      ...extra,
    },
  } satisfies FakeContact;
}

/** Builds `count` contacts spread evenly from `startMs` over `spanMs`, with ids from `firstId`. */
function spread(count: number, startMs: number, spanMs: number, firstId: number): FakeContact[] {
  return Array.from({ length: count }, (_, index) =>
    contact(firstId + index, startMs + Math.floor((index * spanMs) / count)),
  );
}

function bodies(fake: FakeHubSpot) {
  return fake.requests.map(
    (request) => request.body as { after?: string; limit: number; filterGroups: unknown[] },
  );
}

let fake: FakeHubSpot;
let clock: FakeClock;

beforeEach(async () => {
  clock = fakeClock();
  fake = await startFakeHubSpot({ now: () => clock.nowMs() });
});

afterEach(async () => {
  await fake.close();
});

function fetchWeek(overrides: Partial<Parameters<typeof fetchHubSpotLeads>[1]> = {}) {
  const client = createHubSpotClient({ baseUrl: fake.url, accessToken: 'pat-test-token' });

  return fetchHubSpotLeads(client, {
    reportId: 'acme-weekly',
    week: WEEK,
    timeZone: 'UTC',
    runId: 'run-1',
    leadFilterGroups: PAID_SOCIAL,
    sleep: clock.sleep,
    now: clock.now,
    ...overrides,
  });
}

describe('fetchHubSpotLeads', () => {
  it('follows paging.next.after to the last page', async () => {
    fake.setContacts(spread(450, MONDAY_UTC, 24 * HOUR, 1000));

    const payload = await fetchWeek();

    expect(bodies(fake).map((body) => body.after)).toEqual([undefined, '200', '400']);
    expect(payload.pages).toHaveLength(3);
    expect(contactsFromPayload(payload)).toHaveLength(450);
  });

  it('adds the week window to every filter group', async () => {
    const groups: AdreportConfig['hubspot']['leadFilterGroups'] = [
      ...PAID_SOCIAL,
      { filters: [{ propertyName: 'hs_object_source', operator: 'EQ', value: 'INTEGRATION' }] },
    ];
    const window = {
      propertyName: 'createdate',
      operator: 'BETWEEN',
      value: String(MONDAY_UTC),
      highValue: String(Date.parse('2026-11-29T23:59:59.999Z')),
    };

    await fetchWeek({ leadFilterGroups: groups });

    expect(bodies(fake)[0]?.filterGroups).toEqual([
      {
        filters: [
          { propertyName: 'hs_analytics_source', operator: 'EQ', value: 'PAID_SOCIAL' },
          window,
        ],
      },
      {
        filters: [
          { propertyName: 'hs_object_source', operator: 'EQ', value: 'INTEGRATION' },
          window,
        ],
      },
    ]);
  });

  it('requests attribution properties and no personal data', async () => {
    await fetchWeek({ extraProperties: ['client_property'] });

    const body = fake.requests[0]?.body as { properties: string[]; sorts: unknown; limit: number };
    expect(body.properties).toEqual([...CONTACT_PROPERTIES, 'client_property']);
    expect(body.properties).not.toContain('email');
    expect(body.sorts).toEqual([{ propertyName: 'createdate', direction: 'ASCENDING' }]);
    expect(body.limit).toBe(200);
  });

  it('includes Sunday 23:30 local that is Monday UTC', async () => {
    fake.setContacts([
      contact(1, Date.parse('2026-11-23T07:59:59.999Z')), // Sunday 23:59:59.999 before the week
      contact(2, Date.parse('2026-11-23T08:00:00.000Z')), // Monday 00:00 local, first instant
      contact(3, Date.parse('2026-11-30T07:30:00.000Z')), // Sunday 23:30 local, Monday in UTC
      contact(4, Date.parse('2026-11-30T08:00:00.000Z')), // next Monday 00:00 local
    ]);

    const payload = await fetchWeek({ timeZone: 'America/Los_Angeles' });

    expect(contactsFromPayload(payload).map((lead) => lead.id)).toEqual(['2', '3']);
  });

  it('splits a window of 10,000 or more by day and hour', async () => {
    const tuesday = MONDAY_UTC + 24 * HOUR;
    fake.setContacts([
      ...spread(1200, MONDAY_UTC, 24 * HOUR, 100_000),
      ...spread(10_200, tuesday, 24 * HOUR, 200_000),
      ...spread(1050, tuesday + 24 * HOUR, 5 * 24 * HOUR, 300_000),
    ]);

    const payload = await fetchWeek();

    const windows = JSON.parse(payload.request.params.windows as string) as Array<{
      window: string;
      total: number;
      contacts: number;
    }>;
    const windowTotal = windows.reduce((sum, entry) => sum + entry.total, 0);
    expect(contactsFromPayload(payload)).toHaveLength(12_450);
    expect(windowTotal).toBe(12_450);
    expect(windows).toHaveLength(6 + 24);
    expect(windows.every((entry) => entry.contacts === entry.total)).toBe(true);
    expect(
      bodies(fake).every((body) => Number(body.after ?? 0) + body.limit <= SEARCH_RESULT_CAP),
    ).toBe(true);
  });

  it('retries the same page after a 429', async () => {
    await fake.close();
    fake = await startFakeHubSpot({
      now: () => clock.nowMs(),
      rateLimit: { maxRequests: 2, intervalMs: 1000, retryAfterSeconds: 1 },
    });
    fake.setContacts(spread(450, MONDAY_UTC, 24 * HOUR, 1000));

    const payload = await fetchWeek();

    expect(bodies(fake).map((body) => body.after)).toEqual([undefined, '200', '400', '400']);
    expect(clock.sleeps).toEqual([1000]);
    expect(contactsFromPayload(payload)).toHaveLength(450);
    expect(payload.pages).toHaveLength(3);
  });

  it('waits for Retry-After on a 429', async () => {
    fake.enqueue(hubspotFaults.tenSecondlyLimit(10));

    await fetchWeek();

    expect(clock.sleeps).toEqual([10_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps at most 4 request starts per second', async () => {
    fake.setContacts(spread(2000, MONDAY_UTC, 24 * HOUR, 1000));

    await fetchWeek();

    const starts = fake.requests.map((request) => request.receivedAt);
    expect(starts).toHaveLength(10);
    for (let index = 4; index < starts.length; index++) {
      expect((starts[index] as number) - (starts[index - 4] as number)).toBeGreaterThanOrEqual(
        1000,
      );
    }
  });

  it('throws rate_limited when waits pass maxWaitMs', async () => {
    fake.enqueue(...Array.from({ length: 5 }, () => hubspotFaults.secondlyLimit(30)));

    const result = fetchWeek({ maxWaitMs: 45_000 });

    await expect(result).rejects.toMatchObject({ code: 'hubspot_rate_limited', retryable: true });
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    {
      problem: 'an unknown token',
      token: 'pat-wrong',
      options: {},
      code: 'hubspot_unauthorized',
      fix: /HUBSPOT_ACCESS_TOKEN/,
    },
    {
      problem: 'an expired token',
      token: 'pat-old',
      options: { expiredToken: 'pat-old' },
      code: 'hubspot_unauthorized',
      fix: /new|private-app access token/,
    },
    {
      problem: 'a missing scope',
      token: 'pat-test-token',
      options: { scopes: ['crm.objects.deals.read'] },
      code: 'hubspot_forbidden',
      fix: /crm\.objects\.contacts\.read/,
    },
  ])('fails at once on $problem', async ({ token, options, code, fix }) => {
    await fake.close();
    fake = await startFakeHubSpot(options);
    const client = createHubSpotClient({ baseUrl: fake.url, accessToken: token });

    const result = fetchHubSpotLeads(client, {
      reportId: 'acme-weekly',
      week: WEEK,
      timeZone: 'UTC',
      runId: 'run-1',
      leadFilterGroups: PAID_SOCIAL,
      sleep: clock.sleep,
    });

    const error = (await result.catch((caught: unknown) => caught)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.fix).toMatch(fix);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails on a filter property the portal lacks', async () => {
    const groups: AdreportConfig['hubspot']['leadFilterGroups'] = [
      { filters: [{ propertyName: 'lead_channel', operator: 'EQ', value: 'meta' }] },
    ];

    const result = fetchWeek({ leadFilterGroups: groups });

    await expect(result).rejects.toMatchObject({ code: 'hubspot_bad_request', retryable: false });
  });

  it('rejects filter groups over HubSpot limits', async () => {
    const filters = Array.from({ length: 10 }, (_, index) => ({
      propertyName: `p${index}`,
      operator: 'HAS_PROPERTY' as const,
    }));

    const result = fetchWeek({ leadFilterGroups: [{ filters }] });

    await expect(result).rejects.toBeInstanceOf(ConfigError);
    expect(fake.requests).toHaveLength(0);
  });

  it('returns a JSON payload keyed by report and week', async () => {
    fake.setContacts(spread(3, MONDAY_UTC, HOUR, 1000));

    const payload = await fetchWeek();

    expect(payload.key).toEqual({
      source: 'hubspot',
      account: 'acme-weekly',
      weekStart: '2026-11-23',
      runId: 'run-1',
      name: 'contacts',
    });
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
    expect(payload.request.url).toBe(`${fake.url}/crm/v3/objects/contacts/search`);
    expect(payload.fetchedAt).toBe('2026-11-30T07:00:00.000Z');
  });

  it('archives dates as ISO strings without personal data', async () => {
    fake.setContacts([contact(7, MONDAY_UTC + HOUR)]);

    const payload = await fetchWeek();

    const result = (payload.pages[0] as { results: Array<Record<string, unknown>> }).results[0];
    expect(result?.createdAt).toBe('2026-11-23T01:00:00.000Z');
    expect(JSON.stringify(payload)).not.toContain('@example.com');
  });

  it('returns absent custom properties as missing', async () => {
    await fake.close();
    fake = await startFakeHubSpot({
      schema: ['createdate', 'hs_analytics_source', 'hs_object_id'],
    });
    fake.setContacts([contact(7, MONDAY_UTC + HOUR, { utm_campaign: 'spring' })]);

    const payload = await fetchWeek();

    const [lead] = contactsFromPayload(payload);
    expect(lead?.properties.utm_campaign).toBeUndefined();
    expect(lead?.properties.hs_analytics_source).toBe('PAID_SOCIAL');
  });
});
