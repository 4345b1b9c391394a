/**
 * Measures one scheduled weekly run of the worker Lambda bundle at 10 to 1,000 campaigns (5 ad
 * sets each) against local emulators and loopback fakes. It records wall time, peak memory,
 * requests to every service, Claude prompt size and email size. History is seeded before each
 * timed run.
 *
 *   npx tsx bench/pipeline-scale.ts [--quick] [--campaigns N,…] [--keep] [--out FILE]
 *
 * `--quick` runs each case once up to 100 campaigns; `--campaigns` keeps only the cases with
 * those campaign counts; `--keep` leaves the work folder (child logs, sent emails as .eml). Prints progress to stderr and writes the results as JSON to FILE
 * (stdout when absent). `npm run bench` runs this and folds the results into docs/bench/README.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.ts';
import { logger } from '../src/shared/logger.ts';
import type { Week } from '../src/shared/types.ts';
import { lastCompleteWeek } from '../src/shared/week.ts';
import { BENCH_REPORT, buildBenchConfig, GRAPH_PAGE_SIZE } from './lib/bench-config.ts';
import { type BenchWorld, startBenchWorld } from './lib/bench-world.ts';
import { type HandlerTarget, prepareHandler, type WorkerBundle } from './lib/bundle-worker.ts';
import { measureRun, type RunMeasurement } from './lib/measure-run.ts';
import { type PreparedDataset, prepareDataset } from './lib/prepare-dataset.ts';
import {
  type CaseResult,
  findScaleFindings,
  type ScaleCase,
  type ScaleFindings,
  summariseCase,
} from './lib/summarise-scale.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PROPERTIES = 5;
const ADSETS_PER_CAMPAIGN = 5;
const SEED = 20261207;
const CHILD_TIMEOUT_MS = 180_000;

/** The measured cases; the run counts keep `npm run bench` near 10 minutes on 2 cores. */
export const CASES: ScaleCase[] = [
  scaleCase(10, 5, 'scale'),
  scaleCase(10, 3, 'reads against history length', { historyWeeks: 104 }),
  scaleCase(10, 3, 'memory without source maps', { sourceMaps: false }),
  scaleCase(50, 3, 'prompt size'),
  scaleCase(100, 5, 'scale'),
  scaleCase(1000, 3, 'scale'),
  scaleCase(1000, 1, 'memory without source maps', { sourceMaps: false }),
  scaleCase(1000, 1, 'baseline: Graph default page size', { pageSize: 25 }),
];

function scaleCase(
  campaigns: number,
  runs: number,
  purpose: string,
  options: Partial<Pick<ScaleCase, 'historyWeeks' | 'pageSize' | 'sourceMaps'>> = {},
): ScaleCase {
  return {
    campaigns,
    runs,
    purpose,
    historyWeeks: options.historyWeeks ?? 12,
    pageSize: options.pageSize ?? GRAPH_PAGE_SIZE,
    sourceMaps: options.sourceMaps ?? true,
  };
}

export interface PipelineScaleResults {
  mode: HandlerTarget['mode'];
  modeReason: string | null;
  bundle: Omit<WorkerBundle, 'dir' | 'entry'> | null;
  reportWeek: Week;
  shape: { properties: number; adsetsPerCampaign: number; seed: number; fetchWeeks: number };
  cases: CaseResult[];
  findings: ScaleFindings;
  durationMs: number;
}

interface ScaleContext {
  world: BenchWorld;
  workDir: string;
  configs: Map<number, string>;
  target: HandlerTarget;
  reportWeek: Week;
  log: (line: string) => void;
}

/** Runs the cases (all of `CASES` by default) and returns the results. */
export async function measurePipelineScale(
  options: { cases?: ScaleCase[]; log?: (line: string) => void; keepWorkDir?: boolean } = {},
): Promise<PipelineScaleResults> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startedAt = performance.now();
  const cases = options.cases ?? CASES;
  const workDir = await mkdtemp(join(tmpdir(), 'adreport-bench-'));
  const world = await startBenchWorld();
  try {
    const configs = await writeConfigs(world, workDir, cases);
    const target = await prepareHandler({
      rootDir: ROOT,
      configPath: configs.get(GRAPH_PAGE_SIZE) as string,
      outDir: join(workDir, 'cdk.out'),
    });
    log(target.reason ? `Measuring the TypeScript handler: ${target.reason}` : 'Built the bundle');
    const reportWeek = lastCompleteWeek(new Date(), BENCH_REPORT.timeZone);
    const context: ScaleContext = { world, workDir, configs, target, reportWeek, log };
    const results: CaseResult[] = [];
    for (const group of groupByDataset(cases))
      results.push(...(await measureGroup(context, group)));

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
      shape: {
        properties: PROPERTIES,
        adsetsPerCampaign: ADSETS_PER_CAMPAIGN,
        seed: SEED,
        fetchWeeks: (await loadConfig(configs.get(GRAPH_PAGE_SIZE) as string)).meta
          .restatementWeeks,
      },
      cases: results,
      findings: findScaleFindings(results),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    await world.close();
    if (options.keepWorkDir) log(`Kept the work folder ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** Seeds the dataset the cases of `group` share, then measures each case on it. */
async function measureGroup(context: ScaleContext, group: ScaleCase[]): Promise<CaseResult[]> {
  const first = group[0] as ScaleCase;
  const dataset = await prepareDataset({
    world: context.world,
    workDir: context.workDir,
    config: await loadConfig(context.configs.get(GRAPH_PAGE_SIZE) as string),
    shape: {
      campaigns: first.campaigns,
      adsetsPerCampaign: ADSETS_PER_CAMPAIGN,
      properties: PROPERTIES,
      seed: SEED,
    },
    historyWeeks: first.historyWeeks,
    reportWeek: context.reportWeek,
  });
  const { seed } = dataset.facts;
  context.log(
    `Seeded ${first.historyWeeks} weeks of ${first.campaigns} campaigns in ${seconds(seed.durationMs)} (${seed.runs} backfill runs)`,
  );
  const results: CaseResult[] = [];
  for (const scaleCase of group) {
    const runs: RunMeasurement[] = [];
    for (let run = 1; run <= scaleCase.runs; run++) {
      runs.push(await measureCaseRun(context, dataset, scaleCase, run));
    }
    results.push(summariseCase(scaleCase, dataset.facts, runs));
  }

  return results;
}

async function measureCaseRun(
  context: ScaleContext,
  dataset: PreparedDataset,
  scaleCase: ScaleCase,
  run: number,
): Promise<RunMeasurement> {
  const { target } = context;
  const maps = scaleCase.sourceMaps ? '' : '-nomaps';
  const label = `${scaleCase.campaigns}c-${scaleCase.historyWeeks}w-p${scaleCase.pageSize}${maps}-run${run}`;
  // Like Lambda, the bundle reads the config copied into it; other page sizes need their own file.
  const configPath =
    target.bundle && scaleCase.pageSize === GRAPH_PAGE_SIZE
      ? join(target.bundle.dir, 'adreport.config.json')
      : (context.configs.get(scaleCase.pageSize) as string);
  const measured = await measureRun({
    world: context.world,
    seedDir: dataset.dir,
    workDir: context.workDir,
    label,
    handlerModule: target.handlerModule,
    configPath,
    reportWeek: context.reportWeek,
    sourceMaps: scaleCase.sourceMaps,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  const result = measured.error ?? JSON.stringify(measured.output);
  context.log(
    `  ${label}: ${seconds(measured.handlerMs)}, ${Math.round(measured.maxRssMb)} MB, ${result}`,
  );

  return measured;
}

/** Selects cases: each once up to 100 campaigns when `quick`, and only `campaigns` when given. */
export function selectCases(options: { quick?: boolean; campaigns?: number[] }): ScaleCase[] {
  const counts = options.campaigns ?? [];
  const selected = CASES.filter(
    (c) =>
      (counts.length === 0 || counts.includes(c.campaigns)) &&
      (!options.quick || c.campaigns <= 100),
  );

  return options.quick ? selected.map((c) => ({ ...c, runs: 1 })) : selected;
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

/** Groups cases that share campaigns and history, so each dataset is seeded once. */
function groupByDataset(cases: ScaleCase[]): ScaleCase[][] {
  const groups = new Map<string, ScaleCase[]>();
  for (const scaleCase of cases) {
    const key = `${scaleCase.campaigns}/${scaleCase.historyWeeks}`;
    groups.set(key, [...(groups.get(key) ?? []), scaleCase]);
  }

  return [...groups.values()];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      campaigns: { type: 'string' },
      keep: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const campaigns = values.campaigns?.split(',').map((value) => Number(value.trim()));
  // The backfill runs in this process; their per-step info logs would bury the progress lines.
  logger.setLogLevel('WARN');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const results = await measurePipelineScale({
    cases: selectCases({ quick: values.quick, ...(campaigns ? { campaigns } : {}) }),
    keepWorkDir: values.keep,
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (values.out) await writeFile(values.out, json);
  else process.stdout.write(json);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
