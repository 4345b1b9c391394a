/**
 * Measures the local backend and the metrics store: backend start time, writing 1,000
 * campaign-weeks, and reading 12 weeks of history for 1,000 campaigns as a run does, with the DynamoDB calls
 * of that load counted by operation through an SDK middleware. Run with `npx tsx bench/storage.ts`;
 * it prints JSON and writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalBackend, startLocalBackend } from '../src/local/emulators.ts';
import { buildHistory } from '../src/pipeline/build-history.ts';
import { readPropertyWeeks, readStoredWeeks } from '../src/pipeline/read-stored-weeks.ts';
import { storeMetrics } from '../src/pipeline/store-metrics.ts';
import { ZERO_METRICS } from '../src/shared/metrics.ts';
import type { CampaignWeek, PropertyWeek } from '../src/shared/types.ts';
import { shiftWeek, weeksEndingWith } from '../src/shared/week.ts';
import { MetricsStore } from '../src/storage/metrics-store.ts';

const RUNS = 5;
const CAMPAIGNS = 1_000;
const HISTORY_WEEKS = 12;
const PROPERTIES = 10;
const REPORT_WEEK = { start: '2026-11-23', end: '2026-11-29' };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const round = (ms: number): number => Math.round(ms * 10) / 10;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const startedAt = performance.now();
  const value = await run();

  return { ms: performance.now() - startedAt, value };
}

function campaignWeeks(prefix: string, weekStart: string): CampaignWeek[] {
  return Array.from({ length: CAMPAIGNS }, (_, i) => ({
    campaignId: `${prefix}${String(i).padStart(4, '0')}`,
    campaignName: `Campaign ${i}`,
    reportId: 'bench',
    propertyId: `property-${i % PROPERTIES}`,
    accountId: 'act_1',
    currency: 'USD',
    weekStart,
    objective: 'OUTCOME_LEADS',
    isLeadGen: true,
    metrics: {
      ...ZERO_METRICS,
      spendMinor: 10_000 + i,
      impressions: 5_000,
      clicks: 120,
      leads: 4,
      cplSpendMinor: 10_000 + i,
      cplLeads: 4,
    },
    adsets: [1, 2].map((n) => ({
      adsetId: `${i}${n}`,
      adsetName: `Ad set ${n}`,
      metrics: { ...ZERO_METRICS, spendMinor: 5_000, clicks: 60 },
    })),
    runId: 'bench',
    fetchedAt: '2026-11-30T07:00:00.000Z',
  }));
}

function propertyWeeks(prefix: string, weekStart: string): PropertyWeek[] {
  const ids = campaignWeeks(prefix, weekStart).map((week) => week.campaignId);

  return Array.from({ length: PROPERTIES }, (_, i) => ({
    reportId: 'bench',
    propertyId: `property-${i}`,
    weekStart,
    currency: 'USD',
    metrics: { ...ZERO_METRICS, spendMinor: 1_000_000, leads: 400 },
    campaignCount: CAMPAIGNS / PROPERTIES,
    unattributedHubspotLeads: 0,
    campaignIds: ids.filter((_, index) => index % PROPERTIES === i),
    runId: 'bench',
    fetchedAt: '2026-11-30T07:00:00.000Z',
  }));
}

async function measureStart(
  dataDir: string | null,
): Promise<{ coldMs?: number; medianMs: number }> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { ms, value } = await timed(() => startLocalBackend({ dataDir }));
    times.push(ms);
    await value.stop();
  }

  return { medianMs: round(median(times)) };
}

async function measureWrites(
  backend: LocalBackend,
): Promise<{ putMs: number; storeMetricsMs: number }> {
  const store = new MetricsStore(backend.clients.dynamo, backend.metricsTable);
  const puts: number[] = [];
  const stores: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    puts.push(
      (await timed(() => store.putCampaignWeeks(campaignWeeks(`w${run}-`, REPORT_WEEK.start)))).ms,
    );
    const input = {
      campaignWeeks: campaignWeeks(`s${run}-`, REPORT_WEEK.start),
      propertyWeeks: propertyWeeks(`s${run}-`, REPORT_WEEK.start),
    };
    const read = async () =>
      readStoredWeeks(
        store,
        await readPropertyWeeks(store, {
          propertyIds: input.propertyWeeks.map((week) => week.propertyId),
          weeks: [REPORT_WEEK],
        }),
      );
    stores.push((await timed(async () => storeMetrics(store, input, await read()))).ms);
  }

  return { putMs: round(median(puts)), storeMetricsMs: round(median(stores)) };
}

async function measureHistory(backend: LocalBackend) {
  const store = new MetricsStore(backend.clients.dynamo, backend.metricsTable);
  for (let offset = 1; offset <= HISTORY_WEEKS; offset += 1) {
    const weekStart = shiftWeek(REPORT_WEEK, -offset).start;
    await store.putCampaignWeeks(campaignWeeks('h-', weekStart));
    await store.putPropertyWeeks(propertyWeeks('h-', weekStart));
  }
  const calls = new Map<string, number>();
  backend.clients.dynamoRaw.middlewareStack.add(
    (next, context) => async (args) => {
      calls.set(context.commandName as string, (calls.get(context.commandName as string) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  const campaignIds = campaignWeeks('h-', REPORT_WEEK.start).map((week) => week.campaignId);
  const propertyIds = propertyWeeks('h-', REPORT_WEEK.start).map((week) => week.propertyId);
  const load = async () => {
    const stored = await readStoredWeeks(
      store,
      await readPropertyWeeks(store, {
        propertyIds,
        weeks: weeksEndingWith(shiftWeek(REPORT_WEEK, -1), HISTORY_WEEKS),
      }),
    );

    return buildHistory({
      campaignIds,
      propertyIds,
      reportWeek: REPORT_WEEK,
      weeks: HISTORY_WEEKS,
      stored,
      current: { campaignWeeks: [], propertyWeeks: [] },
      allTime: new Map(),
    });
  };
  const times: number[] = [];
  let loaded = 0;
  for (let run = 0; run < RUNS; run += 1) {
    calls.clear();
    const { ms, value } = await timed(load);
    times.push(ms);
    loaded = [...value.campaigns.values()].reduce((sum, weeks) => sum + weeks.length, 0);
  }
  backend.clients.dynamoRaw.middlewareStack.remove('benchCallCounter');

  return {
    medianMs: round(median(times)),
    campaignWeeksLoaded: loaded,
    callsPerLoad: Object.fromEntries(calls),
  };
}

async function measureBackend(dataDir: string | null) {
  const backend = await startLocalBackend({ dataDir });
  try {
    return { writes: await measureWrites(backend), history: await measureHistory(backend) };
  } finally {
    await backend.stop();
  }
}

const folder = await mkdtemp(join(tmpdir(), 'adreport-bench-'));
try {
  const cold = await timed(() => startLocalBackend({ dataDir: null }));
  await cold.value.stop();
  const result = {
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      node: process.version,
      loadAverage: loadavg(),
    },
    runs: RUNS,
    startFirstInProcessMs: round(cold.ms),
    startInMemory: await measureStart(null),
    startOnDisk: await measureStart(join(folder, 'start')),
    inMemory: await measureBackend(null),
    onDisk: await measureBackend(join(folder, 'data')),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await rm(folder, { recursive: true, force: true });
}
