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
import { type FakeHubSpot, hubspotFaults, startFakeHubSpot } from '../fakes/hubspot-api.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const WEEK = { start: '2026-11-23', end: '2026-11-29' };
const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
/** Monday noon UTC: the week of 23 November is complete in every zone used here. */
const NOW = new Date('2026-11-30T12:00:00Z');
const NO_DELIVERY = { email: false, slack: false };
/** A search response without contacts, served to the report week so a later request can fail. */
const EMPTY_SEARCH = { status: 200, body: { total: 0, results: [] } };

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
    const statuses = results.map((r) => r.email.status);
    expect(statuses.filter((status) => status === 'sent')).toHaveLength(1);
    // The other run finds the claim done, or still held while the email goes out.
    expect(['already_sent', 'in_progress']).toContain(statuses.find((status) => status !== 'sent'));
    expect(third.email.status).toBe('already_sent');
    // Without a Slack token the summary is only written to the output folder, each run again.
    expect(third.slack.status).toBe('written');
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
    expect(replayed.outcome).toBe('already_delivered');
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
    expect(result.notes.at(-1)).toMatch(
      /^Run failed: Meta data is unavailable for every property for the week of 23–29 Nov 2026\. First cause, Home: Meta denied access/,
    );
  });
});

describe('runReport with a failed earlier Meta week', () => {
  const FAILED_WEEK = '2026-11-09';
  const failEarlierWeek = () =>
    graph.enqueue(
      (request) =>
        request.path.endsWith('/act_1002/insights') &&
        (request.query.time_range ?? '').includes(FAILED_WEEK),
      { kind: 'graph_error', error: { code: 100 } },
    );

  it('keeps the property in the report', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    failEarlierWeek();

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const branch = result.report?.properties.find((p) => p.propertyId === 'branch');
    expect(branch?.availability).toBe('ok');
    expect(branch?.metrics?.spendMinor).toBe(8_000);
    expect(result.email.status).toBe('sent');
  });

  it('notes the property and week once', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    failEarlierWeek();

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const notes = result.notes.filter((note) => note.includes('9–15 Nov 2026'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Meta figures of Branch for the week of 9–15 Nov 2026 could not/);
    expect(result.notes.join(' ')).not.toMatch(/Meta data unavailable/);
  });

  it('marks the note with that week', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    failEarlierWeek();

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const note = result.notes.find((entry) => entry.includes('9–15 Nov 2026'));
    expect(note).toBeDefined();
    expect(result.earlierWeekNotes).toEqual([{ weekStarts: [FAILED_WEEK], note }]);
  });

  it('marks the note in a backfill run', async () => {
    const deps = await pipelineDeps(configFor(uniqueId('report')));
    const reportId = deps.config.reports[0]?.id as string;
    failEarlierWeek();

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli', storeOnly: true });

    expect(result.outcome).toBe('degraded');
    expect(result.earlierWeekNotes?.map((entry) => entry.weekStarts)).toEqual([[FAILED_WEEK]]);
    expect(result.earlierWeekNotes?.map((entry) => entry.note)).toEqual(result.notes);
  });

  it('keeps the stored figures of that week', async () => {
    const properties: [string, string] = [uniqueId('home'), uniqueId('branch')];
    const deps = await pipelineDeps(configFor(uniqueId('report'), properties));
    const reportId = deps.config.reports[0]?.id as string;
    const store = new MetricsStore(deps.dynamo, deps.metricsTable);
    await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });
    const [before] = await store.getPropertyHistory(properties[1], FAILED_WEEK, 1);
    failEarlierWeek();

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const [after] = await store.getPropertyHistory(properties[1], FAILED_WEEK, 1);
    expect(before?.weekStart).toBe(FAILED_WEEK);
    expect(after).toEqual(before);
    expect(result.notes.join(' ')).toMatch(/the figures stored earlier for that week are kept/);
  });

  it('stores no zeros for that week', async () => {
    const properties: [string, string] = [uniqueId('home'), uniqueId('branch')];
    const deps = await pipelineDeps(configFor(uniqueId('report'), properties));
    const reportId = deps.config.reports[0]?.id as string;
    failEarlierWeek();

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    const store = new MetricsStore(deps.dynamo, deps.metricsTable);
    const [latest] = await store.getPropertyHistory(properties[1], FAILED_WEEK, 1);
    expect(latest?.weekStart).toBe('2026-11-02');
  });
});

describe('runReport on weeks without HubSpot counts', () => {
  /** Weeks before the report week, newest first: WEEKS_BACK[i] is i weeks back. */
  const WEEKS_BACK = Array.from({ length: 16 }, (_, back) => addDays(WEEK.start, -7 * back));
  const PAGED_WEEK = 5;
  let fills: { graph: FakeGraphApi; hubspot: FakeHubSpot };
  let offsetMs = 0;
  // HubSpot waits (pacing, Retry-After, backoff) move this clock instead of taking real time.
  const clock = {
    now: () => new Date(NOW.getTime() + offsetMs),
    sleep: async (ms: number) => {
      offsetMs += Math.max(0, ms);
    },
  };

  beforeAll(async () => {
    fills = {
      graph: await startFakeGraphApi(),
      hubspot: await startFakeHubSpot({ now: () => clock.now().getTime() }),
    };
  });

  afterAll(async () => {
    await fills.graph.close();
    await fills.hubspot.close();
  });

  /** Leads HubSpot holds for the week `back` weeks before the report week. */
  function leadsOf(back: number): number {
    return back === PAGED_WEEK ? 250 : 1 + (back % 3);
  }

  /**
   * Sets up an ad account with one lead campaign over 16 weeks and its HubSpot contacts. Then
   * stores 12 weeks: two runs while HubSpot returns 503 store the 8 weeks before the re-fetched
   * weeks without HubSpot counts, and a run with HubSpot back counts only the re-fetched weeks.
   */
  async function storeUncountedHistory(options: { uncountedWeeksPerRun: number }) {
    const digits = String(Date.now()).slice(-9) + String(Math.floor(Math.random() * 900) + 100);
    const accountId = `act_${digits}`;
    const campaignId = `7${digits}`;
    fills.graph.setAccount(accountId, { currency: 'USD', timezone_name: 'UTC' });
    for (const weekStart of WEEKS_BACK) {
      fills.graph.setRows(accountId, weekStart, [leadRow(campaignId, `${campaignId}1`, 120, 9)]);
    }
    fills.hubspot.setContacts(
      WEEKS_BACK.flatMap((weekStart, back) =>
        Array.from({ length: leadsOf(back) }, (_, index) =>
          contact(`${back}-${index}`, `${addDays(weekStart, 1)}T15:00:00Z`, {
            hsa_cam: campaignId,
            hsa_grp: `${campaignId}1`,
          }),
        ),
      ),
    );
    const propertyId = uniqueId('home');
    const setup = await fillDeps(propertyId, accountId, { uncountedWeeksPerRun: 0 });
    const reportId = setup.config.reports[0]?.id as string;
    for (const back of [8, 4]) {
      fills.hubspot.enqueue(...Array.from({ length: 6 }, () => hubspotFaults.serverError(503)));
      await runReport(setup, {
        reportId,
        week: weekBack(back),
        trigger: 'cli',
        deliver: NO_DELIVERY,
      });
    }
    await runReport(setup, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });
    const deps = await fillDeps(propertyId, accountId, options, reportId);
    const store = new MetricsStore(deps.dynamo, deps.metricsTable);

    return { deps, reportId, propertyId, campaignId, store };
  }

  async function fillDeps(
    propertyId: string,
    accountId: string,
    hubspotOptions: { uncountedWeeksPerRun: number },
    reportId = uniqueId('report'),
  ): Promise<PipelineDeps> {
    const config = configSchema.parse({
      reports: [
        {
          id: reportId,
          name: 'Fill report',
          timeZone: 'UTC',
          recipients: ['team@example.com'],
          slackChannel: 'C0TEST0001',
          properties: [{ id: propertyId, name: 'Home', metaAdAccountId: accountId }],
        },
      ],
      email: { sender: 'reports@example.com', opsRecipients: ['ops@example.com'] },
      meta: { baseUrl: fills.graph.url },
      hubspot: { baseUrl: fills.hubspot.url, ...hubspotOptions },
    });
    const deps = await pipelineDeps(config);
    deps.secrets = secretsFromEnv({
      META_ACCESS_TOKEN: fills.graph.accessToken,
      HUBSPOT_ACCESS_TOKEN: 'pat-test-token',
    });

    return { ...deps, now: clock.now, sleep: clock.sleep };
  }

  /** Returns the stored property-week `back` weeks before the report week. */
  async function storedWeek(store: MetricsStore, propertyId: string, back: number) {
    const [week] = await store.getPropertyWeeks([
      { propertyId, weekStart: WEEKS_BACK[back] as string },
    ]);

    return week;
  }

  /** Returns how many weeks back each search request since `from` covered, in order. */
  function searchedWeeks(from: number): number[] {
    return fills.hubspot.requests.slice(from).map((request) => {
      const body = request.body as {
        filterGroups: Array<{ filters: Array<Record<string, string>> }>;
      };
      const window = body.filterGroups[0]?.filters.find((f) => f.propertyName === 'createdate');
      const start = new Date(Number(window?.value)).toISOString().slice(0, 10);

      return WEEKS_BACK.indexOf(start);
    });
  }

  it('starts from eight uncounted weeks', async () => {
    const { store, propertyId } = await storeUncountedHistory({ uncountedWeeksPerRun: 2 });

    const counted = [];
    for (let back = 0; back < 12; back++) {
      counted.push((await storedWeek(store, propertyId, back))?.hubspotCounted);
    }

    expect(counted).toEqual([true, true, true, true, ...Array(8).fill(false)]);
  });

  it('fills the newest uncounted weeks first', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    const from = fills.hubspot.requests.length;

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    expect(result.outcome).toBe('delivered');
    expect([...new Set(searchedWeeks(from))]).toEqual([0, 4, 5]);
    expect((await storedWeek(store, propertyId, 4))?.metrics.hubspotLeads).toBe(leadsOf(4));
    expect((await storedWeek(store, propertyId, 4))?.hubspotCounted).toBe(true);
    expect((await storedWeek(store, propertyId, 6))?.hubspotCounted).toBe(false);
  });

  it('fills the next weeks on the next run', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });
    const from = fills.hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    expect([...new Set(searchedWeeks(from))]).toEqual([0, 6, 7]);
    expect((await storedWeek(store, propertyId, 7))?.metrics.hubspotLeads).toBe(leadsOf(7));
    expect((await storedWeek(store, propertyId, 8))?.hubspotCounted).toBe(false);
  });

  it('searches no earlier week at bound 0', async () => {
    const { deps, reportId } = await storeUncountedHistory({ uncountedWeeksPerRun: 0 });
    const from = fills.hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    expect(searchedWeeks(from)).toEqual([0]);
  });

  it('searches no earlier week on a new store', async () => {
    const digits = String(Date.now()).slice(-9);
    fills.graph.setAccount(`act_${digits}`, { currency: 'USD', timezone_name: 'UTC' });
    for (const weekStart of WEEKS_BACK) {
      fills.graph.setRows(`act_${digits}`, weekStart, [
        leadRow(`8${digits}`, `8${digits}1`, 50, 2),
      ]);
    }
    const deps = await fillDeps(uniqueId('home'), `act_${digits}`, { uncountedWeeksPerRun: 8 });
    const reportId = deps.config.reports[0]?.id as string;
    const from = fills.hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    expect(searchedWeeks(from)).toEqual([0, 1, 2, 3]);
  });

  it('pages through a filled week', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    const from = fills.hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    expect(searchedWeeks(from).filter((back) => back === PAGED_WEEK)).toHaveLength(2);
    expect((await storedWeek(store, propertyId, PAGED_WEEK))?.metrics.hubspotLeads).toBe(250);
  });

  it('fills a week after a 429', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 1,
    });
    fills.hubspot.enqueue(EMPTY_SEARCH, hubspotFaults.secondlyLimit(2));
    const from = fills.hubspot.requests.length;

    const result = await runReport(deps, {
      reportId,
      week: WEEK,
      trigger: 'cli',
      deliver: NO_DELIVERY,
    });

    expect(searchedWeeks(from)).toEqual([0, 4, 4]);
    expect((await storedWeek(store, propertyId, 4))?.metrics.hubspotLeads).toBe(leadsOf(4));
    expect(result.notes).toEqual([]);
  });

  it('keeps a failed week unknown and reports', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    fills.hubspot.enqueue(
      EMPTY_SEARCH,
      ...Array.from({ length: 6 }, () => hubspotFaults.serverError(503)),
    );

    const result = await runReport(deps, { reportId, week: WEEK, trigger: 'cli' });

    expect(result.outcome).toBe('degraded');
    expect(result.email.status).toBe('sent');
    expect(result.notes.join(' ')).toMatch(
      /later runs search it again while it is within the last 12 weeks/,
    );
    expect((await storedWeek(store, propertyId, 4))?.hubspotCounted).toBe(false);
    expect((await storedWeek(store, propertyId, 5))?.hubspotCounted).toBe(true);
  });

  it('marks a failed week in the result', async () => {
    const { deps, reportId } = await storeUncountedHistory({ uncountedWeeksPerRun: 2 });
    fills.hubspot.enqueue(
      EMPTY_SEARCH,
      ...Array.from({ length: 6 }, () => hubspotFaults.serverError(503)),
    );

    const result = await runReport(deps, {
      reportId,
      week: WEEK,
      trigger: 'cli',
      deliver: NO_DELIVERY,
    });

    const note = result.notes.find((entry) => entry.startsWith('HubSpot contacts of the week'));
    expect(note).toBeDefined();
    expect(result.earlierWeekNotes).toEqual([{ weekStarts: [WEEKS_BACK[4]], note }]);
  });

  it('searches a week that fails again', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 1,
    });
    const failing = () => Array.from({ length: 6 }, () => hubspotFaults.serverError(503));
    fills.hubspot.enqueue(EMPTY_SEARCH, ...failing());
    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });
    fills.hubspot.enqueue(EMPTY_SEARCH, ...failing());
    const second = await runReport(deps, {
      reportId,
      week: WEEK,
      trigger: 'cli',
      deliver: NO_DELIVERY,
    });
    const from = fills.hubspot.requests.length;

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    expect(second.notes.join(' ')).toContain('could not be read');
    expect(searchedWeeks(from)).toEqual([0, 4]);
    expect((await storedWeek(store, propertyId, 4))?.metrics.hubspotLeads).toBe(leadsOf(4));
  });

  it('replays a run that filled weeks', async () => {
    const { deps, reportId, propertyId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });
    const before = await storedWeek(store, propertyId, 4);
    const from = fills.hubspot.requests.length;

    await runReport(deps, {
      reportId,
      week: WEEK,
      trigger: 'replay',
      replay: true,
      deliver: NO_DELIVERY,
    });

    expect(fills.hubspot.requests.length).toBe(from);
    expect((await storedWeek(store, propertyId, 4))?.metrics).toEqual(before?.metrics);
    expect((await storedWeek(store, propertyId, 4))?.hubspotCounted).toBe(true);
  });

  it('keeps the Meta figures of a filled week', async () => {
    const { deps, reportId, campaignId, store } = await storeUncountedHistory({
      uncountedWeeksPerRun: 2,
    });
    const key = { campaignId, weekStart: WEEKS_BACK[4] as string };
    const [before] = await store.getCampaignWeeks([key]);

    await runReport(deps, { reportId, week: WEEK, trigger: 'cli', deliver: NO_DELIVERY });

    const [after] = await store.getCampaignWeeks([key]);
    expect({ ...after?.metrics, hubspotLeads: 0 }).toEqual({ ...before?.metrics, hubspotLeads: 0 });
    expect(after?.metrics.hubspotLeads).toBe(leadsOf(4));
    expect(after?.runId).toBe(before?.runId);
  });
});

function weekBack(back: number) {
  const start = addDays(WEEK.start, -7 * back);

  return { start, end: addDays(start, 6) };
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);

  return date.toISOString().slice(0, 10);
}

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
