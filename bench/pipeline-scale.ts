/**
 * Measures one scheduled weekly run of the worker Lambda bundle at 10 to 1,000 campaigns (5 ad
 * sets each) against local emulators and loopback fakes: wall time, peak memory, requests to
 * every service, Claude prompt size and email size, with history seeded before each timed run.
 *
 *   npx tsx bench/pipeline-scale.ts [--quick] [--campaigns N,…] [--out FILE]
 *
 * `--quick` runs each case once up to 100 campaigns; `--campaigns` keeps only the cases with
 * those campaign counts. Prints progress to stderr, and writes the results as JSON to FILE (stdout when absent). `npm run bench`
 * runs this and folds the results into docs/bench/README.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.ts';
import { startLocalBackend } from '../src/local/emulators.ts';
import { logger } from '../src/shared/logger.ts';
import type { Week } from '../src/shared/types.ts';
import { lastCompleteWeek, shiftWeek } from '../src/shared/week.ts';
import { BENCH_REPORT, buildBenchConfig, GRAPH_PAGE_SIZE } from './lib/bench-config.ts';
import {
  type BenchWorld,
  loadAccounts,
  startBenchWorld,
  type WeekSlot,
} from './lib/bench-world.ts';
import { bundleWorker, type WorkerBundle } from './lib/bundle-worker.ts';
import { measureRun, type RunMeasurement } from './lib/measure-run.ts';
import { seedHistory } from './lib/seed-history.ts';
import {
  type CaseResult,
  findScaleFindings,
  type ScaleCase,
  type ScaleFindings,
  summariseCase,
} from './lib/summarise-scale.ts';
import { buildCampaigns, type SyntheticShape } from './lib/synthetic-data.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PROPERTIES = 5;
const ADSETS_PER_CAMPAIGN = 5;
const SEED = 20261207;
const CHILD_TIMEOUT_MS = 180_000;

/** The measured cases; runs per case keep `npm run bench` near 10 minutes on 2 cores. */
export const CASES: ScaleCase[] = [
  { campaigns: 10, historyWeeks: 12, runs: 5, pageSize: GRAPH_PAGE_SIZE, purpose: 'scale' },
  { campaigns: 50, historyWeeks: 12, runs: 3, pageSize: GRAPH_PAGE_SIZE, purpose: 'prompt size' },
  { campaigns: 100, historyWeeks: 12, runs: 5, pageSize: GRAPH_PAGE_SIZE, purpose: 'scale' },
  {
    campaigns: 100,
    historyWeeks: 104,
    runs: 3,
    pageSize: GRAPH_PAGE_SIZE,
    purpose: 'history length',
  },
  { campaigns: 1000, historyWeeks: 12, runs: 3, pageSize: GRAPH_PAGE_SIZE, purpose: 'scale' },
  {
    campaigns: 1000,
    historyWeeks: 12,
    runs: 1,
    pageSize: 25,
    purpose: 'baseline: Graph default page size',
  },
];

export interface PipelineScaleResults {
  /** `bundle`: the CDK-built Lambda bundle; `source`: the TypeScript handler under tsx. */
  mode: 'bundle' | 'source';
  modeReason: string | null;
  bundle: Omit<WorkerBundle, 'dir' | 'entry'> | null;
  reportWeek: Week;
  shape: { properties: number; adsetsPerCampaign: number; seed: number };
  cases: CaseResult[];
  findings: ScaleFindings;
  durationMs: number;
}

/** Runs the cases (all of `CASES` by default) and returns the results. */
export async function measurePipelineScale(
  options: { cases?: ScaleCase[]; log?: (line: string) => void } = {},
): Promise<PipelineScaleResults> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startedAt = performance.now();
  const cases = options.cases ?? CASES;
  const workDir = await mkdtemp(join(tmpdir(), 'adreport-bench-'));
  const world = await startBenchWorld();
  try {
    const configs = await writeConfigs(world, workDir, cases);
    const target = await prepareHandler(configs.get(GRAPH_PAGE_SIZE) as string, workDir, log);
    const reportWeek = lastCompleteWeek(new Date(), BENCH_REPORT.timeZone);
    const results: CaseResult[] = [];
    for (const group of groupByDataset(cases)) {
      const seeded = await seedDataset(
        world,
        workDir,
        configs,
        reportWeek,
        group[0] as ScaleCase,
        log,
      );
      for (const scaleCase of group) {
        const configPath =
          target.mode === 'bundle' && scaleCase.pageSize === GRAPH_PAGE_SIZE
            ? join(target.bundle?.dir as string, 'adreport.config.json')
            : (configs.get(scaleCase.pageSize) as string);
        const runs: RunMeasurement[] = [];
        for (let run = 1; run <= scaleCase.runs; run++) {
          const label = `${scaleCase.campaigns}c-${scaleCase.historyWeeks}w-p${scaleCase.pageSize}-run${run}`;
          const measured = await measureRun({
            world,
            seedDir: seeded.dir,
            workDir,
            label,
            handlerModule: target.handlerModule,
            configPath,
            reportWeek,
            timeoutMs: CHILD_TIMEOUT_MS,
          });
          log(
            `  ${label}: ${(measured.handlerMs / 1000).toFixed(2)} s, ${Math.round(measured.maxRssMb)} MB, ${measured.error ?? JSON.stringify(measured.output)}`,
          );
          runs.push(measured);
        }
        results.push(summariseCase(scaleCase, seeded.seed, runs));
      }
    }

    return {
      mode: target.mode,
      modeReason: target.reason,
      bundle: target.bundle
        ? {
            entryBytes: target.bundle.entryBytes,
            totalBytes: target.bundle.totalBytes,
            buildMs: target.bundle.buildMs,
          }
        : null,
      reportWeek,
      shape: { properties: PROPERTIES, adsetsPerCampaign: ADSETS_PER_CAMPAIGN, seed: SEED },
      cases: results,
      findings: findScaleFindings(results, GRAPH_PAGE_SIZE),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    await world.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Selects cases: each once up to 100 campaigns when `quick`, and only `campaigns` when given. */
export function selectCases(options: { quick?: boolean; campaigns?: number[] }): ScaleCase[] {
  const counts = options.campaigns ?? [];
  const kept = CASES.filter(
    (c) =>
      (counts.length === 0 || counts.includes(c.campaigns)) &&
      (!options.quick || c.campaigns <= 100),
  );

  return options.quick ? kept.map((c) => ({ ...c, runs: 1 })) : kept;
}

/** Writes one config file per Graph page size in use, all pointing at the fakes. */
async function writeConfigs(world: BenchWorld, workDir: string, cases: ScaleCase[]) {
  const configs = new Map<number, string>();
  for (const pageSize of new Set([GRAPH_PAGE_SIZE, ...cases.map((c) => c.pageSize)])) {
    const path = join(workDir, `adreport.config.p${pageSize}.json`);
    const config = buildBenchConfig({ properties: PROPERTIES, urls: world.urls, pageSize });
    await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
    configs.set(pageSize, path);
  }

  return configs;
}

interface HandlerTarget {
  mode: 'bundle' | 'source';
  handlerModule: string;
  bundle: WorkerBundle | null;
  reason: string | null;
}

/** Builds the Lambda bundle; when that fails, falls back to the TypeScript handler and says why. */
async function prepareHandler(
  configPath: string,
  workDir: string,
  log: (line: string) => void,
): Promise<HandlerTarget> {
  try {
    const bundle = await bundleWorker({
      rootDir: ROOT,
      configPath,
      outDir: join(workDir, 'cdk.out'),
    });
    log(`Built the worker bundle in ${(bundle.buildMs / 1000).toFixed(1)} s`);

    return { mode: 'bundle', handlerModule: bundle.entry, bundle, reason: null };
  } catch (error) {
    const reason = `bundling the worker failed: ${(error as Error).message.split('\n')[0]}`;
    log(`Falling back to the TypeScript handler, because ${reason}`);

    return {
      mode: 'source',
      handlerModule: join(ROOT, 'src/pipeline/handler.ts'),
      bundle: null,
      reason,
    };
  }
}

/** Groups cases that share campaigns and history, so each dataset is seeded once. */
function groupByDataset(cases: ScaleCase[]): ScaleCase[][] {
  const groups = new Map<string, ScaleCase[]>();
  for (const scaleCase of cases) {
    const key = `${scaleCase.campaigns}/${scaleCase.historyWeeks}`;
    groups.set(key, [...(groups.get(key) ?? []), scaleCase]);
  }

  return [...groups.values()];
}

/**
 * Loads the synthetic accounts into the fakes, stores the history into an emulator snapshot on
 * disk, then switches the fakes to what a run sees: the re-fetched weeks with Meta's restated
 * leads, and the HubSpot contacts of those weeks only.
 */
async function seedDataset(
  world: BenchWorld,
  workDir: string,
  configs: Map<number, string>,
  reportWeek: Week,
  scaleCase: ScaleCase,
  log: (line: string) => void,
) {
  const shape: SyntheticShape = {
    campaigns: scaleCase.campaigns,
    adsetsPerCampaign: ADSETS_PER_CAMPAIGN,
    properties: PROPERTIES,
    seed: SEED,
  };
  const campaigns = buildCampaigns(shape);
  const config = await loadConfig(configs.get(GRAPH_PAGE_SIZE) as string);
  const slots = (from: number, to: number): WeekSlot[] =>
    Array.from({ length: to - from + 1 }, (_, i) => ({
      start: shiftWeek(reportWeek, from + i).start,
      offset: from + i,
    }));
  const timeZone = BENCH_REPORT.timeZone;
  loadAccounts(world, {
    shape,
    campaigns,
    weeks: slots(-scaleCase.historyWeeks, -1),
    variant: 'stored',
    timeZone,
  });

  const dir = join(workDir, `seed-${scaleCase.campaigns}c-${scaleCase.historyWeeks}w`);
  await mkdir(dir, { recursive: true });
  const backend = await startLocalBackend({ dataDir: dir });
  let seed: { runs: number; durationMs: number };
  try {
    seed = await seedHistory({
      config,
      reportId: BENCH_REPORT.id,
      backend,
      // Without Slack and Anthropic credentials a backfill builds no clients for them.
      secrets: {
        META_ACCESS_TOKEN: world.secrets.META_ACCESS_TOKEN,
        HUBSPOT_ACCESS_TOKEN: world.secrets.HUBSPOT_ACCESS_TOKEN,
      },
      reportWeek,
      weeks: scaleCase.historyWeeks,
    });
  } finally {
    await backend.stop();
  }
  log(
    `Seeded ${scaleCase.historyWeeks} weeks of ${scaleCase.campaigns} campaigns in ${(seed.durationMs / 1000).toFixed(1)} s (${seed.runs} backfill runs)`,
  );
  const fetchWindow = config.meta.restatementWeeks;
  loadAccounts(world, {
    shape,
    campaigns,
    weeks: slots(1 - fetchWindow, 0),
    variant: 'restated',
    timeZone,
  });

  return { dir, seed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      campaigns: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const campaigns = values.campaigns?.split(',').map((value) => Number(value.trim()));
  // The backfill runs in this process; their per-step info logs would bury the progress lines.
  logger.setLogLevel('WARN');
  const results = await measurePipelineScale({
    cases: selectCases({ quick: values.quick, ...(campaigns ? { campaigns } : {}) }),
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (values.out) await writeFile(values.out, json);
  else process.stdout.write(json);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
