import type { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/shared/errors.ts';
import { createHubSpotClient } from '../../../src/sources/hubspot/hubspot-client.ts';
import {
  MAX_ATTEMPTS_PER_PAGE,
  type RetryBudget,
  searchContacts,
} from '../../../src/sources/hubspot/search-contacts.ts';
import {
  type FakeHubSpot,
  type FakeResponse,
  hubspotFaults,
  startFakeHubSpot,
} from '../../fakes/hubspot-api.ts';

let fake: FakeHubSpot;
let client: Client;
let clockMs: number;
let sleeps: number[];

function budget(maxWaitMs = 120_000): RetryBudget {
  return {
    now: () => new Date(clockMs),
    sleep: async (ms) => {
      sleeps.push(ms);
      clockMs += ms;
    },
    maxWaitMs,
    waitedMs: 0,
  };
}

beforeEach(async () => {
  clockMs = Date.parse('2026-11-30T07:00:00.000Z');
  sleeps = [];
  fake = await startFakeHubSpot();
  fake.setContacts([
    {
      id: '11',
      properties: { createdate: '2026-11-24T09:15:42.118Z', hs_analytics_source: 'PAID_SOCIAL' },
    },
  ]);
  client = createHubSpotClient({
    baseUrl: fake.url,
    accessToken: 'pat-test-token',
    timeoutMs: 100,
  });
});

afterEach(async () => {
  await fake.close();
});

describe('searchContacts', () => {
  it('returns the page with ISO date strings', async () => {
    const page = await searchContacts(
      client,
      { limit: 10, properties: ['hs_analytics_source'] },
      budget(),
    );

    expect(page).toEqual({
      total: 1,
      results: [
        {
          id: '11',
          properties: {
            createdate: '2026-11-24T09:15:42.118Z',
            hs_analytics_source: 'PAID_SOCIAL',
            hs_object_id: '11',
            lastmodifieddate: null,
          },
          createdAt: '2026-11-24T09:15:42.118Z',
          updatedAt: '2026-11-24T09:15:42.118Z',
          archived: false,
        },
      ],
    });
  });

  it.each<{ fault: string; response: FakeResponse }>([
    { fault: 'a 502', response: hubspotFaults.serverError(502) },
    { fault: 'a 503', response: hubspotFaults.serverError(503) },
    { fault: 'cut-off JSON', response: hubspotFaults.malformedBody() },
    { fault: 'a body without results', response: hubspotFaults.incompleteBody() },
    {
      fault: 'an HTML error page',
      response: {
        status: 502,
        rawBody: '<html>Bad gateway</html>',
        headers: { 'content-type': 'text/html' },
      },
    },
    {
      fault: 'a body without Content-Type',
      response: { status: 500, rawBody: 'oops', headers: { 'content-type': '' } },
    },
    { fault: 'a silent server', response: hubspotFaults.timeout() },
  ])('retries the same request after $fault', async ({ response }) => {
    fake.enqueue(response);

    const page = await searchContacts(client, { limit: 10, after: '0' }, budget());

    expect(page.total).toBe(1);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.body).toEqual(fake.requests[0]?.body);
    expect(sleeps).toEqual([1000]);
  });

  it('backs off exponentially without Retry-After', async () => {
    fake.enqueue(
      hubspotFaults.secondlyLimit(),
      hubspotFaults.secondlyLimit(),
      hubspotFaults.serverError(),
    );

    await searchContacts(client, { limit: 10 }, budget());

    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('waits for a Retry-After date', async () => {
    const retryAt = new Date(clockMs + 7000).toUTCString();
    fake.enqueue({ ...hubspotFaults.secondlyLimit(), headers: { 'retry-after': retryAt } });

    await searchContacts(client, { limit: 10 }, budget());

    expect(sleeps).toEqual([7000]);
  });

  it('gives up after the attempt limit', async () => {
    fake.enqueue(
      ...Array.from({ length: MAX_ATTEMPTS_PER_PAGE }, () => hubspotFaults.serverError()),
    );

    const result = searchContacts(client, { limit: 10 }, budget());

    await expect(result).rejects.toMatchObject({ code: 'hubspot_unavailable', retryable: true });
    expect(fake.requests).toHaveLength(MAX_ATTEMPTS_PER_PAGE);
  });

  it('stops before a wait passes the budget', async () => {
    fake.enqueue(hubspotFaults.serverError(), hubspotFaults.serverError());

    const result = searchContacts(client, { limit: 10 }, budget(2500));

    await expect(result).rejects.toThrow(/retry budget/);
    expect(sleeps).toEqual([1000]);
  });

  it('counts waits of earlier requests in the budget', async () => {
    const shared = budget(1500);
    fake.enqueue(hubspotFaults.secondlyLimit());
    await searchContacts(client, { limit: 10 }, shared);
    fake.enqueue(hubspotFaults.secondlyLimit());

    const result = searchContacts(client, { limit: 10 }, shared);

    await expect(result).rejects.toMatchObject({ code: 'hubspot_rate_limited' });
  });

  it('fails at once on the daily limit', async () => {
    fake.enqueue({
      status: 429,
      body: { status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY' },
    });

    const error = await searchContacts(client, { limit: 10 }, budget()).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('hubspot_daily_limit');
    expect(fake.requests).toHaveLength(1);
  });

  it('shares the throttle between calls on one client', async () => {
    const shared = budget();

    for (let index = 0; index < 5; index++) await searchContacts(client, { limit: 1 }, shared);

    expect(sleeps).toEqual([1000]);
  });
});
