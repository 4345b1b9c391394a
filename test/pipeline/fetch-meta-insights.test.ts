import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchMetaInsights } from '../../src/pipeline/fetch-meta-insights.ts';
import { SourceError } from '../../src/shared/errors.ts';
import type { Week } from '../../src/shared/types.ts';
import { GraphClient } from '../../src/sources/meta/graph-client.ts';
import {
  type FakeGraphApi,
  insightsRow,
  type RecordedRequest,
  startFakeGraphApi,
} from '../fakes/graph-api.ts';

const ACCOUNT = 'act_1234567890';
const WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };
const EARLIER_WEEK: Week = { start: '2026-11-16', end: '2026-11-22' };
/** Monday 2026-11-30 12:00 UTC: last week has ended in every time zone. */
const MONDAY_NOON_UTC = new Date('2026-11-30T12:00:00Z');

let fake: FakeGraphApi;

beforeEach(async () => {
  fake = await startFakeGraphApi();
  fake.setAccount(ACCOUNT, { currency: 'USD', timezone_name: 'America/New_York' });
  fake.setRows(ACCOUNT, WEEK.start, [
    insightsRow({ campaignId: '10', adsetId: '11', spend: '12.50', impressions: 900 }),
  ]);
  fake.setRows(ACCOUNT, EARLIER_WEEK.start, [
    insightsRow({ campaignId: '10', adsetId: '11', spend: '8.00', impressions: 700 }),
  ]);
});

afterEach(async () => {
  await fake.close();
});

function client(): GraphClient {
  return new GraphClient({
    baseUrl: fake.url,
    apiVersion: fake.apiVersion,
    accessToken: fake.accessToken,
    pageSize: 500,
    sleep: async () => {},
  });
}

async function fetchWeeks(weeks: Week[], now = MONDAY_NOON_UTC) {
  return fetchMetaInsights(client(), { accountId: ACCOUNT, weeks, runId: 'run-1', now: () => now });
}

/** Matches the insights request of one week. */
function insightsOf(week: Week) {
  return (request: RecordedRequest) =>
    request.path.endsWith('/insights') && (request.query.time_range ?? '').includes(week.start);
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);

  return error as SourceError;
}

describe('fetchMetaInsights', () => {
  it('returns the account and one payload per week', async () => {
    const result = await fetchWeeks([WEEK, EARLIER_WEEK, WEEK]);

    expect(result.account.currency).toBe('USD');
    expect(result.payloads.map((payload) => payload.key)).toEqual([
      { source: 'meta', account: ACCOUNT, weekStart: WEEK.start, runId: 'run-1', name: 'account' },
      {
        source: 'meta',
        account: ACCOUNT,
        weekStart: EARLIER_WEEK.start,
        runId: 'run-1',
        name: 'insights',
      },
      { source: 'meta', account: ACCOUNT, weekStart: WEEK.start, runId: 'run-1', name: 'insights' },
    ]);
  });

  it('requests each week as one ad-set range', async () => {
    const result = await fetchWeeks([WEEK]);

    expect(result.payloads[1]?.request).toEqual({
      url: `${fake.url}/v27.0/${ACCOUNT}/insights`,
      params: {
        limit: '500',
        level: 'adset',
        fields:
          'campaign_id,campaign_name,adset_id,adset_name,objective,spend,impressions,clicks,actions',
        time_range: '{"since":"2026-11-23","until":"2026-11-29"}',
        time_increment: 'all_days',
        use_unified_attribution_setting: 'true',
      },
    });
  });

  it('keeps the pages as received', async () => {
    const result = await fetchWeeks([WEEK]);

    expect(result.payloads[1]?.pages).toEqual([
      {
        data: [
          {
            date_start: '2026-11-23',
            date_stop: '2026-11-29',
            campaign_id: '10',
            campaign_name: 'Campaign 10',
            adset_id: '11',
            adset_name: 'Ad set 11',
            spend: '12.50',
            impressions: '900',
          },
        ],
        paging: { cursors: expect.any(Object) },
      },
    ]);
  });

  it('records the account request and fetch time', async () => {
    const result = await fetchWeeks([WEEK]);

    const [account] = result.payloads;
    expect(account?.request.params).toEqual({
      fields: 'name,currency,timezone_name,account_status',
    });
    expect(account?.fetchedAt).toBe('2026-11-30T12:00:00.000Z');
    expect(JSON.stringify(result.payloads)).not.toContain(fake.accessToken);
  });

  it.each([
    { zone: 'Asia/Tokyo', now: '2026-11-29T14:59:59Z' },
    { zone: 'Pacific/Honolulu', now: '2026-11-30T09:59:59Z' },
    { zone: 'UTC', now: '2026-11-29T23:59:59Z' },
  ])('rejects the week in $zone at $now', async ({ zone, now }) => {
    fake.setAccount(ACCOUNT, { timezone_name: zone });

    const error = await failure(fetchWeeks([WEEK], new Date(now)));

    expect(error.code).toBe('meta_week_incomplete');
  });

  it.each([
    { zone: 'Asia/Tokyo', now: '2026-11-29T15:00:01Z' },
    { zone: 'Pacific/Honolulu', now: '2026-11-30T10:00:01Z' },
    { zone: 'UTC', now: '2026-11-30T00:00:00Z' },
  ])('fetches the week in $zone at $now', async ({ zone, now }) => {
    fake.setAccount(ACCOUNT, { timezone_name: zone });

    const result = await fetchWeeks([WEEK], new Date(now));

    expect(result.account.timeZone).toBe(zone);
    expect(result.payloads).toHaveLength(2);
  });

  it('names the end of the week in the fix', async () => {
    fake.setAccount(ACCOUNT, { timezone_name: 'Pacific/Honolulu' });

    const error = await failure(fetchWeeks([WEEK], new Date('2026-11-29T15:30:00Z')));

    expect(error.message).toContain('Pacific/Honolulu');
    expect(error.fix).toContain('2026-11-30T10:00:00.000Z');
  });

  it('fetches no insights for a running week', async () => {
    fake.setAccount(ACCOUNT, { timezone_name: 'Pacific/Honolulu' });

    await failure(fetchWeeks([EARLIER_WEEK, WEEK], new Date('2026-11-29T15:30:00Z')));

    expect(fake.requests.filter((request) => request.path.endsWith('/insights'))).toEqual([]);
  });

  it('passes on a permanent error', async () => {
    fake.enqueue(`/v27.0/${ACCOUNT}?`, { kind: 'graph_error', error: { code: 200 } });

    const error = await failure(fetchWeeks([WEEK]));

    expect(error.code).toBe('meta_permission_denied');
    expect(fake.requests).toHaveLength(1);
  });

  it('lists a failed earlier week', async () => {
    fake.enqueue(insightsOf(EARLIER_WEEK), { kind: 'graph_error', error: { code: 100 } });

    const result = await fetchWeeks([EARLIER_WEEK, WEEK]);

    expect(result.failedWeeks).toEqual([
      { weekStart: EARLIER_WEEK.start, reason: expect.stringContaining('Meta rejected') },
    ]);
    expect(result.payloads.map((payload) => payload.key.weekStart)).toEqual([
      WEEK.start,
      WEEK.start,
    ]);
  });

  it('throws when the report week fails', async () => {
    fake.enqueue(insightsOf(WEEK), { kind: 'graph_error', error: { code: 100 } });

    const error = await failure(fetchWeeks([EARLIER_WEEK, WEEK]));

    expect(error.code).toBe('meta_request_failed');
  });

  it('stops at an account-wide error', async () => {
    fake.enqueue(insightsOf(EARLIER_WEEK), { kind: 'graph_error', error: { code: 200 } });

    const error = await failure(fetchWeeks([EARLIER_WEEK, WEEK]));

    expect(error.code).toBe('meta_permission_denied');
    expect(fake.requests.filter((request) => request.path.endsWith('/insights'))).toHaveLength(1);
  });

  it('rejects an empty week list', async () => {
    await expect(fetchWeeks([])).rejects.toMatchObject({ code: 'no_weeks' });
  });

  it('rejects a week that is not Monday to Sunday', async () => {
    const week = { start: '2026-11-24', end: '2026-11-30' };

    await expect(fetchWeeks([week])).rejects.toMatchObject({ code: 'invalid_week' });
  });
});
