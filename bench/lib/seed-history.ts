/**
 * Backfills stored history before a timed run, through the pipeline itself: one `storeOnly`
 * run per fetch window (the report week and the restatement weeks before it), oldest first,
 * in this process and against the same fakes. Waits run on a virtual clock, so HubSpot's
 * request pacing costs no real time here.
 */
import type { AdreportConfig } from '../../src/config/schema.ts';
import type { Secrets } from '../../src/config/secrets.ts';
import type { LocalBackend } from '../../src/local/emulators.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { SourceError } from '../../src/shared/errors.ts';
import type { Week } from '../../src/shared/types.ts';
import { shiftWeek } from '../../src/shared/week.ts';

/** Creates a clock whose `sleep` moves time forward at once instead of waiting. */
export function virtualClock(): { now: () => Date; sleep: (ms: number) => Promise<void> } {
  let offsetMs = 0;

  return {
    now: () => new Date(Date.now() + offsetMs),
    sleep: async (ms) => {
      offsetMs += Math.max(0, ms);
    },
  };
}

/**
 * Returns the report weeks of the backfill runs that together store the `weeks` weeks before
 * `reportWeek`, oldest first, when each run stores `window` weeks ending with its report week.
 */
export function backfillWeeks(reportWeek: Week, weeks: number, window: number): Week[] {
  const runs = Math.ceil(weeks / window);

  return Array.from({ length: runs }, (_, index) =>
    shiftWeek(reportWeek, -1 - window * index),
  ).reverse();
}

/**
 * Stores `weeks` weeks of history before `reportWeek` through `storeOnly` runs of the pipeline.
 *
 * @throws SourceError when a backfill run does not end as `stored`.
 */
export async function seedHistory(input: {
  config: AdreportConfig;
  reportId: string;
  backend: LocalBackend;
  secrets: Secrets;
  reportWeek: Week;
  weeks: number;
}): Promise<{ runs: number; durationMs: number }> {
  const startedAt = performance.now();
  const clock = virtualClock();
  const deps: PipelineDeps = {
    config: input.config,
    secrets: { get: async () => input.secrets, refresh: async () => input.secrets },
    dynamo: input.backend.clients.dynamo,
    s3: input.backend.clients.s3,
    ses: input.backend.clients.ses,
    metricsTable: input.backend.metricsTable,
    stateTable: input.backend.stateTable,
    archiveBucket: input.backend.bucket,
    outDir: null,
    now: clock.now,
    sleep: clock.sleep,
  };
  const weeks = backfillWeeks(input.reportWeek, input.weeks, input.config.meta.restatementWeeks);
  for (const week of weeks) {
    const result = await runReport(deps, {
      reportId: input.reportId,
      week,
      trigger: 'cli',
      storeOnly: true,
    });
    if (result.outcome !== 'stored') {
      throw new SourceError(
        'bench_backfill_failed',
        `Backfill of week ${week.start} ended ${result.outcome}: ${result.notes.join('; ')}`,
        { fix: 'run the failing week with `adreport` against the same fakes and read its log' },
      );
    }
  }

  return { runs: weeks.length, durationMs: Math.round(performance.now() - startedAt) };
}
