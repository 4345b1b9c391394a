import type { ReportConfig } from '../config/schema.ts';
import { runReport } from '../pipeline/run-report.ts';
import type { RunResult } from '../pipeline/types.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { formatWeek, shiftWeek } from '../shared/week.ts';
import type { CommandIo } from './command-io.ts';
import type { LocalSession } from './context.ts';
import type { InterruptProgress } from './exit-on-interrupt.ts';

/**
 * Maximum weeks one backfill covers: two years, far more history than the status baselines read.
 * A wrong year in --from would otherwise fetch hundreds of weeks from Meta.
 */
export const MAX_BACKFILL_WEEKS = 104;

/**
 * Maximum characters of the reason on a per-week line. A failed week's reason names the week, the
 * property and the first cause, which together take about 200 characters.
 */
const MAX_REASON_LENGTH = 240;

/** Help text after the backfill options: what it prints and what its exit code means. */
export const BACKFILL_HELP = `
Prints one line per report and week, then a tally. Exit code: 0 when every week was stored
(some with data gaps), 1 when any week failed. Weeks stored before a failure are kept.
At most ${MAX_BACKFILL_WEEKS} weeks per backfill.`;

/**
 * Outcome counts of a backfill, for its final line. A stored week may count in both `withGaps`
 * and `earlierGaps`, and `both` is the number of such weeks.
 */
export interface BackfillTally {
  weeks: number;
  /** Weeks stored, with or without gaps. */
  stored: number;
  /** Stored weeks with gaps in their own figures. */
  withGaps: number;
  /** Stored weeks whose run could not re-read an earlier week it re-fetches. */
  earlierGaps: number;
  /** Stored weeks counted in both `withGaps` and `earlierGaps`. */
  both: number;
  failed: number;
}

/** Returns a tally with every count at zero. */
export function emptyBackfillTally(): BackfillTally {
  return { weeks: 0, stored: 0, withGaps: 0, earlierGaps: 0, both: 0, failed: 0 };
}

/** The running backfill: its emulators, reports, output and progress for the Ctrl-C line. */
export interface BackfillRun {
  session: LocalSession;
  reports: ReportConfig[];
  io: CommandIo;
  progress: InterruptProgress;
}

/**
 * Rejects a range of more than `MAX_BACKFILL_WEEKS` weeks, naming the range and the latest range
 * that fits, so a wrong year fails before anything is fetched. The suggestion ends at `--to`,
 * because the latest weeks are the ones Meta still keeps.
 */
export function checkBackfillRange(weeks: Week[], from: string, to: string): void {
  if (weeks.length <= MAX_BACKFILL_WEEKS) return;
  const last = weeks.at(-1) as Week;
  const firstAllowed = shiftWeek(last, -(MAX_BACKFILL_WEEKS - 1));
  throw new InputError(
    'range_too_long',
    `--from ${from} --to ${to} covers ${weeks.length} weeks, more than the ${MAX_BACKFILL_WEEKS} one backfill takes`,
    {
      fix: `check the years, or split the range, e.g. --from ${firstAllowed.start} --to ${last.start} for the latest ${MAX_BACKFILL_WEEKS} weeks`,
    },
  );
}

/** Stores each week oldest first, printing one line per week and a tally at the end. */
export async function backfillWeeks(
  { session, reports, io, progress }: BackfillRun,
  weeks: Week[],
): Promise<void> {
  const tally = emptyBackfillTally();
  let current = '';
  progress.describeFinished = () =>
    formatBackfillProgress(tally, progress.working ? current : undefined);
  for (const week of weeks) {
    for (const report of reports) {
      current = `${report.id}, ${formatWeek(week)}`;
      const request = { trigger: 'cli', week, storeOnly: true, reportId: report.id } as const;
      progress.working = true;
      const result = await runReport(session.deps, request);
      progress.working = false;
      countBackfillResult(tally, result);
      const line = formatBackfillLine(result);
      io.write(`${line}\n`);
      progress.finished.push(line);
    }
  }
  io.write(`${formatBackfillTally(tally)}\n`);
  if (tally.failed > 0) io.setExitCode(1);
}

/** Returns the phrase for the earlier weeks that the run could not re-read, with their count. */
function earlierGapPhrase(result: RunResult): string {
  const count = earlierGapWeeks(result).size;

  return count === 1
    ? 'an earlier week could not be re-read'
    : `${count} earlier weeks could not be re-read`;
}

/** Returns the start dates of the earlier weeks that the result's notes name as not re-read. */
function earlierGapWeeks(result: RunResult): Set<string> {
  const notes = new Set(result.notes);
  const entries = (result.earlierWeekNotes ?? []).filter((entry) => notes.has(entry.note));

  return new Set(entries.flatMap((entry) => entry.weekStarts));
}

/**
 * Formats one week of a backfill on one line, e.g. `acme-weekly, 6–12 Jan 2020: failed: …`. A
 * week whose only gaps concern earlier weeks it re-fetches reads `stored, but an earlier week
 * could not be re-read: …`, because its own figures are complete. A week with gaps of its own and
 * of an earlier week gives its own first reason and then `; an earlier week could not be re-read`.
 */
export function formatBackfillLine(result: RunResult): string {
  const where = `${result.reportId}, ${formatWeek(result.week)}`;
  if (result.outcome === 'stored') return `${where}: stored`;
  const own = ownNotes(result);
  if (result.outcome === 'failed') {
    return withReason(`${where}: failed`, own.length > 0 ? own : result.notes);
  }
  if (onlyEarlierGaps(result)) {
    return withReason(`${where}: stored, but ${earlierGapPhrase(result)}`, result.notes);
  }
  const line = withReason(`${where}: stored with data gaps`, own);
  const hasEarlierGap = own.length < result.notes.length;

  return hasEarlierGap ? `${line}; ${earlierGapPhrase(result)}` : line;
}

/** Appends the short reason picked from `notes` after a colon, or nothing when there is none. */
function withReason(label: string, notes: string[]): string {
  const reason = shortReason(notes);

  return reason ? `${label}: ${reason}` : label;
}

/** True when every note of the result concerns an earlier week, so its own figures are complete. */
function onlyEarlierGaps(result: RunResult): boolean {
  return result.notes.length > 0 && ownNotes(result).length === 0;
}

/** Returns the notes about the result's own week, which are all notes not in `earlierWeekNotes`. */
function ownNotes(result: RunResult): string[] {
  const earlier = new Set((result.earlierWeekNotes ?? []).map((entry) => entry.note));

  return result.notes.filter((note) => !earlier.has(note));
}

/** Adds one week's result to the tally. */
export function countBackfillResult(tally: BackfillTally, result: RunResult): void {
  tally.weeks += 1;
  if (result.outcome === 'failed') {
    tally.failed += 1;
    return;
  }
  tally.stored += 1;
  if (result.outcome === 'stored') return;
  const own = ownNotes(result).length;
  // A degraded week without notes still has a gap, and only its own week can hold it.
  const ownGap = own > 0 || result.notes.length === 0;
  const earlierGap = own < result.notes.length;
  if (ownGap) tally.withGaps += 1;
  if (earlierGap) tally.earlierGaps += 1;
  if (ownGap && earlierGap) tally.both += 1;
}

/** Formats the final line, e.g. `Backfill: 12 of 360 weeks stored, 348 failed.` */
export function formatBackfillTally(tally: BackfillTally): string {
  const noun = tally.weeks === 1 ? 'week' : 'weeks';

  return `Backfill: ${tally.stored} of ${tally.weeks} ${noun} stored${describeGaps(tally)}, ${tally.failed} failed.`;
}

/**
 * Returns the gap counts of the stored weeks in brackets after a space, or '' when there are none,
 * e.g. ` (4 with data gaps, 5 with an earlier week not re-read, 3 of them both)`.
 */
function describeGaps(tally: BackfillTally): string {
  const details = [
    ...(tally.withGaps > 0 ? [`${tally.withGaps} with data gaps`] : []),
    ...(tally.earlierGaps > 0 ? [`${tally.earlierGaps} with an earlier week not re-read`] : []),
    ...(tally.both > 0 ? [`${tally.both} of them both`] : []),
  ];

  return details.length > 0 ? ` (${details.join(', ')})` : '';
}

/**
 * Formats the weeks a backfill finished before Ctrl-C, e.g. `It stopped during acme-weekly,
 * 13–19 Jan 2020. Before it, 6 weeks were stored and 1 failed`. `current` is the week in progress,
 * if any. Without it the sentence reads `By then, …`.
 */
export function formatBackfillProgress(tally: BackfillTally, current?: string): string {
  const verb = tally.stored === 1 ? 'week was' : 'weeks were';
  const counts = `${tally.stored} ${verb} stored${describeGaps(tally)} and ${tally.failed} failed`;

  return current ? `It stopped during ${current}. Before it, ${counts}` : `By then, ${counts}`;
}

/**
 * Picks the reason a week failed or has gaps: the "Run failed" note when there is one, else the
 * first note, without its fix and cut to one short line.
 */
function shortReason(notes: string[]): string {
  const failure = notes.find((note) => note.startsWith('Run failed: '));
  const chosen = failure?.slice('Run failed: '.length) ?? notes[0];
  if (!chosen) return '';
  const withoutFix = chosen.split('. Fix: ')[0] as string;
  if (withoutFix.length <= MAX_REASON_LENGTH) return closeBrackets(withoutFix);

  return closeBrackets(`${withoutFix.slice(0, MAX_REASON_LENGTH - 1).trimEnd()}…`);
}

/** Appends a `)` for each `(` that a cut left open. */
function closeBrackets(text: string): string {
  let open = 0;
  for (const char of text) {
    if (char === '(') open += 1;
    else if (char === ')' && open > 0) open -= 1;
  }

  return text + ')'.repeat(open);
}
