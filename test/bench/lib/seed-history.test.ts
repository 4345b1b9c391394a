import { describe, expect, it } from 'vitest';
import { backfillWeeks, virtualClock } from '../../../bench/lib/seed-history.ts';

const REPORT_WEEK = { start: '2026-11-23', end: '2026-11-29' };

describe('backfillWeeks', () => {
  it('covers twelve weeks with three four-week runs', () => {
    const weeks = backfillWeeks(REPORT_WEEK, 12, 4);

    expect(weeks.map((week) => week.start)).toEqual(['2026-09-21', '2026-10-19', '2026-11-16']);
  });

  it('ends the last run the week before the report', () => {
    const weeks = backfillWeeks(REPORT_WEEK, 104, 4);

    expect(weeks.at(-1)?.start).toBe('2026-11-16');
  });

  it('reaches back the whole history', () => {
    const weeks = backfillWeeks(REPORT_WEEK, 104, 4);

    // The oldest run reports 101 weeks back and stores that week and the 3 before it.
    expect(weeks).toHaveLength(26);
    expect(weeks[0]?.start).toBe('2024-12-16');
  });

  it('rounds a partial window up', () => {
    expect(backfillWeeks(REPORT_WEEK, 5, 4)).toHaveLength(2);
  });
});

describe('virtualClock', () => {
  it('moves time forward on sleep', async () => {
    const clock = virtualClock();
    const before = clock.now().getTime();

    await clock.sleep(60_000);

    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(60_000);
  });

  it('returns from sleep at once', async () => {
    const clock = virtualClock();
    const startedAt = performance.now();

    await clock.sleep(3_600_000);

    expect(performance.now() - startedAt).toBeLessThan(100);
  });
});
