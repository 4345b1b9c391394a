import { isAdreportError } from '../shared/errors.ts';

/**
 * `pass` and `fail` are the checklist's ✓ and ✗. A `warn` is a setting that works but deserves a
 * look (it does not fail the run); `info` states a fact such as the next scheduled run.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info';

/** One line of the doctor checklist. */
export interface CheckResult {
  status: CheckStatus;
  /** What was checked, e.g. `Ad account act_123`. */
  subject: string;
  /** What the check found. */
  detail: string;
  /** What to do about a failure or warning; null when nothing needs doing. */
  fix: string | null;
}

/** The checks of one service, printed under one heading. */
export interface CheckSection {
  title: string;
  results: CheckResult[];
}

export function pass(subject: string, detail: string): CheckResult {
  return { status: 'pass', subject, detail, fix: null };
}

export function fail(subject: string, detail: string, fix: string): CheckResult {
  return { status: 'fail', subject, detail, fix };
}

export function warn(subject: string, detail: string, fix: string | null = null): CheckResult {
  return { status: 'warn', subject, detail, fix };
}

export function info(subject: string, detail: string): CheckResult {
  return { status: 'info', subject, detail, fix: null };
}

/** Returns the message of any thrown value, for a check's detail, without an appended fix. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (isAdreportError(error) && error.fix) {
    const suffix = `. Fix: ${error.fix}`;
    if (error.message.endsWith(suffix)) return error.message.slice(0, -suffix.length);
  }

  return error.message;
}

/** Turns a thrown error into a failed check, using the error's own fix when it has one. */
export function failFromError(subject: string, error: unknown, fallbackFix: string): CheckResult {
  const fix = isAdreportError(error) && error.fix ? error.fix : fallbackFix;

  return fail(subject, errorMessage(error), fix);
}
