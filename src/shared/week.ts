import { DateTime } from 'luxon';
import { InputError } from './errors.ts';
import type { IsoDate, Week } from './types.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `YYYY-MM-DD` strictly; throws an InputError naming the value otherwise. */
export function parseIsoDate(value: string, zone = 'UTC'): DateTime {
  const parsed = ISO_DATE.test(value) ? DateTime.fromISO(value, { zone }) : null;
  if (!parsed?.isValid) {
    throw new InputError('invalid_date', `Invalid date "${value}"`, {
      fix: 'use the form YYYY-MM-DD, for example 2026-11-23',
    });
  }

  return parsed;
}

/** Returns the Monday-to-Sunday week that contains `date` (any day of the week selects it). */
export function weekContaining(date: IsoDate): Week {
  const monday = parseIsoDate(date).startOf('week');

  return {
    start: monday.toISODate() as string,
    end: monday.plus({ days: 6 }).toISODate() as string,
  };
}

/** Returns the week starting `count` weeks after `week` (negative counts go back). */
export function shiftWeek(week: Week, count: number): Week {
  return weekContaining(parseIsoDate(week.start).plus({ weeks: count }).toISODate() as string);
}

/**
 * Returns the last complete week before `instant`, judged in `timeZone`. At 07:00 on a Monday in
 * that zone this is the week that ended the night before, whatever the UTC offset.
 */
export function lastCompleteWeek(instant: Date, timeZone: string): Week {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) {
    throw new InputError('invalid_time_zone', `Invalid time zone "${timeZone}"`, {
      fix: 'use an IANA zone name such as Europe/Berlin',
    });
  }
  const thisMonday = local.startOf('week');

  return weekContaining(thisMonday.minus({ weeks: 1 }).toISODate() as string);
}

/** True when the whole week has ended in `timeZone` at `instant`. */
export function isComplete(week: Week, instant: Date, timeZone: string): boolean {
  const endOfWeek = DateTime.fromISO(week.end, { zone: timeZone }).endOf('day');

  return DateTime.fromJSDate(instant) > endOfWeek;
}

/** Returns the weeks from `first` to `last`, both included, oldest first; none when reversed. */
export function weeksFromTo(first: Week, last: Week): Week[] {
  const weeks: Week[] = [];
  for (let week = first; week.start <= last.start; week = shiftWeek(week, 1)) weeks.push(week);

  return weeks;
}

/** Returns the `count` weeks ending with `week`, oldest first. */
export function weeksEndingWith(week: Week, count: number): Week[] {
  return Array.from({ length: count }, (_, index) => shiftWeek(week, index - count + 1));
}

/**
 * Formats a week for people, e.g. "23–29 Nov 2026", "30 Nov–6 Dec 2026" or, across New Year,
 * "30 Dec 2019–5 Jan 2020".
 */
export function formatWeek(week: Week): string {
  const start = parseIsoDate(week.start);
  const end = parseIsoDate(week.end);
  let startFormat = 'd';
  if (start.year !== end.year) startFormat = 'd LLL yyyy';
  else if (start.month !== end.month) startFormat = 'd LLL';

  return `${start.toFormat(startFormat)}–${end.toFormat('d LLL yyyy')}`;
}

/**
 * Months of ad insights that Meta keeps. A run fetches its week from Meta again, so an older week
 * cannot be run. NOTE: the figure comes from Databricks' Meta Ads connector documentation, not
 * Meta's own reference.
 */
export const META_INSIGHTS_MONTHS = 37;

/** Returns the first whole week inside Meta's insights window at `now`, judged in `timeZone`. */
export function earliestFetchableWeek(now: Date, timeZone: string): Week {
  const limit = DateTime.fromJSDate(now, { zone: timeZone })
    .minus({ months: META_INSIGHTS_MONTHS })
    .toISODate() as string;
  const week = weekContaining(limit);

  return week.start < limit ? shiftWeek(week, 1) : week;
}
