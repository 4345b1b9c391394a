import { type Command, InvalidArgumentError, Option } from 'commander';
import type { AdreportConfig, ReportConfig } from '../config/schema.ts';
import { runReport } from '../pipeline/run-report.ts';
import type { RunRequest, RunResult } from '../pipeline/types.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { Week } from '../shared/types.ts';
import { parseIsoDate, weekContaining, weeksFromTo } from '../shared/week.ts';
import { BACKFILL_HELP, backfillWeeks, checkBackfillRange } from './backfill-weeks.ts';
import { type CommandIo, processIo } from './command-io.ts';
import {
  type LocalOptions,
  type LocalSession,
  loadLocalConfig,
  openLocal,
  SAMPLE_DIR,
} from './context.ts';
import { registerDemoCommand } from './demo-command.ts';
import { exitOnInterrupt, type InterruptProgress, RERUN_NOTES } from './exit-on-interrupt.ts';
import { prepareFolder } from './prepare-folder.ts';
import { rejectExpiredWeek } from './reject-expired-week.ts';
import { rejectUnfinishedWeek } from './reject-unfinished-week.ts';
import { chooseSampleReportWeek, rejectWeeksOutsideSample } from './reject-week-outside-sample.ts';
import { buildResendCommand, readClaimExpiry, readPriorDelivery } from './replay-hints.ts';
import { formatRunSummary, type SummaryHints } from './summary.ts';

interface CommonOptions {
  config?: string;
  report?: string;
  /** Absent for backfill, which writes no output files. */
  out?: string;
  data: string;
  sample?: boolean;
}

/** A week given on the command line, with the flag and value that chose it for messages. */
interface ChosenWeek {
  week: Week;
  option: string;
}

/** The body of a command, run once its options are checked and the emulators are up. */
type Work = (
  session: LocalSession,
  reports: ReportConfig[],
  progress: InterruptProgress,
) => Promise<void>;

/** Registers demo, run, replay and backfill. */
export function registerReportCommands(program: Command, io: CommandIo = processIo): void {
  registerDemoCommand(program, io);

  withCommonOptions(program.command('run'))
    .description('Fetch, store, analyse and deliver the weekly report')
    .addOption(
      weekOption(
        'report week: any date inside it (default: the last complete week, and with --sample ' +
          "no later than the sample's last week)",
      ),
    )
    .option('--force', 'deliver again even if this week was already emailed and posted')
    .action((options: CommonOptions & { week?: string; force?: boolean }) => {
      const chosen = options.week ? [chooseWeek('--week', options.week)] : [];
      const rerun = options.force ? RERUN_NOTES.force : RERUN_NOTES.deliverOnce;

      return withSession(
        { command: 'run', rerun, oldest: chosen[0] },
        options,
        chosen,
        io,
        async (session, reports, progress) => {
          const week =
            chosen[0]?.week ??
            (options.sample
              ? await chooseSampleReportWeek(reports, io.now(), SAMPLE_DIR)
              : undefined);

          return runEach(
            { session, reports, io, progress },
            { resend: '--force' },
            { trigger: 'cli', ...(week ? { week } : {}), forceDelivery: options.force === true },
          );
        },
      );
    });

  withCommonOptions(program.command('replay'), { out: true, sampleHelp: REPLAY_SAMPLE_HELP })
    .description(
      "Rebuild a week's metrics and report from the raw archive, without calling Meta or HubSpot",
    )
    .addOption(weekOption('report week to rebuild: any date inside it').makeOptionMandatory())
    .option('--send', 'deliver the rebuilt report where it has not gone out yet')
    .option(
      '--force',
      'with --send: deliver again even if this week was already emailed and posted',
    )
    .action((options: ReplayOptions, command: Command) => {
      const chosen = chooseWeek('--week', options.week);
      const send = options.send === true;
      const force = rejectForceWithoutSend(options);
      const hints = { send: '--send', resend: buildResendCommand(command, chosen.week) };
      const rerun = replayRerunNote(send, force);

      return withSession(
        { command: 'replay', rerun },
        options,
        [chosen],
        io,
        (session, reports, progress) => {
          progress.delivers = send;

          return runEach(
            { session, reports, io, progress },
            // Without --send the pipeline skips delivery before it reads the state table, so
            // the summary reads it to tell an already delivered week from a new one.
            send
              ? hints
              : async (result) => ({ ...hints, ...(await priorDelivery(session, result)) }),
            {
              trigger: 'replay',
              replay: true,
              week: chosen.week,
              deliver: { email: send, slack: send },
              forceDelivery: force,
            },
          );
        },
      );
    });

  withCommonOptions(program.command('backfill'), { out: false })
    .description('Fetch and store past weeks (no analysis or delivery), oldest first')
    .addOption(weekOption('first week: any date inside it', '--from <date>').makeOptionMandatory())
    .addOption(weekOption('last week: any date inside it', '--to <date>').makeOptionMandatory())
    .addHelpText('after', BACKFILL_HELP)
    .action((options: CommonOptions & { from: string; to: string }) => {
      const weeks = weeksBetween(options.from, options.to);
      checkBackfillRange(weeks, options.from, options.to);

      return withSession(
        {
          command: 'backfill',
          rerun: RERUN_NOTES.storeOnly,
          oldest: chooseWeek('--from', options.from),
        },
        options,
        [chooseWeek('--to', options.to)],
        io,
        (session, reports, progress) => backfillWeeks({ session, reports, io, progress }, weeks),
      );
    });
}

/** Options of `replay`. */
type ReplayOptions = CommonOptions & { week: string; send?: boolean; force?: boolean };

/** Returns whether `--force` is set. It is rejected without `--send`, since then nothing is delivered. */
function rejectForceWithoutSend(options: ReplayOptions): boolean {
  if (options.force !== true) return false;
  if (options.send === true) return true;
  throw new InputError('force_without_send', 'replay --force is invalid without --send', {
    fix: 'add --send to deliver the rebuilt week again, or leave out --force to only rebuild it',
  });
}

/** Returns the re-run sentence of the Ctrl-C line for a replay. */
function replayRerunNote(send: boolean, force: boolean): string {
  if (force) return RERUN_NOTES.force;

  return send ? RERUN_NOTES.deliverOnce : RERUN_NOTES.storeOnly;
}

/** `--sample` help for replay, which reads the archive and never the sample payloads. */
const REPLAY_SAMPLE_HELP =
  'use the bundled sample config (replay reads only the raw archive, never the sample payloads)';

function withCommonOptions(
  command: Command,
  include: { out: boolean; sampleHelp?: string } = { out: true },
): Command {
  command
    .option(
      '--config <file>',
      'config file (default: adreport.config.json, or the sample config with --sample)',
    )
    .option('--report <id>', 'report id from the config (default: every report)');
  if (include.out)
    command.option('--out <dir>', 'folder for the email and Slack output files', 'out');

  return command
    .option(
      '--data <dir>',
      'folder where the local emulators keep their data between runs',
      '.adreport/data',
    )
    .option(
      '--sample',
      include.sampleHelp ?? 'read the bundled sample payloads instead of calling Meta and HubSpot',
    );
}

async function priorDelivery(session: LocalSession, result: RunResult): Promise<SummaryHints> {
  return { deliveredBefore: await readPriorDelivery(session.deps, result) };
}

function weekOption(description: string, flags = '--week <date>'): Option {
  return new Option(flags, `${description} (YYYY-MM-DD)`).argParser((value) => {
    try {
      return parseIsoDate(value).toISODate() as string;
    } catch {
      // Commander's message already names the option and the value, so this adds only the form.
      throw new InvalidArgumentError(
        'Expected a valid calendar date in the form YYYY-MM-DD, for example 2026-11-23',
      );
    }
  });
}

function chooseWeek(flag: string, date: string): ChosenWeek {
  return { week: weekContaining(date), option: `${flag} ${date}` };
}

/**
 * Checks the options against the config and the file system, then starts the emulators and runs
 * `work`. Every check comes first, so a bad option fails before anything is fetched or stored.
 * `weeks` must have ended, and `oldest`, the first week fetched from Meta, must be one Meta keeps.
 */
async function withSession(
  { command, rerun, oldest }: { command: string; rerun: string; oldest?: ChosenWeek | undefined },
  options: CommonOptions,
  weeks: ChosenWeek[],
  io: CommandIo,
  work: Work,
): Promise<void> {
  const progress: InterruptProgress = {
    started: false,
    working: false,
    delivers: command !== 'backfill',
    finished: [],
  };
  const stopExitOnInterrupt = exitOnInterrupt(command, io, progress, rerun);
  try {
    const local = localOptions(options);
    const config = await loadLocalConfig(local);
    const reports = selectReports(config, options.report);
    for (const chosen of weeks) rejectUnfinishedWeek(chosen.week, chosen.option, reports, io.now());
    // The sample data needs no Meta API, so its weeks stay usable after Meta drops them.
    if (oldest && !options.sample) rejectExpiredWeek(oldest.week, oldest.option, reports, io.now());
    // replay reads the raw archive, not the sample payloads, so its week may lie outside the sample.
    if (options.sample && command !== 'replay') {
      await rejectWeeksOutsideSample(oldest ? [oldest, ...weeks] : weeks, SAMPLE_DIR);
    }
    if (options.out !== undefined) await prepareFolder(options.out, '--out');
    await prepareFolder(options.data, '--data');
    const session = await openLocal(local, config);
    try {
      progress.started = true;
      await work(session, reports, progress);
    } finally {
      await session.close();
    }
  } finally {
    stopExitOnInterrupt();
  }
}

function localOptions(options: CommonOptions): LocalOptions {
  return {
    ...(options.config ? { config: options.config } : {}),
    dataDir: options.data,
    ...(options.out !== undefined ? { outDir: options.out } : {}),
    sample: options.sample === true,
  };
}

/** Returns the report `reportId` names, or every report when it is undefined. */
function selectReports(config: AdreportConfig, reportId: string | undefined): ReportConfig[] {
  const reports = config.reports.filter((r) => reportId === undefined || r.id === reportId);
  if (reports.length === 0) {
    const known = config.reports.map((r) => r.id).join(', ');
    throw new InputError('report_not_found', `Unknown report "${reportId}"`, {
      fix: `use one of: ${known}`,
    });
  }

  return reports;
}

/** The running command: its emulators, reports, output and progress for the Ctrl-C line. */
interface Running {
  session: LocalSession;
  reports: ReportConfig[];
  io: CommandIo;
  progress: InterruptProgress;
}

async function runEach(
  { session, reports, io, progress }: Running,
  hints: SummaryHints | ((result: RunResult) => Promise<SummaryHints>),
  request: Omit<RunRequest, 'reportId'>,
): Promise<void> {
  for (const report of reports) {
    progress.working = true;
    const result = await runReport(session.deps, { ...request, reportId: report.id });
    progress.working = false;
    const base = typeof hints === 'function' ? await hints(result) : hints;
    const claimExpiry = await readClaimExpiry(session.deps, result);
    const summary = printResult(result, { ...base, claimExpiry }, io);
    progress.finished.push(summary.split('\n')[0] as string);
  }
}

/** Prints a run's summary and returns it. */
function printResult(result: RunResult, hints: SummaryHints, io: CommandIo): string {
  const logHidden = logger.getLevelName() === 'SILENT';
  const summary = formatRunSummary(result, { ...hints, logHidden });
  io.write(`${summary}\n\n`);
  const statuses = [result.email.status, result.slack.status];
  // A delivery left to a stopped run's claim was requested and not made, so the exit code shows it.
  if (result.outcome === 'failed' || statuses.includes('in_progress')) io.setExitCode(1);

  return summary;
}

function weeksBetween(from: string, to: string): Week[] {
  const first = weekContaining(from);
  const last = weekContaining(to);
  if (first.start > last.start) {
    throw new InputError('invalid_range', `--from ${from} is after --to ${to}`, {
      fix: 'give the earlier date to --from',
    });
  }

  return weeksFromTo(first, last);
}
