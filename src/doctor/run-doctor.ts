import { checkAnthropic } from './check-anthropic.ts';
import { checkHubSpot } from './check-hubspot.ts';
import { checkMeta } from './check-meta.ts';
import { type CheckResult, type CheckSection, failFromError } from './check-result.ts';
import { checkSchedules } from './check-schedules.ts';
import { checkSes } from './check-ses.ts';
import { checkSlack } from './check-slack.ts';
import type { DoctorContext } from './doctor-context.ts';

/** The checklist and its counts; `failures > 0` means the deployment will not work as configured. */
export interface DoctorReport {
  sections: CheckSection[];
  failures: number;
  warnings: number;
}

type Check = (context: DoctorContext) => Promise<CheckSection> | CheckSection;

const CHECKS: Array<[title: string, check: Check]> = [
  ['Meta', checkMeta],
  ['HubSpot', checkHubSpot],
  ['Anthropic', checkAnthropic],
  ['Slack', checkSlack],
  ['Amazon SES', checkSes],
  ['Schedules', checkSchedules],
];

/** Runs every check against the live services, the services in parallel, in a fixed order. */
export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const sections = await Promise.all(
    CHECKS.map(([title, check]) => runCheck(title, check, context)),
  );
  const results = sections.flatMap((section) => section.results);

  return {
    sections,
    failures: results.filter((result) => result.status === 'fail').length,
    warnings: results.filter((result) => result.status === 'warn').length,
  };
}

/** Runs one check and turns an unexpected throw into one failed line, so the others still report. */
async function runCheck(
  title: string,
  check: Check,
  context: DoctorContext,
): Promise<CheckSection> {
  try {
    return await check(context);
  } catch (error) {
    return {
      title,
      results: [
        failFromError(
          title,
          error,
          'this is a bug in adreport doctor; report it with the message above',
        ),
      ],
    };
  }
}

const SYMBOLS: Record<CheckResult['status'], string> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  info: '•',
};

/** Formats the report as a plain-text checklist, one line per check and a fix under each problem. */
export function formatChecklist(report: DoctorReport): string {
  const lines: string[] = [];
  for (const section of report.sections) {
    lines.push(section.title);
    for (const result of section.results) {
      lines.push(`  ${SYMBOLS[result.status]} ${result.subject}: ${result.detail}`);
      if (result.fix) lines.push(`      Fix: ${result.fix}`);
    }
    lines.push('');
  }
  lines.push(summaryLine(report));

  return `${lines.join('\n')}\n`;
}

function summaryLine(report: DoctorReport): string {
  const warnings = report.warnings === 1 ? '1 warning' : `${report.warnings} warnings`;
  if (report.failures === 0) return `All checks passed (${warnings}).`;
  const failures = report.failures === 1 ? '1 check failed' : `${report.failures} checks failed`;

  return `${failures}, ${warnings}. Fix the lines marked ✗ and run adreport doctor again.`;
}
