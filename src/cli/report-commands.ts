import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { runReport } from '../pipeline/run-report.ts';
import type { RunRequest, RunResult } from '../pipeline/types.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { parseIsoDate, shiftWeek, weekContaining } from '../shared/week.ts';
import { type LocalSession, openLocal, SAMPLE_DIR } from './context.ts';
import { formatRunSummary } from './summary.ts';

interface CommonOptions {
  config?: string;
  report?: string;
  out: string;
  data: string;
  sample?: boolean;
}

/** Registers demo, run, replay and backfill. */
export function registerReportCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the pipeline on the bundled sample data with in-memory emulators: backfill its weeks, ' +
        'then report the latest complete week',
    )
    .option(
      '--out <dir>',
      'folder for the email (.html, .eml) and Slack (.json) output',
      'out/demo',
    )
    .action((options: { out: string }) => demo(options.out));

  withCommonOptions(program.command('run'))
    .description('Fetch, store, analyse and deliver the weekly report')
    .addOption(weekOption('report week: any date inside it (default: the last complete week)'))
    .option('--force', 'deliver again even if this week was already emailed and posted')
    .action((options: CommonOptions & { week?: string; force?: boolean }) =>
      withSession(options, (session) =>
        runEach(session, options, {
          trigger: 'cli',
          ...(options.week ? { week: weekContaining(options.week) } : {}),
          forceDelivery: options.force === true,
        }),
      ),
    );

  withCommonOptions(program.command('replay'))
    .description(
      "Rebuild a week's metrics and report from the raw archive, without calling Meta or HubSpot",
    )
    .addOption(weekOption('report week to rebuild: any date inside it').makeOptionMandatory())
    .option('--send', 'deliver the rebuilt report where it has not gone out yet')
    .action((options: CommonOptions & { week: string; send?: boolean }) =>
      withSession(options, (session) =>
        runEach(session, options, {
          trigger: 'replay',
          replay: true,
          week: weekContaining(options.week),
          deliver: { email: options.send === true, slack: options.send === true },
        }),
      ),
    );

  withCommonOptions(program.command('backfill'))
    .description('Fetch and store past weeks (no analysis or delivery), oldest first')
    .addOption(weekOption('first week: any date inside it', '--from <date>').makeOptionMandatory())
    .addOption(weekOption('last week: any date inside it', '--to <date>').makeOptionMandatory())
    .action((options: CommonOptions & { from: string; to: string }) =>
      withSession(options, async (session) => {
        for (const week of weeksBetween(options.from, options.to)) {
          await runEach(session, options, { trigger: 'cli', week, storeOnly: true });
        }
      }),
    );
}

function withCommonOptions(command: Command): Command {
  return command
    .option(
      '--config <file>',
      'config file (default: adreport.config.json, or the sample config with --sample)',
    )
    .option('--report <id>', 'report id from the config (default: every report)')
    .option('--out <dir>', 'folder for the email and Slack output files', 'out')
    .option(
      '--data <dir>',
      'folder where the local emulators keep their data between runs',
      '.adreport/data',
    )
    .option('--sample', 'read the bundled sample payloads instead of calling Meta and HubSpot');
}

function weekOption(description: string, flags = '--week <date>'): Option {
  return new Option(flags, `${description} (YYYY-MM-DD)`).argParser((value) => {
    try {
      return parseIsoDate(value).toISODate() as string;
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  });
}

async function withSession(
  options: CommonOptions,
  work: (session: LocalSession) => Promise<void>,
): Promise<void> {
  const session = await openLocal({
    ...(options.config ? { config: options.config } : {}),
    dataDir: options.data,
    outDir: options.out,
    sample: options.sample === true,
  });
  try {
    await work(session);
  } finally {
    await session.close();
  }
}

async function runEach(
  session: LocalSession,
  options: CommonOptions,
  request: Omit<RunRequest, 'reportId'>,
): Promise<void> {
  const reports = session.deps.config.reports.filter(
    (r) => options.report === undefined || r.id === options.report,
  );
  if (reports.length === 0) {
    const known = session.deps.config.reports.map((r) => r.id).join(', ');
    throw new InputError('report_not_found', `Unknown report "${options.report}"`, {
      fix: `use one of: ${known}`,
    });
  }
  for (const report of reports) {
    const result = await runReport(session.deps, { ...request, reportId: report.id });
    printResult(result);
  }
}

function printResult(result: RunResult): void {
  process.stdout.write(`${formatRunSummary(result)}\n\n`);
  if (result.outcome === 'failed') process.exitCode = 1;
}

function weeksBetween(from: string, to: string): Week[] {
  const first = weekContaining(from);
  const last = weekContaining(to);
  if (first.start > last.start) {
    throw new InputError('invalid_range', `--from ${from} is after --to ${to}`, {
      fix: 'give the earlier date to --from',
    });
  }
  const weeks: Week[] = [];
  for (let week = first; week.start <= last.start; week = shiftWeek(week, 1)) weeks.push(week);

  return weeks;
}

/** Backfills every sample week in memory, then reports the latest one with local delivery. */
async function demo(outDir: string): Promise<void> {
  const started = performance.now();
  const weeks = await sampleWeeks();
  const session = await openLocal({ sample: true, dataDir: null, outDir });
  try {
    const reportId = session.deps.config.reports[0]?.id as string;
    for (const week of weeks.slice(0, -1)) {
      await runReport(session.deps, { reportId, week, trigger: 'demo', storeOnly: true });
    }
    const latest = weeks.at(-1) as Week;
    const result = await runReport(session.deps, { reportId, week: latest, trigger: 'demo' });
    printResult(result);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Backfilled ${weeks.length - 1} sample weeks and reported the week of ${latest.start} in ${seconds} s.\n` +
        `Open ${join(outDir, `${reportId}-${latest.start}.html`)} in a browser to read the report.\n`,
    );
  } finally {
    await session.close();
  }
}

async function sampleWeeks(): Promise<Week[]> {
  const accounts = await readdir(join(SAMPLE_DIR, 'raw', 'meta')).catch(() => []);
  const first = accounts[0];
  if (!first) {
    throw new InputError('sample_missing', `No sample data under ${SAMPLE_DIR}`, {
      fix: 'restore sample-data/ from git, or run npm run sample-data',
    });
  }
  const starts = (await readdir(join(SAMPLE_DIR, 'raw', 'meta', first))).sort();

  return starts.map((start) => weekContaining(start));
}
