import { describe, expect, it } from 'vitest';
import { noteEarlierWeeks } from '../../src/pipeline/note-earlier-weeks.ts';

describe('noteEarlierWeeks', () => {
  it('adds each note after the run notes', () => {
    const run = { notes: ['own gap'], earlierWeekNotes: [] };

    noteEarlierWeeks(run, [
      { weekStarts: ['2026-11-02'], note: 'first' },
      { weekStarts: ['2026-11-09', '2026-11-16'], note: 'second' },
    ]);

    expect(run.notes).toEqual(['own gap', 'first', 'second']);
  });

  it('records each note with its weeks', () => {
    const run = { notes: [], earlierWeekNotes: [] };
    const entries = [
      { weekStarts: ['2026-11-02'], note: 'first' },
      { weekStarts: ['2026-11-09', '2026-11-16'], note: 'second' },
    ];

    noteEarlierWeeks(run, entries);

    expect(run.earlierWeekNotes).toEqual(entries);
  });
});
