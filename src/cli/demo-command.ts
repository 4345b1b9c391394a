import { join } from 'node:path';
import type { Command } from 'commander';
import { runReport } from '../pipeline/run-report.ts';
import { logger } from '../shared/logger.ts';
import type { Week } from '../shared/types.ts';
import { weeksFromTo } from '../shared/week.ts';
import type { CommandIo } from './command-io.ts';
import { openLocal, SAMPLE_DIR } from './context.ts';
import { exitOnInterrupt, RERUN_NOTES } from './exit-on-interrupt.ts';
import { prepareFolder } from './prepare-folder.ts';
import { loadSampleRange } from './reject-week-outside-sample.ts';
import { formatRunSummary } from './summary.ts';

/** Registers `adreport demo`. */
export function registerDemoCommand(program: Command, io: CommandIo): void {
  program
    .command('demo')
    .description(
      'Run the pipeline on the bundled sample data with in-memory emulators: backfill its weeks, ' +
        "then report the sample's last week",
    )
    .option(
      '--out <dir>',
      'folder for the email (.html, .eml) and Slack (.json) output',
      'out/demo',
    )
    .action((options: { out: string }) => demo(options.out, io));
}

/** Backfills every sample week in memory, then reports the latest one with local delivery. */
async function demo(outDir: string, io: CommandIo): Promise<void> {
  const started = performance.now();
  const stopExitOnInterrupt = exitOnInterrupt('demo', io, undefined, RERUN_NOTES.demo);
  try {
    await demoWeeks(outDir, io, started);
  } finally {
    stopExitOnInterrupt();
  }
}

async function demoWeeks(outDir: string, io: CommandIo, started: number): Promise<void> {
  const weeks = await sampleWeeks();
  await prepareFolder(outDir, '--out');
  const session = await openLocal({ sample: true, dataDir: null, outDir });
  try {
    const reportId = session.deps.config.reports[0]?.id as string;
    for (const week of weeks.slice(0, -1)) {
      await runReport(session.deps, { reportId, week, trigger: 'demo', storeOnly: true });
    }
    const latest = weeks.at(-1) as Week;
    const result = await runReport(session.deps, { reportId, week: latest, trigger: 'demo' });
    io.write(`${formatRunSummary(result, { logHidden: logger.getLevelName() === 'SILENT' })}\n\n`);
    if (result.outcome === 'failed') {
      io.setExitCode(1);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.write(
      `Backfilled ${weeks.length - 1} sample weeks and reported the week of ${latest.start} in ${seconds} s.\n` +
        `Open ${join(outDir, `${reportId}-${latest.start}.html`)} in a browser to read the report.\n`,
    );
  } finally {
    await session.close();
  }
}

async function sampleWeeks(): Promise<Week[]> {
  const range = await loadSampleRange(SAMPLE_DIR);

  return weeksFromTo(range.first, range.last);
}
