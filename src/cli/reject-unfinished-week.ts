import type { ReportConfig } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { formatWeek, isComplete, lastCompleteWeek } from '../shared/week.ts';

/**
 * Throws an InputError when `week` has not ended at `now` in the time zone of any of `reports`,
 * because neither Meta nor the sample has complete figures for it. `option` is the flag and value
 * that chose the week, e.g. `--week 2027-01-04`.
 */
export function rejectUnfinishedWeek(
  week: Week,
  option: string,
  reports: ReportConfig[],
  now: Date,
): void {
  for (const report of reports) {
    if (isComplete(week, now, report.timeZone)) continue;
    const latest = lastCompleteWeek(now, report.timeZone);
    const flag = option.split(' ')[0];
    throw new InputError(
      'week_not_ended',
      `The week ${formatWeek(week)} (${option}) has not ended yet in ${report.timeZone}, the time ` +
        `zone of report ${report.id}. The latest complete week is ${formatWeek(latest)}`,
      { fix: `pass ${flag} ${latest.start} or an earlier date` },
    );
  }
}
