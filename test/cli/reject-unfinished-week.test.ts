import { describe, expect, it } from 'vitest';
import { rejectUnfinishedWeek } from '../../src/cli/reject-unfinished-week.ts';
import type { ReportConfig } from '../../src/config/schema.ts';

const WEEK = { start: '2026-11-23', end: '2026-11-29' };

function report(id: string, timeZone: string): ReportConfig {
  return { id, timeZone } as ReportConfig;
}

const NEW_YORK = report('acme', 'America/New_York');
const TOKYO = report('tokyo', 'Asia/Tokyo');

describe('rejectUnfinishedWeek', () => {
  it.each([
    // The week ends at midnight in New York, which is 05:00 UTC in November (UTC-5).
    { now: '2026-11-30T04:59:59Z', rejected: true },
    { now: '2026-11-30T05:00:00Z', rejected: false },
    { now: '2026-12-04T12:00:00Z', rejected: false },
    { now: '2026-11-27T12:00:00Z', rejected: true },
  ])('rejects at $now: $rejected', ({ now, rejected }) => {
    const check = () => rejectUnfinishedWeek(WEEK, '--week 2026-11-25', [NEW_YORK], new Date(now));

    if (rejected) expect(check).toThrow('has not ended yet in America/New_York');
    else expect(check).not.toThrow();
  });

  it('names the latest complete week and the option', () => {
    const check = () =>
      rejectUnfinishedWeek(WEEK, '--to 2026-11-25', [NEW_YORK], new Date('2026-11-27T12:00:00Z'));

    expect(check).toThrow(
      'The week 23–29 Nov 2026 (--to 2026-11-25) has not ended yet in America/New_York, the ' +
        'time zone of report acme. The latest complete week is 16–22 Nov 2026. ' +
        'Fix: pass --to 2026-11-16 or an earlier date',
    );
  });

  it('judges each report in its own zone', () => {
    // 23:00 UTC on Sunday is Monday morning in Tokyo but Sunday evening in New York.
    const now = new Date('2026-11-29T23:00:00Z');

    const check = () => rejectUnfinishedWeek(WEEK, '--week 2026-11-23', [TOKYO, NEW_YORK], now);

    expect(check).toThrow('of report acme');
  });
});
