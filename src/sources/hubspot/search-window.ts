import { DateTime } from 'luxon';
import { InputError } from '../../shared/errors.ts';
import type { Week } from '../../shared/types.ts';

/** A `createdate` range in epoch milliseconds, both ends inclusive (HubSpot's BETWEEN). */
export interface SearchWindow {
  startMs: number;
  endMs: number;
}

/**
 * Returns the window from Monday 00:00:00.000 to Sunday 23:59:59.999 of `week`, local time in
 * `timeZone`. Across a DST change the window is 167 or 169 hours long.
 */
export function weekWindow(week: Week, timeZone: string): SearchWindow {
  const start = DateTime.fromISO(week.start, { zone: timeZone }).startOf('day');
  const end = DateTime.fromISO(week.end, { zone: timeZone }).endOf('day');
  if (!start.isValid || !end.isValid) {
    throw new InputError(
      'invalid_week',
      `Invalid week ${week.start}..${week.end} in time zone "${timeZone}"`,
      { fix: 'pass ISO dates (YYYY-MM-DD) and an IANA time zone such as Europe/Berlin' },
    );
  }

  return { startMs: start.toMillis(), endMs: end.toMillis() };
}

/**
 * Splits a window into smaller windows that cover it exactly. A window longer than a local day is
 * split by day, one longer than an hour by hour, and any other in halves. A 1 ms window returns
 * an empty list.
 */
export function splitWindow(window: SearchWindow, timeZone: string): SearchWindow[] {
  const start = DateTime.fromMillis(window.startMs, { zone: timeZone });
  if (window.endMs > start.endOf('day').toMillis()) return splitAt(window, timeZone, 'day');
  if (window.endMs > start.endOf('hour').toMillis()) return splitAt(window, timeZone, 'hour');
  if (window.endMs === window.startMs) return [];
  const middle = window.startMs + Math.floor((window.endMs - window.startMs) / 2);

  return [
    { startMs: window.startMs, endMs: middle },
    { startMs: middle + 1, endMs: window.endMs },
  ];
}

function splitAt(window: SearchWindow, timeZone: string, unit: 'day' | 'hour'): SearchWindow[] {
  const parts: SearchWindow[] = [];
  let cursor = window.startMs;
  while (cursor <= window.endMs) {
    const unitEnd = DateTime.fromMillis(cursor, { zone: timeZone }).endOf(unit).toMillis();
    const endMs = Math.min(unitEnd, window.endMs);
    parts.push({ startMs: cursor, endMs });
    cursor = endMs + 1;
  }

  return parts;
}

/** Formats a window for logs and the archived request, in the report's time zone. */
export function describeWindow(window: SearchWindow, timeZone: string): string {
  const format = (ms: number) => DateTime.fromMillis(ms, { zone: timeZone }).toISO() as string;

  return `${format(window.startMs)}/${format(window.endMs)}`;
}
