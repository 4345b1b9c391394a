import { describe, expect, it } from 'vitest';
import {
  earliestFetchableWeek,
  formatWeek,
  weekContaining,
  weeksFromTo,
} from '../../src/shared/week.ts';

describe('formatWeek', () => {
  it.each([
    { start: '2026-11-23', label: '23–29 Nov 2026' },
    { start: '2026-11-30', label: '30 Nov–6 Dec 2026' },
    { start: '2019-12-30', label: '30 Dec 2019–5 Jan 2020' },
    { start: '2026-12-28', label: '28 Dec 2026–3 Jan 2027' },
    { start: '2027-01-04', label: '4–10 Jan 2027' },
  ])('formats the week of $start as $label', ({ start, label }) => {
    const week = weekContaining(start);

    const text = formatWeek(week);

    expect(text).toBe(label);
  });
});

describe('earliestFetchableWeek', () => {
  it.each([
    { now: '2026-12-02T12:00:00Z', start: '2023-11-06' },
    { now: '2026-11-09T12:00:00Z', start: '2023-10-09' },
    { now: '2026-11-10T12:00:00Z', start: '2023-10-16' },
  ])('returns $start at $now', ({ now, start }) => {
    expect(earliestFetchableWeek(new Date(now), 'America/New_York').start).toBe(start);
  });
});

describe('weeksFromTo', () => {
  it('includes both ends', () => {
    const weeks = weeksFromTo(weekContaining('2026-11-09'), weekContaining('2026-11-23'));

    expect(weeks.map((week) => week.start)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
  });

  it('returns none when reversed', () => {
    const weeks = weeksFromTo(weekContaining('2026-11-23'), weekContaining('2026-11-09'));

    expect(weeks).toEqual([]);
  });
});
