import { afterEach, describe, expect, it } from 'vitest';
import { checkHubSpot } from '../../src/doctor/check-hubspot.ts';
import type { DoctorContext } from '../../src/doctor/doctor-context.ts';
import { testConfig, testContext } from './doctor-test-context.ts';
import { type HubSpotFakeOptions, startHubSpotFake } from './fakes/hubspot-fake.ts';
import {
  type LoopbackServer,
  startHtmlServer,
  startSilentServer,
} from './fakes/loopback-server.ts';

const TOKEN = 'pat-na1-test-token';

let hubspot: LoopbackServer | null = null;

afterEach(async () => {
  await hubspot?.close();
  hubspot = null;
});

/** Runs the check with the test token against the HubSpot API at `baseUrl`. */
function checkAt(baseUrl: string, overrides: Partial<DoctorContext> = {}) {
  return checkHubSpot(
    testContext({
      secrets: { HUBSPOT_ACCESS_TOKEN: TOKEN },
      env: { ADREPORT_HUBSPOT_BASE_URL: baseUrl },
      ...overrides,
    }),
  );
}

async function checkWith(options: Partial<HubSpotFakeOptions>, config = testConfig()) {
  hubspot = await startHubSpotFake({ token: TOKEN, ...options });
  const section = await checkAt(hubspot.origin, { config });

  return section.results;
}

describe('checkHubSpot', () => {
  it('fails when the token is missing', async () => {
    const section = await checkHubSpot(testContext());

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.fix).toContain('crm.objects.contacts.read');
  });

  it('passes when the search works', async () => {
    const results = await checkWith({ total: 7 });

    expect(results[0]?.status).toBe('pass');
    expect(results[0]?.detail).toContain('7 lead contacts');
  });

  it('searches with limit 1 and the lead filters', async () => {
    await checkWith({});

    const body = JSON.parse(hubspot?.requests[0]?.body ?? '{}');
    expect(body.limit).toBe(1);
    expect(body.filterGroups[0].filters[0].propertyName).toBe('hs_analytics_source');
  });

  it('explains a 403 as the missing scope', async () => {
    const results = await checkWith({ missingScope: true });

    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.detail).toContain('HTTP 403');
    expect(results[0]?.fix).toContain('crm.objects.contacts.read');
  });

  it('fails a rejected token', async () => {
    hubspot = await startHubSpotFake({ token: 'another-token' });

    const section = await checkAt(hubspot.origin);

    expect(section.results[0]?.detail).toContain('HTTP 401');
    expect(section.results[0]?.fix).toContain('HUBSPOT_ACCESS_TOKEN');
  });

  it('names an unknown filter property', async () => {
    const config = testConfig({
      hubspot: {
        leadFilterGroups: [{ filters: [{ propertyName: 'utm_medium_custom', value: 'paid' }] }],
      },
    });

    const results = await checkWith({}, config);

    expect(results[0]?.detail).toContain('utm_medium_custom');
    expect(results[0]?.fix).toContain('hubspot.leadFilterGroups');
  });

  it('asks to retry on HTTP 429', async () => {
    const results = await checkWith({
      failWith: { status: 429, message: 'You have reached your secondly limit.' },
    });

    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.fix).toContain('run doctor again');
  });

  it('fails a server error as unanswered', async () => {
    const results = await checkWith({ failWith: { status: 503, message: 'Service unavailable' } });

    expect(results[0]?.detail).toContain('HTTP 503');
  });

  it('times out on a silent server', async () => {
    hubspot = await startSilentServer();

    const section = await checkAt(hubspot.origin, { timeoutMs: 300 });

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.detail).toContain('timed out after 0.3 s');
    expect(section.results[0]?.detail).toContain(hubspot.origin);
  });

  it('names a refused connection', async () => {
    const section = await checkAt('http://127.0.0.1:9');

    expect(section.results[0]?.detail).toContain('connection refused');
    expect(section.results[0]?.detail).toContain('http://127.0.0.1:9');
  });

  it('fails an HTML page with status 200', async () => {
    hubspot = await startHtmlServer();

    const section = await checkAt(hubspot.origin);

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.detail).toContain('HTTP 200');
    expect(section.results[0]?.detail).toContain(
      `${hubspot.origin}/crm/v3/objects/contacts/search`,
    );
    expect(section.results[0]?.fix).toContain('hubspot.baseUrl');
  });
});
