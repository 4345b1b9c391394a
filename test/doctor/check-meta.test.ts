import { afterEach, describe, expect, it } from 'vitest';
import { checkMeta } from '../../src/doctor/check-meta.ts';
import type { CheckResult } from '../../src/doctor/check-result.ts';
import { NOW, testContext } from './doctor-test-context.ts';
import { type GraphFakeOptions, startGraphFake } from './fakes/graph-fake.ts';
import {
  closedPortOrigin,
  type LoopbackServer,
  startHtmlServer,
  startLoopbackServer,
  startSilentServer,
} from './fakes/loopback-server.ts';

const TOKEN = 'EAAtesttokenvalue';
const APP = { META_APP_ID: '100000000000001', META_APP_SECRET: 'appsecret123' };
const APP_TOKEN = `${APP.META_APP_ID}|${APP.META_APP_SECRET}`;
const DAY_S = 86_400;
const ACCOUNTS: GraphFakeOptions['accounts'] = {
  act_1001: { name: 'Acme', currency: 'EUR', timezone_name: 'Europe/Berlin', account_status: 1 },
  act_1002: { name: 'Outlet', currency: 'EUR', timezone_name: 'Europe/Berlin', account_status: 1 },
};

let graph: LoopbackServer | null = null;

afterEach(async () => {
  await graph?.close();
  graph = null;
});

async function runWith(options: Partial<GraphFakeOptions>, env: Record<string, string> = {}) {
  graph = await startGraphFake({
    token: TOKEN,
    appToken: APP_TOKEN,
    accounts: ACCOUNTS,
    ...options,
  });
  const section = await checkMeta(
    testContext({
      secrets: { META_ACCESS_TOKEN: TOKEN },
      env: { ADREPORT_META_BASE_URL: graph.origin, ...env },
    }),
  );

  return section.results;
}

function find(results: CheckResult[], subject: string): CheckResult | undefined {
  return results.find((result) => result.subject === subject);
}

describe('checkMeta', () => {
  it('fails when the token is missing', async () => {
    const section = await checkMeta(testContext());

    expect(section.results).toHaveLength(1);
    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.fix).toContain('META_ACCESS_TOKEN');
  });

  it('passes a never-expiring token with ads_read', async () => {
    const results = await runWith({}, APP);

    expect(find(results, 'Access token')?.status).toBe('pass');
    expect(find(results, 'Token expiry')?.detail).toBe('never expires');
    expect(find(results, 'ads_read permission')?.status).toBe('pass');
    expect(results.every((result) => result.status === 'pass')).toBe(true);
  });

  it.each([
    { case: 'expired yesterday', days: -1, status: 'fail', word: 'expired' },
    { case: 'expires in 13 days', days: 13.5, status: 'fail', word: 'expires' },
    { case: 'expires in 14 days', days: 14.5, status: 'pass', word: 'expires' },
    { case: 'expires in 60 days', days: 60, status: 'pass', word: 'expires' },
  ])('reports expiry when the token $case', async ({ days, status, word }) => {
    const expiresAt = Math.floor(NOW.getTime() / 1000 + days * DAY_S);

    const results = await runWith({ debug: { expiresAt } }, APP);

    const expiry = find(results, 'Token expiry');
    expect(expiry?.status).toBe(status);
    expect(expiry?.detail).toContain(word);
  });

  it('fails when debug_token lacks ads_read', async () => {
    const results = await runWith({ debug: { scopes: ['read_insights'] } }, APP);

    const permission = find(results, 'ads_read permission');
    expect(permission?.status).toBe('fail');
    expect(permission?.detail).toContain('read_insights');
  });

  it('fails a token debug_token reports invalid', async () => {
    const results = await runWith({ debug: { isValid: false } }, APP);

    expect(find(results, 'Access token')?.status).toBe('fail');
    expect(find(results, 'Access token')?.detail).toContain('Session has expired');
  });

  it('skips the ad accounts when the token is invalid', async () => {
    const results = await runWith({ debug: { isValid: false } }, APP);

    expect(results.some((result) => result.subject.startsWith('Ad account'))).toBe(false);
    expect(graph?.requests.some((request) => request.url.pathname.includes('act_'))).toBe(false);
  });

  it('reports expiry as unknown without app credentials', async () => {
    const results = await runWith({ permissions: [{ permission: 'ads_read', status: 'granted' }] });

    expect(find(results, 'Access token')?.status).toBe('pass');
    expect(find(results, 'Token expiry')?.status).toBe('warn');
    expect(find(results, 'Token expiry')?.fix).toContain('META_APP_SECRET');
    expect(find(results, 'ads_read permission')?.status).toBe('pass');
  });

  it('fails ads_read declined in /me/permissions', async () => {
    const results = await runWith({
      permissions: [{ permission: 'ads_read', status: 'declined' }],
    });

    expect(find(results, 'ads_read permission')?.status).toBe('fail');
    expect(find(results, 'ads_read permission')?.detail).toContain('declined');
  });

  it('fails a rejected token without app credentials', async () => {
    graph = await startGraphFake({ token: 'another-token', accounts: ACCOUNTS });

    const section = await checkMeta(
      testContext({
        secrets: { META_ACCESS_TOKEN: TOKEN },
        env: { ADREPORT_META_BASE_URL: graph.origin },
      }),
    );

    const token = find(section.results, 'Access token');
    expect(token?.status).toBe('fail');
    expect(token?.detail).toContain('Graph error 190/467');
    expect(token?.fix).toContain('System users');
  });

  it('falls back to /me when the app credentials are wrong', async () => {
    const results = await runWith(
      { permissions: [{ permission: 'ads_read', status: 'granted' }] },
      { META_APP_ID: '1', META_APP_SECRET: 'wrong' },
    );

    expect(find(results, 'App credentials')?.status).toBe('warn');
    expect(find(results, 'Access token')?.status).toBe('pass');
  });

  it('sends the token only in the Authorization header', async () => {
    await runWith({ permissions: [{ permission: 'ads_read', status: 'granted' }] });

    const requests = graph?.requests ?? [];
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((request) => !request.url.search.includes(TOKEN))).toBe(true);
    expect(requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(
      true,
    );
  });

  it('fails when the Graph API is unreachable', async () => {
    graph = await startGraphFake({ token: TOKEN });
    const origin = graph.origin;
    await graph.close();
    graph = null;

    const section = await checkMeta(
      testContext({
        secrets: { META_ACCESS_TOKEN: TOKEN },
        env: { ADREPORT_META_BASE_URL: origin },
      }),
    );

    expect(section.results).toHaveLength(1);
    expect(section.results[0]?.subject).toBe('Graph API');
    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.fix).toContain('meta.baseUrl');
  });

  describe('against a broken server', () => {
    async function checkAgainst(server: LoopbackServer, env: Record<string, string> = {}) {
      graph = server;
      const section = await checkMeta(
        testContext({
          secrets: { META_ACCESS_TOKEN: TOKEN },
          env: { ADREPORT_META_BASE_URL: server.origin, ...env },
          timeoutMs: 300,
        }),
      );

      return section.results;
    }

    it('fails a 500 without a Graph error', async () => {
      const server = await startLoopbackServer(() => ({ status: 500, body: { error: 'boom' } }));

      const results = await checkAgainst(server);

      expect(results.map((result) => result.status)).toEqual(['fail']);
      expect(results[0]?.detail).toContain(`HTTP 500 from ${server.origin}/v27.0/me`);
      expect(results[0]?.detail).toContain('boom');
      expect(results[0]?.fix).toContain('meta.baseUrl');
    });

    it('fails an HTML page as not JSON', async () => {
      const server = await startHtmlServer();

      const results = await checkAgainst(server, APP);

      expect(results.map((result) => result.status)).toEqual(['fail']);
      expect(results[0]?.detail).toContain(`HTTP 200 from ${server.origin}/v27.0/debug_token`);
      expect(results[0]?.detail).toContain('not JSON');
    });

    it('fails a 200 of the wrong shape', async () => {
      const server = await startLoopbackServer(() => ({ body: { hello: 'world' } }));

      const results = await checkAgainst(server);

      expect(results.map((result) => result.status)).toEqual(['fail']);
      expect(results[0]?.detail).toContain('not a Graph API response');
    });

    it('names the timeout and the URL', async () => {
      const server = await startSilentServer();

      const results = await checkAgainst(server);

      expect(results[0]?.detail).toBe(`request to ${server.origin}/v27.0/me timed out after 0.3 s`);
    });

    it('names a refused connection', async () => {
      const origin = await closedPortOrigin();

      const section = await checkMeta(
        testContext({
          secrets: { META_ACCESS_TOKEN: TOKEN },
          env: { ADREPORT_META_BASE_URL: origin },
        }),
      );

      expect(section.results[0]?.detail).toBe(
        `request to ${origin}/v27.0/me failed: connection refused`,
      );
    });
  });
});
