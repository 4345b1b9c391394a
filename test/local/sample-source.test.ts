import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openLocal } from '../../src/cli/context.ts';
import { createSampleSources, readSampleRange } from '../../src/local/sample-source.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { shiftWeek, weeksEndingWith } from '../../src/shared/week.ts';

const ACCOUNT = 'act_4410000001';
const LAST = { start: '2026-11-23', end: '2026-11-29' };
const NOW = () => new Date('2026-12-01T12:00:00Z');
let sampleDir: string;

beforeAll(async () => {
  sampleDir = await mkdtemp(join(tmpdir(), 'adreport-sample-'));
  await cp('sample-data', sampleDir, { recursive: true });
});

describe('createSampleSources', () => {
  it('replays the recorded payloads with the new run id', async () => {
    const sources = createSampleSources(sampleDir, 'acme-weekly', NOW);

    const fetched = await sources.fetchMeta(ACCOUNT, weeksEndingWith(LAST, 4), 'run-1');

    expect(fetched.account.currency).toBe('USD');
    expect(fetched.payloads.map((p) => p.key.name)).toEqual([
      'account',
      'insights',
      'insights',
      'insights',
      'insights',
    ]);
    expect(fetched.payloads.every((p) => p.key.runId === 'run-1')).toBe(true);
  });

  it('leaves out weeks before the sample begins', async () => {
    const sources = createSampleSources(sampleDir, 'acme-weekly', NOW);
    const first = { start: '2026-09-07', end: '2026-09-13' };

    const fetched = await sources.fetchMeta(ACCOUNT, weeksEndingWith(first, 4), 'run-2');
    const contacts = await sources.fetchHubSpot?.(
      { start: '2026-08-31', end: '2026-09-06' },
      'run-2',
    );

    expect(fetched.payloads.filter((p) => p.key.name === 'insights')).toHaveLength(1);
    expect(contacts).toBeNull();
  });

  it('names a report week the sample lacks', async () => {
    const sources = createSampleSources(sampleDir, 'acme-weekly', NOW);
    const later = { start: '2026-11-30', end: '2026-12-06' };

    await expect(sources.fetchMeta(ACCOUNT, [later], 'run-3')).rejects.toThrow(
      /No sample data for the week of 2026-11-30/,
    );
  });

  it('names an ad account the sample lacks', async () => {
    const sources = createSampleSources(sampleDir, 'acme-weekly', NOW);

    const fetched = sources.fetchMeta('act_1234567890', [LAST], 'run-5');

    await expect(fetched).rejects.toMatchObject({
      code: 'sample_account_missing',
      message: expect.stringContaining(
        'The sample data has no ad account act_1234567890 (it has ad accounts: ' +
          'act_4410000001, act_4410000002, act_4410000003)',
      ),
    });
  });

  it('names a report id the sample lacks', async () => {
    const sources = createSampleSources(sampleDir, 'other-report', NOW);

    const contacts = sources.fetchHubSpot?.(LAST, 'run-6');

    await expect(contacts).rejects.toMatchObject({
      code: 'sample_report_missing',
      message: expect.stringContaining(
        'The sample data has no report id other-report (it has report ids: acme-weekly)',
      ),
    });
  });

  it.each([
    { case: 'null', content: 'null' },
    { case: 'no pages', content: '{"key":{"source":"meta"},"pages":[]}' },
    { case: 'truncated JSON', content: '{"key":' },
  ])('rejects a $case payload file', async ({ content }) => {
    const dir = await mkdtemp(join(tmpdir(), 'adreport-sample-bad-'));
    await cp(sampleDir, dir, { recursive: true });
    await writeFile(join(dir, 'raw', 'meta', ACCOUNT, LAST.start, 'insights.json'), content);
    const sources = createSampleSources(dir, 'acme-weekly', NOW);

    await expect(sources.fetchMeta(ACCOUNT, [LAST], 'run-4')).rejects.toMatchObject({
      code: 'sample_payload_invalid',
    });
  });

  it('lists a damaged earlier week', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adreport-sample-bad-'));
    await cp(sampleDir, dir, { recursive: true });
    await writeFile(join(dir, 'raw', 'meta', ACCOUNT, '2026-11-09', 'insights.json'), '{"key":');
    const sources = createSampleSources(dir, 'acme-weekly', NOW);

    const fetched = await sources.fetchMeta(ACCOUNT, weeksEndingWith(LAST, 4), 'run-7');

    expect(fetched.failedWeeks).toEqual([
      { weekStart: '2026-11-09', reason: expect.stringContaining('is not valid JSON') },
    ]);
    expect(fetched.payloads.map((p) => p.key.weekStart)).toEqual([
      LAST.start,
      '2026-11-02',
      '2026-11-16',
      LAST.start,
    ]);
  });

  it('lists a missing earlier week', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adreport-sample-gap-'));
    await cp(sampleDir, dir, { recursive: true });
    await rm(join(dir, 'raw', 'meta', ACCOUNT, '2026-11-09', 'insights.json'));
    const sources = createSampleSources(dir, 'acme-weekly', NOW);

    const fetched = await sources.fetchMeta(ACCOUNT, weeksEndingWith(LAST, 4), 'run-8');

    expect(fetched.failedWeeks).toEqual([
      {
        weekStart: '2026-11-09',
        reason:
          'The sample file with the Meta insights of act_4410000001 for the week of 2026-11-09 ' +
          'is missing. Fix: regenerate the sample data with npm run sample-data',
      },
    ]);
  });
});

/**
 * Store-only runs, as a backfill makes them, of a sample copy whose Meta file of one property is
 * missing for 5 Oct and whose HubSpot file is damaged for 12 Oct. Each later run that re-reads
 * those weeks must mark them as earlier-week notes.
 */
describe('runReport with sample gaps', () => {
  const FIRST = { start: '2026-10-05', end: '2026-10-11' };
  const results = new Map<string, RunResult>();

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adreport-sample-backfill-'));
    await cp('sample-data', dir, { recursive: true });
    await rm(join(dir, 'raw', 'meta', 'act_4410000002', FIRST.start, 'insights.json'));
    await writeFile(join(dir, 'raw', 'hubspot', 'acme-weekly', '2026-10-12', 'contacts.json'), '{');
    const session = await openLocal({ sample: true, dataDir: null });
    session.deps.sampleDir = dir;
    try {
      for (const week of [0, 1, 2, 3, 4].map((count) => shiftWeek(FIRST, count))) {
        const request = { trigger: 'cli', week, storeOnly: true, reportId: 'acme-weekly' } as const;
        results.set(week.start, await runReport(session.deps, request));
      }
    } finally {
      await session.close();
    }
  }, 60_000);

  it.each(['2026-10-12', '2026-10-19', '2026-10-26'])(
    'marks the missing Meta week in %s',
    (weekStart) => {
      const notes = results.get(weekStart)?.earlierWeekNotes ?? [];

      const meta = notes.filter((entry) => entry.note.startsWith('Meta figures of Maple Court'));

      expect(meta).toEqual([
        { weekStarts: [FIRST.start], note: expect.stringContaining('5–11 Oct 2026') },
      ]);
    },
  );

  it.each(['2026-10-19', '2026-10-26', '2026-11-02'])(
    'marks the damaged HubSpot week in %s',
    (weekStart) => {
      const notes = results.get(weekStart)?.earlierWeekNotes ?? [];

      const hubspot = notes.filter((entry) => entry.note.startsWith('HubSpot contacts'));

      expect(hubspot.map((entry) => entry.weekStarts)).toEqual([['2026-10-12']]);
    },
  );

  it('leaves no earlier note unmarked', () => {
    const unmarked = [...results.values()].flatMap((result) =>
      result.notes.filter(
        (note) =>
          /could not be (re-fetched|read)/.test(note) &&
          !result.earlierWeekNotes?.some((entry) => entry.note === note),
      ),
    );

    expect(unmarked).toEqual([]);
  });
});

describe('readSampleRange', () => {
  /** Makes a sample folder with the given week folders for each Meta ad account. */
  async function sampleWith(weeksByAccount: Record<string, string[]>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'adreport-sample-range-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    for (const [account, starts] of Object.entries(weeksByAccount)) {
      await mkdir(join(dir, 'raw', 'meta', account), { recursive: true });
      for (const start of starts) {
        await mkdir(join(dir, 'raw', 'meta', account, start), { recursive: true });
      }
    }

    return dir;
  }

  it('returns the bundled sample weeks', async () => {
    const range = await readSampleRange(sampleDir);

    expect(range).toEqual({
      first: { start: '2026-09-07', end: '2026-09-13' },
      last: { start: '2026-11-23', end: '2026-11-29' },
    });
  });

  it('returns the weeks every account shares', async () => {
    const dir = await sampleWith({
      act_1: ['2026-09-07', '2026-09-14', '2026-09-21'],
      act_2: ['2026-09-14', '2026-09-21', '2026-09-28'],
    });

    const range = await readSampleRange(dir);

    expect(range?.first.start).toBe('2026-09-14');
    expect(range?.last.start).toBe('2026-09-21');
  });

  it('ignores files beside the week folders', async () => {
    const dir = await sampleWith({ act_1: ['2026-09-07', '2026-09-14'] });
    await writeFile(join(dir, 'raw', 'meta', 'act_1', 'notes.txt'), 'not a week');
    await writeFile(join(dir, 'raw', 'meta', '.DS_Store'), '');

    const range = await readSampleRange(dir);

    expect(range?.last.start).toBe('2026-09-14');
  });

  it.each([
    { case: 'no sample folder', weeks: null },
    { case: 'an account without weeks', weeks: { act_1: ['2026-09-07'], act_2: [] } },
    { case: 'accounts sharing no week', weeks: { act_1: ['2026-09-07'], act_2: ['2026-09-14'] } },
  ])('returns undefined for $case', async ({ weeks }) => {
    const dir = weeks ? await sampleWith(weeks) : join(tmpdir(), 'adreport-no-such-sample');

    const range = await readSampleRange(dir);

    expect(range).toBeUndefined();
  });
});
