import {
  DELIVERY_CHECK_TIME,
  nextOccurrence,
  REPORT_RUN_TIME,
  toCronExpression,
} from '../config/schedule.ts';
import { type CheckSection, info } from './check-result.ts';
import type { DoctorContext } from './doctor-context.ts';

const LOCAL_FORMAT = 'ccc d LLL yyyy, HH:mm ZZZZ';

/** Lists when each report next runs and is checked, in the report's own time zone. */
export function checkSchedules(context: DoctorContext): CheckSection {
  const now = context.now();
  const results = context.config.reports.map((report) => {
    const run = nextOccurrence(REPORT_RUN_TIME, report.timeZone, now);
    const check = nextOccurrence(DELIVERY_CHECK_TIME, report.timeZone, now);

    return info(
      `Report ${report.id}`,
      `next run ${run.toFormat(LOCAL_FORMAT)} (${report.timeZone}, ${toCronExpression(REPORT_RUN_TIME)}); ` +
        `delivery check ${check.toFormat(LOCAL_FORMAT)}`,
    );
  });

  return { title: 'Schedules', results };
}
