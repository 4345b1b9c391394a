import { describe, expect, it } from 'vitest';
import {
  type BackfillTally,
  checkBackfillRange,
  countBackfillResult,
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
        fix: 'check the years, or split the range, e.g. --from 2026-01-05 --to 2027-12-27 first',
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
      'acme-weekly, 6–12 Jan 2020: failed (Meta data is unavailable for every property, so there is nothing to report)',
    );
  });

  it('cuts a long gap note without its fix', () => {
    const note = `Meta data unavailable for Sunset Lofts: ${'x'.repeat(400)}. Fix: restore it`;

    const line = formatBackfillLine(result('degraded', [note]));

    expect(line).toMatch(
      /: stored with data gaps \(Meta data unavailable for Sunset Lofts: x+…\)$/,
    );
    expect(line).not.toContain('Fix:');
    expect(line.length).toBeLessThan(300);
  });
});

describe('formatBackfillTally', () => {
  it('counts stored, gap and failed weeks', () => {
    const tally: BackfillTally = { weeks: 0, stored: 0, withGaps: 0, failed: 0 };
    for (const outcome of ['stored', 'stored', 'degraded', 'failed'] as const) {
      countBackfillResult(tally, result(outcome));
    }

    const line = formatBackfillTally(tally);

    expect(line).toBe('Backfill: 3 of 4 weeks stored (1 with data gaps), 1 failed.');
  });
});

describe('formatBackfillProgress', () => {
  it('counts stored and failed weeks', () => {
    const tally: BackfillTally = { weeks: 93, stored: 1, withGaps: 0, failed: 92 };

    const phrase = formatBackfillProgress(tally, 'acme-weekly, 17–23 Nov 2026: failed');

    expect(phrase).toBe(
      '93 weeks (1 stored, 92 failed), the last acme-weekly, 17–23 Nov 2026: failed',
    );
  });

  it('counts weeks with data gaps as stored', () => {
    const tally: BackfillTally = { weeks: 1, stored: 0, withGaps: 1, failed: 0 };

    const phrase = formatBackfillProgress(tally, 'last');

    expect(phrase).toBe('1 week (1 stored, 0 failed), the last last');
  });
});
