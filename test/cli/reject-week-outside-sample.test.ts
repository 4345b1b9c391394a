import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseSampleReportWeek,
  loadSampleRange,
  rejectWeekOutsideSample,
  rejectWeeksOutsideSample,
} from '../../src/cli/reject-week-outside-sample.ts';
import type { ReportConfig } from '../../src/config/schema.ts';
import { weekContaining } from '../../src/shared/week.ts';

/** The range of the bundled sample, whose weeks start from 7 Sep to 23 Nov 2026. */
const RANGE = { first: weekContaining('2026-09-07'), last: weekContaining('2026-11-23') };
const SAMPLE_DIR = 'sample-data';

function report(id: string, timeZone: string): ReportConfig {
  return { id, timeZone } as ReportConfig;
}

const NEW_YORK = report('acme', 'America/New_York');
const TOKYO = report('tokyo', 'Asia/Tokyo');

let emptyDir = '';

beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), 'adreport-no-sample-'));
  await mkdir(join(emptyDir, 'raw', 'meta'), { recursive: true });
});

afterAll(async () => {
  await rm(emptyDir, { recursive: true, force: true });
});

describe('rejectWeekOutsideSample', () => {
  it.each([
    { date: '2020-01-06', rejected: true },
    { date: '2026-09-06', rejected: true },
    { date: '2026-09-07', rejected: false },
    { date: '2026-11-29', rejected: false },
    { date: '2026-11-30', rejected: true },
  ])('rejects the week of $date: $rejected', ({ date, rejected }) => {
    const chosen = { week: weekContaining(date), option: `--week ${date}` };

    const check = () => rejectWeekOutsideSample(chosen, RANGE);

    if (rejected) expect(check).toThrow('is not in the bundled sample data');
    else expect(check).not.toThrow();
  });

  it('names the week, range and fix', () => {
    const chosen = { week: weekContaining('2020-01-08'), option: '--from 2020-01-08' };

    const check = () => rejectWeekOutsideSample(chosen, RANGE);

    expect(check).toThrow(
      'The week 6–12 Jan 2020 (--from 2020-01-08) is not in the bundled sample data, which ' +
        'covers the weeks from 7–13 Sep 2026 to 23–29 Nov 2026. Fix: pass --from with a date ' +
        'from 2026-09-07 to 2026-11-29, or change the weeks in scripts/sample-data/sample-plan.ts ' +
        'and regenerate the sample with npm run sample-data',
    );
  });

  it('throws the week_not_in_sample code', () => {
    const chosen = { week: weekContaining('2020-01-06'), option: '--week 2020-01-06' };

    const check = () => rejectWeekOutsideSample(chosen, RANGE);

    expect(check).toThrow(expect.objectContaining({ code: 'week_not_in_sample' }));
  });
});

describe('rejectWeeksOutsideSample', () => {
  it('rejects a later week past the sample', async () => {
    const weeks = [
      { week: weekContaining('2026-09-07'), option: '--from 2026-09-07' },
      { week: weekContaining('2026-12-07'), option: '--to 2026-12-07' },
    ];

    const check = rejectWeeksOutsideSample(weeks, SAMPLE_DIR);

    await expect(check).rejects.toThrow('The week 7–13 Dec 2026 (--to 2026-12-07)');
  });

  it('accepts weeks inside the sample', async () => {
    const weeks = [
      { week: weekContaining('2026-09-07'), option: '--from 2026-09-07' },
      { week: weekContaining('2026-11-23'), option: '--to 2026-11-23' },
    ];

    const check = rejectWeeksOutsideSample(weeks, SAMPLE_DIR);

    await expect(check).resolves.toBeUndefined();
  });
});

describe('loadSampleRange', () => {
  it('reads the bundled sample range', async () => {
    const range = await loadSampleRange(SAMPLE_DIR);

    expect(range).toEqual(RANGE);
  });

  it('rejects a sample without weeks', async () => {
    const load = loadSampleRange(emptyDir);

    await expect(load).rejects.toMatchObject({
      code: 'sample_missing',
      message: expect.stringContaining(`No sample weeks under ${emptyDir}/raw/meta`),
    });
  });
});

describe('chooseSampleReportWeek', () => {
  it.each([
    { case: 'the clock is past the sample', now: '2027-03-10T12:00:00Z', start: '2026-11-23' },
    { case: 'the last sample week ended', now: '2026-12-01T12:00:00Z', start: '2026-11-23' },
    { case: 'the clock is inside the sample', now: '2026-11-10T12:00:00Z', start: '2026-11-02' },
  ])('returns $start when $case', async ({ now, start }) => {
    const week = await chooseSampleReportWeek([NEW_YORK], new Date(now), SAMPLE_DIR);

    expect(week.start).toBe(start);
  });

  it('waits until the week ends everywhere', async () => {
    // 03:00 UTC on Mon 30 Nov is Monday in Tokyo, where 23–29 Nov has ended, but still Sunday
    // evening in New York, where it has not.
    const now = new Date('2026-11-30T03:00:00Z');

    const week = await chooseSampleReportWeek([TOKYO, NEW_YORK], now, SAMPLE_DIR);

    expect(week.start).toBe('2026-11-16');
  });
});
