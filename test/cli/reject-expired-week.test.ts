import { describe, expect, it } from 'vitest';
import { rejectExpiredWeek } from '../../src/cli/reject-expired-week.ts';
import type { ReportConfig } from '../../src/config/schema.ts';

/** At this instant the oldest week Meta keeps in New York starts on 6 Nov 2023. */
const NOW = new Date('2026-12-02T12:00:00Z');

function report(id: string, timeZone: string): ReportConfig {
  return { id, timeZone } as ReportConfig;
}

const NEW_YORK = report('acme', 'America/New_York');
const TOKYO = report('tokyo', 'Asia/Tokyo');

describe('rejectExpiredWeek', () => {
  it.each([
    { start: '2020-01-06', rejected: true },
    { start: '2023-10-30', rejected: true },
    { start: '2023-11-06', rejected: false },
    { start: '2026-11-23', rejected: false },
  ])('rejects the week of $start: $rejected', ({ start, rejected }) => {
    const week = { start, end: start };

    const check = () => rejectExpiredWeek(week, `--week ${start}`, [NEW_YORK], NOW);

    if (rejected) expect(check).toThrow('is older than Meta keeps ad insights');
    else expect(check).not.toThrow();
  });

  it('names the week, the oldest week and the fix', () => {
    const week = { start: '2020-01-06', end: '2020-01-12' };

    const check = () => rejectExpiredWeek(week, '--from 2020-01-08', [NEW_YORK], NOW);

    expect(check).toThrow(
      'The week 6–12 Jan 2020 (--from 2020-01-08) is older than Meta keeps ad insights, which is ' +
        '37 months. The oldest week Meta keeps in America/New_York, the time zone of report ' +
        'acme, is 6–12 Nov 2023. Fix: pass --from 2023-11-06 or a later date',
    );
  });

  it('judges each report in its own zone', () => {
    // 02:00 UTC on 10 Nov is 9 Nov in New York, where 37 months back is 9 Oct 2023, a Monday,
    // but 10 Nov in Tokyo, where the oldest whole week then starts on 16 Oct.
    const now = new Date('2026-11-10T02:00:00Z');
    const week = { start: '2023-10-09', end: '2023-10-15' };

    const check = () => rejectExpiredWeek(week, '--week 2023-10-09', [NEW_YORK, TOKYO], now);

    expect(check).toThrow('of report tokyo');
  });

  it('accepts the week in the earlier zone', () => {
    const now = new Date('2026-11-10T02:00:00Z');
    const week = { start: '2023-10-09', end: '2023-10-15' };

    const check = () => rejectExpiredWeek(week, '--week 2023-10-09', [NEW_YORK], now);

    expect(check).not.toThrow();
  });
});
