import { describe, expect, it } from 'vitest';
import { earliestFetchableWeek, resolveWeek } from '../../src/bot/build-command-job.ts';

const NOW = new Date('2026-12-02T12:00:00Z');
const ZONE = 'America/New_York';

describe('resolveWeek', () => {
  it.each([
    { date: '1999-01-04', case: 'a week in 1999' },
    { date: '2023-10-30', case: 'the week before the window' },
  ])('rejects $case', ({ date }) => {
    const week = resolveWeek(date, ZONE, NOW);

    expect(week).toHaveProperty('message', expect.stringContaining('cannot be run again'));
    expect(week).toHaveProperty(
      'message',
      expect.stringContaining('The earliest week is 6–12 Nov 2023'),
    );
  });

  it('accepts the earliest fetchable week', () => {
    expect(resolveWeek('2023-11-06', ZONE, NOW)).toEqual({
      start: '2023-11-06',
      end: '2023-11-12',
    });
  });

  it('accepts the last complete week', () => {
    expect(resolveWeek('last', ZONE, NOW)).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });
});

describe('earliestFetchableWeek', () => {
  it.each([
    { now: '2026-12-02T12:00:00Z', start: '2023-11-06' },
    { now: '2026-11-09T12:00:00Z', start: '2023-10-09' },
    { now: '2026-11-10T12:00:00Z', start: '2023-10-16' },
  ])('returns $start at $now', ({ now, start }) => {
    expect(earliestFetchableWeek(new Date(now), ZONE).start).toBe(start);
  });
});
