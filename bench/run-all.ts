/**
 * `npm run bench`: measures the weekly run at 10 to 1,000 campaigns (bench/pipeline-scale.ts),
 * then runs the signal, email and Slack bot benchmarks as child processes, and writes every
 * figure to docs/bench/results.json and the page docs/bench/README.md. A benchmark that fails
 * is named on the page with its error; the others still run.
 *
 *   npm run bench [-- --quick | --render-only]
 *
 * `--quick` runs each weekly-run case once up to 100 campaigns, to check the harness; its page
 * is not a benchmark record. `--render-only` measures nothing and renders the page again from
 * docs/bench/results.json, after a change to the page's wording.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { logger } from '../src/shared/logger.ts';
import { readMachineInfo } from './lib/machine-info.ts';
import { type BenchResults, renderBenchPage } from './lib/render-bench-page.ts';
import { runSiblingBench, SIBLING_BENCHES, type SiblingResult } from './lib/run-sibling-bench.ts';
import { measurePipelineScale, type PipelineScaleResults, selectCases } from './pipeline-scale.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS_PATH = join(ROOT, 'docs/bench/results.json');
const PAGE_PATH = join(ROOT, 'docs/bench/README.md');
/** Maximum run time of a sibling benchmark; after it the script is stopped and reported as failed. */
const SIBLING_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'render-only': { type: 'boolean', default: false },
    },
  });
  if (values['render-only']) {
    const stored = JSON.parse(await readFile(RESULTS_PATH, 'utf8')) as BenchResults;
    await writeFile(PAGE_PATH, renderBenchPage(stored));
    process.stderr.write('Rendered docs/bench/README.md from docs/bench/results.json\n');
    return;
  }
  const startedAt = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // The backfill runs in this process; their per-step info logs would bury the progress lines.
  logger.setLogLevel('WARN');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const machine = await readMachineInfo();

  log('Weekly run at 10 to 1,000 campaigns (bench/pipeline-scale.ts)');
  let pipeline: PipelineScaleResults | null = null;
  let pipelineError: string | null = null;
  try {
    pipeline = await measurePipelineScale({ cases: selectCases({ quick: values.quick }), log });
  } catch (error) {
    pipelineError = (error as Error).message;
    log(`The weekly-run measurement failed: ${pipelineError}`);
  }

  const siblings = await runSiblings(log);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt,
    machine,
    pipeline,
    pipelineError,
    siblings,
  };
  await writeFile(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(PAGE_PATH, renderBenchPage(results));
  log(
    `Wrote docs/bench/README.md and docs/bench/results.json in ${Math.round(results.durationMs / 1000)} s`,
  );
  if (pipelineError || siblings.some((sibling) => sibling.status !== 'ok')) process.exitCode = 1;
}

async function runSiblings(log: (line: string) => void): Promise<SiblingResult[]> {
  const logDir = await mkdtemp(join(tmpdir(), 'adreport-bench-logs-'));
  const results: SiblingResult[] = [];
  try {
    for (const bench of SIBLING_BENCHES) {
      log(`npm run ${bench.script}`);
      const result = await runSiblingBench(bench, {
        rootDir: ROOT,
        logDir,
        timeoutMs: SIBLING_TIMEOUT_MS,
      });
      log(
        `  ${result.status} in ${Math.round(result.durationMs / 1000)} s${result.detail ? `: ${result.detail}` : ''}`,
      );
      results.push(result);
    }
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }

  return results;
}

await main();
