import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdreportConfig } from '../../src/config/schema.ts';
import { configSchema } from '../../src/config/schema.ts';
import { secretsFromEnv } from '../../src/config/secrets.ts';
import { LOCAL_NAMES } from '../../src/local/emulators.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { type FakeGraphApi, insightsRow, startFakeGraphApi } from '../fakes/graph-api.ts';
import { type FakeHubSpot, startFakeHubSpot } from '../fakes/hubspot-api.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const WEEK = { start: '2026-11-23', end: '2026-11-29' };
const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
/** Monday noon UTC: the week of 23 November is complete in every zone used here. */
const NOW = new Date('2026-11-30T12:00:00Z');

const backend = useLocalBackend();
let graph: FakeGraphApi;
let hubspot: FakeHubSpot;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  hubspot = await startFakeHubSpot();
  graph.setAccount('act_1001', { currency: 'USD', timezone_name: 'America/New_York' });
  graph.setAccount('act_1002', { currency: 'USD', timezone_name: 'America/Los_Angeles' });
  for (const [index, weekStart] of WEEKS.entries()) {
    graph.setRows('act_1001', weekStart, [
      leadRow('111', '1111', 100 + index * 10, 10),
      leadRow('111', '1112', 50, 5),
      insightsRow({
        campaignId: '112',
        adsetId: '1121',
        objective: 'OUTCOME_AWARENESS',
        spend: '300.00',
        impressions: 90_000,
        clicks: 400,
      }),
    ]);
    graph.setRows('act_1002', weekStart, [leadRow('211', '2111', 80, 4)]);
  }
  hubspot.setContacts([
    contact('c1', '2026-11-24T15:00:00Z', { hsa_cam: '111', hsa_grp: '1111' }),
    contact('c2', '2026-11-25T15:00:00Z', { hs_analytics_source_data_2: 'Campaign 211' }),
    contact('c3', '2026-11-26T15:00:00Z', { hs_analytics_source_data_2: 'no such campaign' }),
    contact('c0', '2026-11-17T15:00:00Z', { hsa_cam: '111', hsa_grp: '1111' }),
  ]);
});

afterAll(async () => {
  await graph.close();
  await hubspot.close();
});

describe('runReport', () => {
  it('delivers the report once with CPL on lead campaigns only', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    expect(result.outcome).toBe('delivered');
    expect(result.email.status).toBe('sent');
    expect(result.slack.status).toBe('written');
    const home = result.report?.properties.find((p) => p.propertyId === 'home');
    // Lead campaign 111: 130 + 50 spend over 15 leads; the awareness campaign's 300 is not in CPL.
    expect(home?.metrics?.spendMinor).toBe(48_000);
    expect(home?.metrics?.cplSpendMinor).toBe(18_000);
    expect(home?.metrics?.cplLeads).toBe(15);
    const files = (await readdir(deps.outDir as string)).sort();
    expect(files.some((f) => f.endsWith('.eml'))).toBe(true);
    expect(files.some((f) => f.endsWith('.html'))).toBe(true);
    expect(files.some((f) => f.endsWith('.json'))).toBe(true);
  });

  it('attributes HubSpot contacts and counts the unattributed', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const campaigns = result.report?.properties.flatMap((p) => p.campaigns) ?? [];
    const byId = new Map(campaigns.map((c) => [c.week.campaignId, c.week]));
    expect(byId.get('111')?.metrics.hubspotLeads).toBe(1);
    expect(byId.get('111')?.adsets.find((a) => a.adsetId === '1111')?.metrics.hubspotLeads).toBe(1);
    expect(byId.get('211')?.metrics.hubspotLeads).toBe(1);
    expect(result.report?.totalsMetrics?.hubspotLeads).toBe(3);
  });

  it('counts HubSpot leads of earlier weeks on a new store', async () => {
    const properties: [string, string] = [uniqueId('home'), uniqueId('branch')];
    const deps = await pipelineDeps(configFor(uniqueId('report'), properties));
    const reportId = deps.config.reports[0]?.id as string;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const store = new MetricsStore(deps.dynamo, deps.metricsTable);
    const [earlier] = await store.getPropertyHistory(properties[0] as string, '2026-11-16', 1);
    expect(earlier?.metrics.hubspotLeads).toBe(1);
    expect(earlier?.hubspotCounted).toBe(true);
  });

  it('searches HubSpot for the report week once earlier weeks are counted', async () => {
    const properties: [string, string] = [uniqueId('home'), uniqueId('branch')];
    const deps = await pipelineDeps(configFor(uniqueId('report'), properties));
    const reportId = deps.config.reports[0]?.id as string;
    await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });
    const before = hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', forceDelivery: true });

    const bodies = hubspot.requests.slice(before).map((request) => JSON.stringify(request));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(String(Date.parse('2026-11-23T05:00:00Z')));
  });

  it('sends no second email for the same week', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    const before = (await backend().readSentEmails()).length;

    const results = await Promise.all([
      runReport(deps, { reportId, week: WEEK, trigger: 'schedule' }),
      runReport(deps, { reportId, week: WEEK, trigger: 'schedule' }),
    ]);
    const third = await runReport(deps, { reportId, week: WEEK, trigger: 'schedule' });

    const sent = (await backend().readSentEmails()).length - before;
    expect(sent).toBe(1);
    expect(results.map((r) => r.email.status).sort()).toEqual(['already_sent', 'sent']);
    expect(third.email.status).toBe('already_sent');
    expect(third.slack.status).toBe('already_posted');
  });

  it('rebuilds the same metrics on replay', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    const original = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });
    const store = new MetricsStore(deps.dynamo, deps.metricsTable);
    const stored = await store.getCampaignsOfPropertyWeek('home', WEEK.start);

    const replayed = await runReport(deps, {
      reportId,
      week: WEEK,
      trigger: 'replay',
      replay: true,
    });

    const restored = await store.getCampaignsOfPropertyWeek('home', WEEK.start);
    expect(replayed.outcome).toBe('delivered');
    expect(restored.map((c) => c.metrics)).toEqual(stored.map((c) => c.metrics));
    expect(replayed.report?.totalsMetrics).toEqual(original.report?.totalsMetrics);
    expect(replayed.report?.alerts).toEqual(original.report?.alerts);
  });

  it('marks a property unavailable when its Meta fetch fails', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    graph.enqueue('act_1002', { kind: 'graph_error', error: { code: 190, error_subcode: 463 } });

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const branch = result.report?.properties.find((p) => p.propertyId === 'branch');
    expect(result.outcome).toBe('degraded');
    expect(branch?.availability).toBe('unavailable');
    expect(branch?.metrics).toBeNull();
    expect(result.report?.properties.find((p) => p.propertyId === 'home')?.signals?.name).toBe(
      'Home',
    );
    expect(result.email.status).toBe('sent');
    expect(result.notes.join(' ')).toMatch(/Meta data unavailable for Branch/);
  });

  it('sends the report without lead activity when HubSpot fails', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    hubspot.enqueue({
      status: 401,
      body: {
        status: 'error',
        message: 'Authentication credentials not found.',
        category: 'INVALID_AUTHENTICATION',
      },
    });

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const hubspotKpi = result.report?.totals?.kpis.find((k) => k.key === 'hubspotLeads');
    expect(result.outcome).toBe('degraded');
    expect(result.report?.hubspotAvailable).toBe(false);
    expect(result.email.status).toBe('sent');
    expect(hubspotKpi?.value).toBeNull();
    expect(result.report?.alerts.filter((a) => a.kpi === 'hubspotLeads')).toEqual([]);
  });

  it('re-reads a rotated token after an auth failure', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    const stale = {
      META_ACCESS_TOKEN: 'revoked-meta-token-0000',
      HUBSPOT_ACCESS_TOKEN: 'pat-test-token',
    };
    const rotated = { ...stale, META_ACCESS_TOKEN: graph.accessToken };
    let reads = 0;
    deps.secrets = {
      get: async () => stale,
      refresh: async () => {
        reads += 1;
        return rotated;
      },
    };

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    expect(reads).toBe(1);
    expect(result.outcome).toBe('delivered');
    expect(result.report?.properties.every((p) => p.availability === 'ok')).toBe(true);
  });

  it('fails when no property has Meta data', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    graph.enqueue('act_1001', { kind: 'graph_error', error: { code: 200 } });
    graph.enqueue('act_1002', { kind: 'graph_error', error: { code: 200 } });

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    expect(result.outcome).toBe('failed');
    expect(result.email.status).toBe('skipped');
  });
});

function leadRow(campaignId: string, adsetId: string, spend: number, leads: number) {
  return insightsRow({
    campaignId,
    adsetId,
    objective: 'OUTCOME_LEADS',
    spend: spend.toFixed(2),
    impressions: 20_000,
    clicks: 300,
    actions: { lead: leads, 'onsite_conversion.lead_grouped': leads, landing_page_view: 120 },
  });
}

function contact(id: string, createdate: string, properties: Record<string, string>) {
  return {
    id,
    properties: { createdate, hs_analytics_source: 'PAID_SOCIAL', ...properties },
  };
}

function configFor(reportId: string, [home, branch] = ['home', 'branch']): AdreportConfig {
  return configSchema.parse({
    reports: [
      {
        id: reportId,
        name: 'Test report',
        timeZone: 'America/New_York',
        recipients: ['team@example.com'],
        slackChannel: 'C0TEST0001',
        properties: [
          { id: home, name: 'Home', metaAdAccountId: 'act_1001' },
          { id: branch, name: 'Branch', metaAdAccountId: 'act_1002' },
        ],
      },
    ],
    email: { sender: 'reports@example.com', opsRecipients: ['ops@example.com'] },
    meta: { baseUrl: graph.url },
    hubspot: { baseUrl: hubspot.url },
  });
}

async function pipelineDeps(config: AdreportConfig): Promise<PipelineDeps> {
  const local = backend();

  return {
    config,
    secrets: secretsFromEnv({
      META_ACCESS_TOKEN: graph.accessToken,
      HUBSPOT_ACCESS_TOKEN: 'pat-test-token',
    }),
    dynamo: local.clients.dynamo,
    s3: local.clients.s3,
    ses: local.clients.ses,
    metricsTable: LOCAL_NAMES.metricsTable,
    stateTable: LOCAL_NAMES.stateTable,
    archiveBucket: LOCAL_NAMES.bucket,
    outDir: await mkdtemp(join(tmpdir(), 'adreport-run-')),
    now: () => NOW,
    sleep: async () => {},
  };
}
