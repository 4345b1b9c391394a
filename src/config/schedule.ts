import { DateTime } from 'luxon';

/** A time of the week in a report's own time zone. `weekday` is ISO: 1 is Monday, 7 is Sunday. */
export interface WeeklyTime {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  hour: number;
  minute: number;
}

/** When the deployed stack starts each report's weekly run, in the report's time zone. */
export const REPORT_RUN_TIME: WeeklyTime = { weekday: 1, hour: 7, minute: 0 };

/** When the deployed stack checks that the week's email went out, in the report's time zone. */
export const DELIVERY_CHECK_TIME: WeeklyTime = { weekday: 1, hour: 9, minute: 0 };

const CRON_WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** Formats a weekly time as an EventBridge Scheduler cron expression, e.g. `cron(0 7 ? * MON *)`. */
export function toCronExpression(time: WeeklyTime): string {
  return `cron(${time.minute} ${time.hour} ? * ${CRON_WEEKDAYS[time.weekday - 1]} *)`;
}

/**
 * Returns the first occurrence of `time` in `timeZone` strictly after `after`. Scheduler follows
 * local time across daylight-saving changes, and so does this function.
 */
export function nextOccurrence(time: WeeklyTime, timeZone: string, after: Date): DateTime {
  const local = DateTime.fromJSDate(after, { zone: timeZone });
  const thisWeek = local
    .startOf('week')
    .plus({ days: time.weekday - 1 })
    .set({ hour: time.hour, minute: time.minute });

  return thisWeek > local ? thisWeek : thisWeek.plus({ weeks: 1 });
}
