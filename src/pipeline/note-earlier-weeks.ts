import type { RunContext } from './start-run.ts';
import type { EarlierWeekNote } from './types.ts';

/**
 * Adds notes about earlier weeks to the run notes and records each with its weeks, so readers of
 * the run result tell them from notes about the run's own week without parsing the text.
 */
export function noteEarlierWeeks(
  run: Pick<RunContext, 'notes' | 'earlierWeekNotes'>,
  notes: EarlierWeekNote[],
): void {
  for (const entry of notes) {
    run.notes.push(entry.note);
    run.earlierWeekNotes.push(entry);
  }
}
