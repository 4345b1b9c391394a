import { describe, expect, it } from 'vitest';
import {
  type BackfillTally,
  checkBackfillRange,
  countBackfillResult,
  emptyBackfillTally,
  formatBackfillLine,
  formatBackfillProgress,
  formatBackfillTally,
  MAX_BACKFILL_WEEKS,
} from '../../src/cli/backfill-weeks.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import type { Week } from '../../src/shared/types.ts';
import { shiftWeek } from '../../src/shared/week.ts';

const FIRST: Week = { start: '2026-01-05', end: '2026-01-11' };

function weeks(count: number): Week[] {
  return Array.from({ length: count }, (_, index) => shiftWeek(FIRST, index));
}

const EARLIER_WEEK: Week = { start: '2020-01-13', end: '2020-01-19' };
const LATER_WEEK: Week = { start: '2020-01-20', end: '2020-01-26' };
const EARLIER_HUBSPOT =
  'HubSpot contacts of the week of 6–12 Jan 2020 could not be read (The sample HubSpot ' +
  'contacts is not valid JSON. Fix: regenerate the sample data), so its HubSpot leads stay ' +
  'unknown; later runs search it again while it is within the last 8 weeks';

const OWN_GAP =
  'Meta data unavailable for Harbor View: Meta rejected the request. Fix: check the token';

function result(outcome: RunResult['outcome'], notes: string[] = []): RunResult {
  return {
    runId: 'run-1',
    reportId: 'acme-weekly',
    week: { start: '2020-01-06', end: '2020-01-12' },
    outcome,
    report: null,
    outputFiles: [],
    email: { status: 'skipped' },
    slack: { status: 'skipped' },
    notes,
  } as RunResult;
}

/**
 * Returns a result of `LATER_WEEK` whose run marked `earlier` as notes on the week of 6 January
 * and added them after its `own` notes.
 */
function resultWithEarlier(
  outcome: RunResult['outcome'],
  own: string[],
  earlier: string[],
): RunResult {
  return {
    ...result(outcome, [...own, ...earlier]),
    week: LATER_WEEK,
    earlierWeekNotes: earlier.map((note) => ({ weekStarts: ['2020-01-06'], note })),
  };
}

describe('checkBackfillRange', () => {
  it('accepts the maximum number of weeks', () => {
    expect(() => checkBackfillRange(weeks(MAX_BACKFILL_WEEKS), 'a', 'b')).not.toThrow();
  });

  it('rejects one week over the maximum', () => {
    const check = () =>
      checkBackfillRange(weeks(MAX_BACKFILL_WEEKS + 1), '2026-01-05', '2027-12-27');

    expect(check).toThrow(
      expect.objectContaining({
        code: 'range_too_long',
        message: expect.stringContaining(
          '--from 2026-01-05 --to 2027-12-27 covers 105 weeks, more than the 104',
        ),
        fix: 'check the years, or split the range, e.g. --from 2026-01-12 --to 2028-01-03 for the latest 104 weeks',
      }),
    );
  });
});

describe('formatBackfillLine', () => {
  it('shows a stored week alone', () => {
    const line = formatBackfillLine(result('stored'));

    expect(line).toBe('acme-weekly, 6–12 Jan 2020: stored');
  });

  it('gives the run failure as the reason', () => {
    const notes = [
      'Meta data unavailable for Harbor View: No sample data for the week of 2020-01-06 (/a/b.json). Fix: pick a week',
      'Run failed: Meta data is unavailable for every property, so there is nothing to report',
    ];

    const line = formatBackfillLine(result('failed', notes));

    expect(line).toBe(
      'acme-weekly, 6–12 Jan 2020: failed: Meta data is unavailable for every property, so there is nothing to report',
    );
  });

  it('cuts a long gap note without its fix', () => {
    const note = `Meta data unavailable for Sunset Lofts: ${'x'.repeat(400)}. Fix: restore it`;

    const line = formatBackfillLine(result('degraded', [note]));

    expect(line).toMatch(/: stored with data gaps: Meta data unavailable for Sunset Lofts: x+…$/);
    expect(line).not.toContain('Fix:');
    expect(line.length).toBeLessThan(300);
  });

  it('closes a bracket the fix cut', () => {
    const note = `${EARLIER_HUBSPOT.replace('6–12 Jan', '13–19 Jan')}`;

    const line = formatBackfillLine({ ...result('degraded', [note]), week: EARLIER_WEEK });

    expect(line).toBe(
      'acme-weekly, 13–19 Jan 2020: stored with data gaps: HubSpot contacts of the week of ' +
        '13–19 Jan 2020 could not be read (The sample HubSpot contacts is not valid JSON)',
    );
  });

  it('names a gap of an earlier week', () => {
    const line = formatBackfillLine(resultWithEarlier('degraded', [], [EARLIER_HUBSPOT]));

    expect(line).toBe(
      'acme-weekly, 20–26 Jan 2020: stored, but an earlier week could not be re-read: HubSpot ' +
        'contacts of the week of 6–12 Jan 2020 could not be read (The sample HubSpot contacts is ' +
        'not valid JSON)',
    );
  });

  it('names own and earlier gaps', () => {
    const line = formatBackfillLine(resultWithEarlier('degraded', [OWN_GAP], [EARLIER_HUBSPOT]));

    expect(line).toBe(
      'acme-weekly, 20–26 Jan 2020: stored with data gaps: Meta data unavailable for Harbor ' +
        'View: Meta rejected the request; an earlier week could not be re-read',
    );
  });

  it('gives own reason when listed later', () => {
    const own = [OWN_GAP];
    const notes = [EARLIER_HUBSPOT, ...own];
    const earlierWeekNotes = [{ weekStarts: ['2020-01-06'], note: EARLIER_HUBSPOT }];

    const line = formatBackfillLine({ ...result('degraded', notes), earlierWeekNotes });

    expect(line).toBe(
      'acme-weekly, 6–12 Jan 2020: stored with data gaps: Meta data unavailable for Harbor ' +
        'View: Meta rejected the request; an earlier week could not be re-read',
    );
  });

  it('treats an unmarked note as own', () => {
    const line = formatBackfillLine({ ...result('degraded', [EARLIER_HUBSPOT]), week: LATER_WEEK });

    expect(line).toMatch(/^acme-weekly, 20–26 Jan 2020: stored with data gaps: HubSpot contacts/);
    expect(line).not.toContain('earlier week');
  });

  it('counts two earlier weeks', () => {
    const earlierWeekNotes = [
      { weekStarts: ['2020-01-06'], note: EARLIER_HUBSPOT },
      { weekStarts: ['2020-01-13'], note: 'Meta figures of Harbor View for the week of 13–19 Jan' },
    ];
    const notes = earlierWeekNotes.map((entry) => entry.note);

    const line = formatBackfillLine({ ...result('degraded', notes), earlierWeekNotes });

    expect(line).toContain('stored, but 2 earlier weeks could not be re-read: ');
  });

  it('treats any marked note as earlier', () => {
    const note = 'Something went wrong two weeks ago';

    const line = formatBackfillLine(resultWithEarlier('degraded', [], [note]));

    expect(line).toBe(
      `acme-weekly, 20–26 Jan 2020: stored, but an earlier week could not be re-read: ${note}`,
    );
  });

  it('gives only the failure of a failed week', () => {
    const failure = 'Run failed: Meta data is unavailable for every property';

    const line = formatBackfillLine(resultWithEarlier('failed', [failure], [EARLIER_HUBSPOT]));

    expect(line).toBe(
      'acme-weekly, 20–26 Jan 2020: failed: Meta data is unavailable for every property',
    );
  });
});

describe('formatBackfillTally', () => {
  it('counts stored, gap and failed weeks', () => {
    const tally = emptyBackfillTally();
    for (const outcome of ['stored', 'stored', 'degraded', 'failed'] as const) {
      countBackfillResult(tally, result(outcome));
    }

    const line = formatBackfillTally(tally);

    expect(line).toBe('Backfill: 3 of 4 weeks stored (1 with data gaps), 1 failed.');
  });

  it('counts earlier-week gaps apart', () => {
    const tally = emptyBackfillTally();
    countBackfillResult(tally, resultWithEarlier('degraded', [], [EARLIER_HUBSPOT]));
    countBackfillResult(tally, result('degraded', [EARLIER_HUBSPOT]));

    const line = formatBackfillTally(tally);

    expect(line).toBe(
      'Backfill: 2 of 2 weeks stored (1 with data gaps, 1 with an earlier week not re-read), ' +
        '0 failed.',
    );
  });

  it('counts a week with both gaps', () => {
    const tally = emptyBackfillTally();

    countBackfillResult(tally, resultWithEarlier('degraded', [OWN_GAP], [EARLIER_HUBSPOT]));

    expect(formatBackfillTally(tally)).toBe(
      'Backfill: 1 of 1 week stored (1 with data gaps, 1 with an earlier week not re-read, 1 of ' +
        'them both), 0 failed.',
    );
  });
});

describe('formatBackfillProgress', () => {
  it('names the week in progress', () => {
    const tally: BackfillTally = { ...emptyBackfillTally(), weeks: 93, stored: 1, failed: 92 };

    const phrase = formatBackfillProgress(tally, 'acme-weekly, 24–30 Nov 2026');

    expect(phrase).toBe(
      'It stopped during acme-weekly, 24–30 Nov 2026. Before it, 1 week was stored and 92 failed',
    );
  });

  it('counts weeks with data gaps as stored', () => {
    const tally: BackfillTally = {
      ...emptyBackfillTally(),
      weeks: 2,
      stored: 2,
      withGaps: 1,
      earlierGaps: 1,
    };

    const phrase = formatBackfillProgress(tally);

    expect(phrase).toBe(
      'By then, 2 weeks were stored (1 with data gaps, 1 with an earlier week not re-read) and 0 failed',
    );
  });
});
