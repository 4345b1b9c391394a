import { logger } from '../shared/logger.ts';
import type { ReportData, RunOutcome } from '../shared/types.ts';
import { notifyOps } from './notify-ops.ts';
import type { RunContext } from './start-run.ts';
import type { RunResult } from './types.ts';

/** Runs one step, recording its duration and outcome in the run record. */
export async function step<T>(
  run: RunContext,
  name: string,
  work: () => Promise<T> | T,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    run.steps[name] = { status: 'ok', durationMs: Math.round(performance.now() - started) };

    return result;
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    run.steps[name] = { status: 'failed', durationMs, detail: (error as Error).message };
    throw error;
  }
}

/** Stores the run record, sends the ops message for a degraded run and returns the result. */
export async function finishRun(
  run: RunContext,
  data: ReportData | null,
  delivered: Pick<RunResult, 'email' | 'slack' | 'outputFiles'>,
  analysis?: Record<string, unknown>,
): Promise<RunResult> {
  const outcome = outcomeOf(data, delivered, run.notes);
  const result: RunResult = {
    runId: run.runId,
    reportId: run.report.id,
    week: run.week,
    outcome,
    report: data,
    notes: [...run.notes],
    earlierWeekNotes: [...run.earlierWeekNotes],
    ...delivered,
  };
  await saveRecord(run, result, analysis);
  if (run.request.notifyOps !== false) {
    const opsFile = await tellOps(run, result);
    if (opsFile) result.outputFiles = [...result.outputFiles, opsFile];
  }
  logger.info('Run finished', { outcome, email: result.email.status, slack: result.slack.status });

  return result;
}

/**
 * Names how a run ended. A failed delivery or any note degrades it. Otherwise the deliveries
 * decide: one made by this run is `delivered`, one another run claimed and has not finished is `in_progress`, and
 * a run that made none is `already_delivered` or `not_sent`.
 */
export function outcomeOf(
  data: ReportData | null,
  delivered: Pick<RunResult, 'email' | 'slack'>,
  notes: string[],
): RunOutcome {
  const statuses: string[] = [delivered.email.status, delivered.slack.status];
  if (data === null) return 'failed';
  if (statuses.includes('failed') || notes.length > 0) return 'degraded';
  if (statuses.includes('in_progress')) return 'in_progress';
  if (statuses.some((status) => ['sent', 'posted'].includes(status))) return 'delivered';
  // A summary written to the output folder reaches no one, so it does not make a run that
  // found the email already sent a new delivery.
  if (statuses.some((status) => status.startsWith('already_'))) return 'already_delivered';
  if (statuses.includes('written')) return 'delivered';

  return 'not_sent';
}

/** Records a backfill run, which stores the week's metrics and delivers nothing. */
export async function finishStoreOnly(run: RunContext): Promise<RunResult> {
  const result: RunResult = {
    runId: run.runId,
    reportId: run.report.id,
    week: run.week,
    outcome: run.notes.length > 0 ? 'degraded' : 'stored',
    report: null,
    notes: [...run.notes],
    earlierWeekNotes: [...run.earlierWeekNotes],
    email: { status: 'skipped' },
    slack: { status: 'skipped' },
    outputFiles: [],
  };
  await saveRecord(run, result);

  return result;
}

/** Records a run that stopped before it could deliver, and alerts ops. */
export async function failRun(run: RunContext, error: unknown): Promise<RunResult> {
  logger.error('Run failed', { error });
  run.notes.push(`Run failed: ${(error as Error).message}`);

  return finishRun(run, null, {
    email: { status: 'skipped' },
    slack: { status: 'skipped' },
    outputFiles: [],
  });
}

async function saveRecord(run: RunContext, result: RunResult, analysis?: Record<string, unknown>) {
  try {
    await run.state.putRun({
      runId: run.runId,
      reportId: run.report.id,
      weekStart: run.week.start,
      trigger: run.request.trigger,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.deps.now().toISOString(),
      outcome: result.outcome,
      notes: result.notes,
      steps: run.steps,
      ...(analysis ? { analysis } : {}),
    });
  } catch (error) {
    logger.error('Run record not stored', { error });
  }
}

/** Sends the ops message and returns the file it was written to, if any. */
async function tellOps(run: RunContext, result: RunResult): Promise<string | null> {
  try {
    const notice = await notifyOps({
      config: run.deps.config,
      result,
      slack: run.slack,
      ses: run.deps.ses,
      target: run.deps,
      outDir: run.deps.outDir,
    });
    if (notice.via !== 'none' || notice.file) {
      logger.info('Ops notified', { via: notice.via, file: notice.file });
    }

    return notice.file;
  } catch (error) {
    logger.error('Ops notification failed', { error });

    return null;
  }
}
