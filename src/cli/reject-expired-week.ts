import type { ReportConfig } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { earliestFetchableWeek, formatWeek, META_INSIGHTS_MONTHS } from '../shared/week.ts';

/**
 * Throws an InputError when `week` starts before the oldest week whose insights Meta still keeps
 * at `now` in the time zone of any of `reports`, because Meta keeps no insights for it. `option`
 * is the flag and value that chose the week, e.g. `--from 2020-01-06`. Runs that read the sample
 * data call no Meta API, so their callers skip this check.
 *
 * NOTE: a run of one of the oldest weeks still re-fetches the earlier weeks of Meta's restatement
 * window, which Meta may no longer keep, so those can end as earlier-week gaps.
 */
export function rejectExpiredWeek(
  week: Week,
  option: string,
  reports: ReportConfig[],
  now: Date,
): void {
  for (const report of reports) {
    const earliest = earliestFetchableWeek(now, report.timeZone);
    if (week.start >= earliest.start) continue;
    const flag = option.split(' ')[0];
    throw new InputError(
      'week_too_old',
      `The week ${formatWeek(week)} (${option}) is older than Meta keeps ad insights, which is ` +
        `${META_INSIGHTS_MONTHS} months. The oldest week Meta keeps in ${report.timeZone}, the ` +
        `time zone of report ${report.id}, is ${formatWeek(earliest)}`,
      { fix: `pass ${flag} ${earliest.start} or a later date` },
    );
  }
}
