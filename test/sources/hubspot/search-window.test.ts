import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/shared/errors.ts';
import {
  describeWindow,
  splitWindow,
  weekWindow,
} from '../../../src/sources/hubspot/search-window.ts';

const HOUR = 3_600_000;

describe('weekWindow', () => {
  it('runs Monday 00:00 to Sunday 23:59:59.999 local', () => {
    const window = weekWindow({ start: '2026-11-23', end: '2026-11-29' }, 'America/Los_Angeles');

    expect(new Date(window.startMs).toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(new Date(window.endMs).toISOString()).toBe('2026-11-30T07:59:59.999Z');
  });

  it.each([
    { zone: 'Europe/Berlin', week: { start: '2026-03-23', end: '2026-03-29' }, hours: 167 },
    { zone: 'Europe/Berlin', week: { start: '2026-10-19', end: '2026-10-25' }, hours: 169 },
    { zone: 'Asia/Tokyo', week: { start: '2026-03-23', end: '2026-03-29' }, hours: 168 },
  ])('spans $hours hours in $zone from $week.start', ({ zone, week, hours }) => {
    const window = weekWindow(week, zone);

    expect(window.endMs - window.startMs + 1).toBe(hours * HOUR);
  });

  it('throws for an unknown time zone', () => {
    const build = () => weekWindow({ start: '2026-11-23', end: '2026-11-29' }, 'Mars/Olympus');

    expect(build).toThrow(InputError);
  });
});

describe('splitWindow', () => {
  const week = weekWindow({ start: '2026-03-23', end: '2026-03-29' }, 'Europe/Berlin');

  it('splits a week into local days that cover it', () => {
    const days = splitWindow(week, 'Europe/Berlin');

    expect(days).toHaveLength(7);
    expect(days[0]?.startMs).toBe(week.startMs);
    expect(days.at(-1)?.endMs).toBe(week.endMs);
    expect(
      days.every((day, index) => index === 0 || day.startMs === (days[index - 1]?.endMs ?? 0) + 1),
    ).toBe(true);
    expect((days.at(-1)?.endMs ?? 0) - (days.at(-1)?.startMs ?? 0) + 1).toBe(23 * HOUR);
  });

  it('splits a day into hours', () => {
    const [monday] = splitWindow(week, 'Europe/Berlin');

    const hours = splitWindow(monday as { startMs: number; endMs: number }, 'Europe/Berlin');

    expect(hours).toHaveLength(24);
    expect(hours.every((hour) => hour.endMs - hour.startMs + 1 === HOUR)).toBe(true);
  });

  it('halves an hour', () => {
    const halves = splitWindow({ startMs: 0, endMs: HOUR - 1 }, 'UTC');

    expect(halves).toEqual([
      { startMs: 0, endMs: HOUR / 2 - 1 },
      { startMs: HOUR / 2, endMs: HOUR - 1 },
    ]);
  });

  it('returns nothing for one millisecond', () => {
    expect(splitWindow({ startMs: 5, endMs: 5 }, 'UTC')).toEqual([]);
  });
});

describe('describeWindow', () => {
  it('formats both ends in the time zone', () => {
    const text = describeWindow({ startMs: 0, endMs: HOUR - 1 }, 'Asia/Tokyo');

    expect(text).toBe('1970-01-01T09:00:00.000+09:00/1970-01-01T09:59:59.999+09:00');
  });
});
