import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourceError } from '../../../src/shared/errors.ts';
import { logger } from '../../../src/shared/logger.ts';
import { GraphClient, type GraphClientOptions } from '../../../src/sources/meta/graph-client.ts';
import {
  appUsage,
  businessUseCaseUsage,
  type FakeGraphApi,
  insightsRow,
  type RecordedRequest,
  startFakeGraphApi,
} from '../../fakes/graph-api.ts';

const ACCOUNT = 'act_1234567890';
const WEEK_START = '2026-11-23';
const PARAMS = {
  level: 'adset',
  fields:
    'campaign_id,campaign_name,adset_id,adset_name,objective,spend,impressions,clicks,actions',
  time_range: JSON.stringify({ since: WEEK_START, until: '2026-11-29' }),
  time_increment: 'all_days',
  use_unified_attribution_setting: 'true',
};

let fake: FakeGraphApi;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeGraphApi();
  fake.setAccount(ACCOUNT, { name: 'Example Co', currency: 'EUR', timezone_name: 'Europe/Berlin' });
  fake.setRows(ACCOUNT, WEEK_START, rows(7));
  waits = [];
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fake.close();
});

function client(overrides: Partial<GraphClientOptions> = {}): GraphClient {
  return new GraphClient({
    baseUrl: fake.url,
    apiVersion: fake.apiVersion,
    accessToken: fake.accessToken,
    pageSize: 3,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
}

function rows(count: number) {
  return Array.from({ length: count }, (_, index) =>
    insightsRow({
      campaignId: '100',
      adsetId: String(200 + index),
      spend: '1.00',
      impressions: 10,
    }),
  );
}

function insightsRequests(): RecordedRequest[] {
  return fake.requests.filter((request) => request.path.endsWith('/insights'));
}

function cursors(): Array<string | null> {
  return insightsRequests().map((request) => request.query.after ?? null);
}

function adsetIds(pages: unknown[]): string[] {
  return pages.flatMap((page) =>
    (page as { data: Array<{ adset_id: string }> }).data.map((row) => row.adset_id),
  );
}

const isSecondPage = (request: RecordedRequest) =>
  request.path.endsWith('/insights') && request.query.after !== undefined;

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);

  return error as SourceError;
}

describe('GraphClient', () => {
  describe('getAccount', () => {
    it('returns the account settings', async () => {
      const result = await client().getAccount(ACCOUNT);

      expect(result.info).toEqual({
        accountId: ACCOUNT,
        name: 'Example Co',
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        status: 1,
      });
      expect(result.params).toEqual({ fields: 'name,currency,timezone_name,account_status' });
      expect(result.url).toBe(`${fake.url}/v27.0/${ACCOUNT}`);
    });

    it('sends the token only as Bearer header', async () => {
      await client().getAccount(ACCOUNT);

      const [request] = fake.requests;
      expect(request?.authorization).toBe(`Bearer ${fake.accessToken}`);
      expect(request?.query.access_token).toBeUndefined();
    });

    it('rejects an account id without act_', async () => {
      await expect(client().getAccount('1234567890')).rejects.toMatchObject({
        code: 'invalid_account_id',
      });
    });
  });

  describe('getInsightsPages', () => {
    it('returns every page across three pages', async () => {
      const result = await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(result.pages).toHaveLength(3);
      expect(adsetIds(result.pages)).toEqual(['200', '201', '202', '203', '204', '205', '206']);
    });

    it('requests each page once with a new cursor', async () => {
      await client().getInsightsPages(ACCOUNT, PARAMS);

      const sent = cursors();
      expect(sent).toHaveLength(3);
      expect(sent[0]).toBeNull();
      expect(new Set(sent).size).toBe(3);
    });

    it('sends the page size as limit', async () => {
      const result = await client({ pageSize: 500 }).getInsightsPages(ACCOUNT, PARAMS);

      expect(insightsRequests()[0]?.query.limit).toBe('500');
      expect(result.params).toEqual({ limit: '500', ...PARAMS });
    });

    it('records the request without the token', async () => {
      const result = await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(result.url).toBe(`${fake.url}/v27.0/${ACCOUNT}/insights`);
      expect(JSON.stringify(result)).not.toContain(fake.accessToken);
    });

    it('returns one empty page for a week without rows', async () => {
      fake.setRows(ACCOUNT, WEEK_START, []);

      const result = await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(result.pages).toEqual([{ data: [] }]);
    });

    it('stops when paging repeats a cursor', async () => {
      const looping = JSON.stringify({
        data: [],
        paging: {
          cursors: { after: 'same' },
          next: `${fake.url}/v27.0/${ACCOUNT}/insights?after=same`,
        },
      });
      fake.enqueue('/insights', { kind: 'raw', status: 200, body: looping });
      fake.enqueue('/insights', { kind: 'raw', status: 200, body: looping });

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_payload_invalid');
      expect(insightsRequests()).toHaveLength(2);
    });
  });

  describe('rate limits', () => {
    it.each([
      { code: 4, subcode: undefined },
      { code: 17, subcode: 2446079 },
      { code: 32, subcode: undefined },
      { code: 613, subcode: 1487742 },
      { code: 80000, subcode: undefined },
      { code: 80004, subcode: 2446079 },
      { code: 80014, subcode: undefined },
    ])('resumes page 2 after code $code', async ({ code, subcode }) => {
      fake.enqueue(isSecondPage, {
        kind: 'graph_error',
        error: { code, error_subcode: subcode, is_transient: true },
      });

      const result = await client().getInsightsPages(ACCOUNT, PARAMS);

      const sent = cursors();
      expect(sent).toHaveLength(4);
      expect(sent[2]).toBe(sent[1]);
      expect(adsetIds(result.pages)).toHaveLength(7);
      expect(waits).toHaveLength(1);
    });

    it('waits the minutes the usage header names', async () => {
      fake.enqueue(isSecondPage, {
        kind: 'graph_error',
        error: { code: 80004, error_subcode: 2446079, is_transient: true },
        headers: businessUseCaseUsage(ACCOUNT, { callCount: 100, regainAccessMinutes: 2 }),
      });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(waits).toEqual([120_000]);
    });

    it('backs off with jitter without a header wait', async () => {
      fake.enqueue(isSecondPage, { kind: 'graph_error', error: { code: 17 } });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(waits[0]).toBeGreaterThanOrEqual(15_000);
      expect(waits[0]).toBeLessThanOrEqual(30_000);
    });

    it('fails when the header wait exceeds the budget', async () => {
      fake.enqueue(isSecondPage, {
        kind: 'graph_error',
        error: { code: 80000, fbtrace_id: 'ATraceBudget' },
        headers: businessUseCaseUsage(ACCOUNT, { callCount: 100, regainAccessMinutes: 12 }),
      });

      const error = await failure(client({ maxWaitMs: 600_000 }).getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_rate_limited');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('ATraceBudget');
      expect(waits).toEqual([]);
    });

    it('fails when repeated limits exhaust the budget', async () => {
      for (let index = 0; index < 10; index += 1) {
        fake.enqueue(isSecondPage, { kind: 'graph_error', error: { code: 613 } });
      }

      const error = await failure(client({ maxWaitMs: 100_000 }).getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_rate_limited');
      expect(waits.length).toBeGreaterThan(0);
      expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(100_000);
    });

    it('pauses before a request when usage exceeds 80 %', async () => {
      fake.enqueue((request) => request.query.after === undefined, {
        kind: 'normal',
        headers: appUsage(90),
      });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(waits).toEqual([30_000]);
    });

    it('does not pause at 80 % usage', async () => {
      fake.enqueue('/insights', { kind: 'normal', headers: appUsage(80) });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(waits).toEqual([]);
    });
  });

  describe('permanent errors', () => {
    it.each([
      {
        code: 190,
        subcode: 463,
        expected: 'meta_token_invalid',
        fix: 'renew the system user token',
      },
      { code: 10, subcode: undefined, expected: 'meta_permission_denied', fix: 'ads_read' },
      { code: 200, subcode: undefined, expected: 'meta_permission_denied', fix: 'ads_read' },
      { code: 294, subcode: undefined, expected: 'meta_permission_denied', fix: 'assign it' },
      { code: 100, subcode: 33, expected: 'meta_account_not_found', fix: 'switch the app to Live' },
      { code: 270, subcode: undefined, expected: 'meta_access_tier', fix: 'Marketing API access' },
    ])('fails at once on code $code', async ({ code, subcode, expected, fix }) => {
      fake.enqueue('/insights', {
        kind: 'graph_error',
        error: { code, error_subcode: subcode, fbtrace_id: 'ATracePermanent' },
      });

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe(expected);
      expect(error.fix).toContain(fix);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('fbtrace_id ATracePermanent');
      expect(insightsRequests()).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    it('rejects a wrong token as invalid', async () => {
      const error = await failure(client({ accessToken: 'wrong-token-5678' }).getAccount(ACCOUNT));

      expect(error.code).toBe('meta_token_invalid');
      expect(fake.requests).toHaveLength(1);
    });

    it('masks the token echoed in an error', async () => {
      fake.enqueue('/insights', {
        kind: 'graph_error',
        error: { code: 190, message: `Malformed access token ${fake.accessToken}` },
      });

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.message).not.toContain(fake.accessToken);
      expect(error.message).toContain('***');
    });

    it('names the account for an unknown account', async () => {
      const error = await failure(client().getAccount('act_999'));

      expect(error.code).toBe('meta_account_not_found');
      expect(error.message).toContain('act_999');
    });

    it('fails on a 404 without a Graph error', async () => {
      fake.enqueue('/insights', { kind: 'raw', status: 404, body: 'Not Found' });

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_request_failed');
      expect(insightsRequests()).toHaveLength(1);
    });
  });

  describe('transient faults', () => {
    it.each([
      { name: 'HTTP 500 HTML page', response: { kind: 'raw', status: 500, body: '<html>' } },
      { name: 'HTTP 503 empty body', response: { kind: 'raw', status: 503, body: '' } },
      { name: 'Graph code 1', response: { kind: 'graph_error', status: 500, error: { code: 1 } } },
      { name: 'Graph code 2', response: { kind: 'graph_error', status: 500, error: { code: 2 } } },
      {
        name: 'is_transient',
        response: { kind: 'graph_error', error: { code: 9007, is_transient: true } },
      },
      { name: 'connection reset', response: { kind: 'reset' } },
      { name: 'non-JSON 200 body', response: { kind: 'raw', status: 200, body: 'Service OK' } },
    ] as const)('resumes page 2 after $name', async ({ response }) => {
      fake.enqueue(isSecondPage, response);

      const result = await client().getInsightsPages(ACCOUNT, PARAMS);

      const sent = cursors();
      expect(sent[2]).toBe(sent[1]);
      expect(adsetIds(result.pages)).toHaveLength(7);
      expect(waits).toHaveLength(1);
    });

    it('backs off despite a header wait', async () => {
      fake.enqueue(isSecondPage, {
        kind: 'raw',
        status: 502,
        body: 'Bad Gateway',
        headers: {
          'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 5, reset_time_duration: 240 }),
        },
      });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeLessThanOrEqual(1000);
    });

    it('retries a request that times out', async () => {
      fake.enqueue(isSecondPage, { kind: 'hang' });

      const result = await client({ requestTimeoutMs: 150 }).getInsightsPages(ACCOUNT, PARAMS);

      expect(adsetIds(result.pages)).toHaveLength(7);
      expect(cursors()).toHaveLength(4);
    });

    it('fails after five transient faults', async () => {
      for (let index = 0; index < 5; index += 1) {
        fake.enqueue('/insights', { kind: 'raw', status: 502, body: 'Bad Gateway' });
      }

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_unavailable');
      expect(error.retryable).toBe(true);
      expect(insightsRequests()).toHaveLength(5);
    });

    it('fails after three non-JSON bodies', async () => {
      for (let index = 0; index < 3; index += 1) {
        fake.enqueue('/insights', {
          kind: 'raw',
          status: 200,
          body: '<html>captive portal</html>',
        });
      }

      const error = await failure(client().getInsightsPages(ACCOUNT, PARAMS));

      expect(error.code).toBe('meta_response_invalid');
      expect(error.message).toContain('captive portal');
      expect(insightsRequests()).toHaveLength(3);
    });
  });

  describe('logging', () => {
    it('logs each chain once with its access tier', async () => {
      const info = vi.spyOn(logger, 'info');
      fake.setRows(ACCOUNT, WEEK_START, rows(2));
      fake.enqueue('/insights', {
        kind: 'normal',
        headers: businessUseCaseUsage(ACCOUNT, { accessTier: 'development_access' }),
      });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      const chainLogs = info.mock.calls.filter(([message]) => message === 'Fetched Meta insights');
      expect(chainLogs).toHaveLength(1);
      expect(chainLogs[0]?.[1]).toMatchObject({
        accountId: ACCOUNT,
        weekStart: WEEK_START,
        pages: 1,
        rows: 2,
        retries: 0,
        accessTier: 'development_access',
      });
    });

    it('never logs the token', async () => {
      const calls: unknown[] = [];
      for (const level of ['debug', 'info', 'warn', 'error'] as const) {
        vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
          calls.push(args);
        });
      }
      fake.enqueue(isSecondPage, { kind: 'graph_error', error: { code: 17 } });

      await client().getInsightsPages(ACCOUNT, PARAMS);

      expect(calls.length).toBeGreaterThan(1);
      expect(JSON.stringify(calls)).not.toContain(fake.accessToken);
    });
  });
});
