/**
 * Runs the reliability suite and writes its figures to the docs: `docs/reliability-outcomes.json`
 * and the outcome table and summary in `docs/reliability.md` (between the `outcomes:start` and
 * `outcomes:end` markers). Every figure comes from this run.
 *
 *   npx tsx test/reliability/render-outcomes.ts           # run the suite, then render
 *   npx tsx test/reliability/render-outcomes.ts --no-run  # render the rows of the last run
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMachineInfo } from '../../bench/lib/machine-info.ts';
import { CALLS, FAULTS, notApplicable } from './fault-cases.ts';
import { OUTCOMES_DIR, type OutcomeRow } from './run-fault-case.ts';

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/reliability.md');
const JSON_OUT = join(ROOT, 'docs/reliability-outcomes.json');
const VITEST_JSON = join(OUTCOMES_DIR, 'vitest.json');
const START = '<!-- outcomes:start -->';
const END = '<!-- outcomes:end -->';

interface SuiteFile {
  suite: string;
  durationMs: number;
  rows: OutcomeRow[];
}

interface VitestSummary {
  files: number;
  tests: number;
  passed: number;
  failed: number;
}

async function main(): Promise<void> {
  const run = process.argv.includes('--no-run') ? null : runSuite();
  const suites = await readSuites();
  const rows = suites.flatMap((suite) => suite.rows);
  const vitest = await readVitestSummary();
  const machine = await readMachineInfo();
  const summary = {
    generatedAt: new Date().toISOString(),
    machine,
    suiteWallMs: run?.wallMs ?? null,
    vitest,
    faultCases: rows.length,
    byOutcome: countBy(rows, (row) => row.outcome),
    archiveComplete: rows.filter((row) => row.archiveComplete).length,
    suites,
  };
  await writeFile(JSON_OUT, `${JSON.stringify(summary, null, 2)}\n`);
  await writeDoc(renderSection(summary, rows));
  console.log(
    `Wrote ${rows.length} fault rows to docs/reliability-outcomes.json and docs/reliability.md`,
  );
  if (vitest && vitest.failed > 0) process.exitCode = 1;
}

/** Runs the whole suite once with the JSON reporter and returns its wall time. */
function runSuite(): { wallMs: number } {
  const started = performance.now();
  const result = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      'test/reliability',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_JSON}`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.error) throw result.error;

  return { wallMs: Math.round(performance.now() - started) };
}

async function readSuites(): Promise<SuiteFile[]> {
  const names = (await readdir(OUTCOMES_DIR)).filter((n) => n.startsWith('faults-')).sort();

  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(OUTCOMES_DIR, name), 'utf8'))),
  );
}

async function readVitestSummary(): Promise<VitestSummary | null> {
  try {
    const report = JSON.parse(await readFile(VITEST_JSON, 'utf8'));

    return {
      files: report.numTotalTestSuites ? report.testResults.length : 0,
      tests: report.numTotalTests,
      passed: report.numPassedTests,
      failed: report.numFailedTests,
    };
  } catch {
    return null;
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;

  return counts;
}

function renderSection(
  summary: {
    machine: { cpuModel: string; cpus: number; node: string; date: string };
    suiteWallMs: number | null;
    vitest: VitestSummary | null;
    byOutcome: Record<string, number>;
    archiveComplete: number;
    suites: SuiteFile[];
  },
  rows: OutcomeRow[],
): string {
  const { machine, vitest } = summary;
  const outcomes = Object.entries(summary.byOutcome)
    .map(([outcome, count]) => `${count} ${outcome}`)
    .join(', ');
  const lines = [
    `Last run: ${machine.date.slice(0, 10)} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}.`,
    '',
    vitest
      ? `- Whole suite: ${vitest.files} files, ${vitest.tests} tests, ${vitest.passed} passed, ${vitest.failed} failed` +
        (summary.suiteWallMs === null
          ? '.'
          : `, ${formatSeconds(summary.suiteWallMs)} wall time (\`npx vitest run test/reliability\`).`)
      : '- Whole suite: not run by this render.',
    `- Fault table: ${rows.length} cases (${outcomes}); archive as expected in ${summary.archiveComplete} of ${rows.length}.`,
    ...summary.suites.map(
      (suite) =>
        `- \`${suite.suite}\`: ${suite.rows.length} cases in ${formatSeconds(suite.durationMs)}.`,
    ),
    '',
    '| call | fault | once | persistent | archive after the persistent fault |',
    '| --- | --- | --- | --- | --- |',
    ...tableRows(rows),
    '',
    `Not applicable: ${
      notApplicable()
        .map((c) => `${c.call} × ${c.fault}`)
        .join(', ') || 'none'
    }.`,
  ];

  return lines.join('\n');
}

function tableRows(rows: OutcomeRow[]): string[] {
  return CALLS.flatMap((call) =>
    FAULTS.flatMap((fault) => {
      const persistent = rows.find(
        (r) => r.call === call && r.fault === fault && r.persistence === 'persistent',
      );
      if (!persistent) return [];
      const once = rows.find(
        (r) => r.call === call && r.fault === fault && r.persistence === 'once',
      );
      const onceCell = once ? describeRow(once) : 'not retried: as persistent';
      const archive = `${persistent.archive}${persistent.archiveComplete ? '' : ' (MISMATCH)'}`;

      return [`| ${call} | ${fault} | ${onceCell} | ${describeRow(persistent)} | ${archive} |`];
    }),
  );
}

/** e.g. `degraded: email sent, Slack failed, 1 ops message, 2 requests`. */
function describeRow(row: OutcomeRow): string {
  const ops = row.opsMessages === 1 ? '1 ops message' : `${row.opsMessages} ops messages`;
  const requests = row.attempts === 1 ? '1 request' : `${row.attempts} requests`;
  const duplicates =
    (row.email !== 'sent' && row.reportEmails > 0) ||
    (row.slack !== 'posted' && row.reportPosts > 0)
      ? ', delivered although reported failed'
      : '';

  return `${row.outcome}: email ${row.email}, Slack ${row.slack}, ${ops}, ${requests}${duplicates}`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function writeDoc(section: string): Promise<void> {
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${START} … ${END} markers`);
  await writeFile(DOC, `${doc.slice(0, start + START.length)}\n${section}\n${doc.slice(end)}`);
}

await main();
