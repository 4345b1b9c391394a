import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportSources, WeekFailure } from '../pipeline/sources.ts';
import { parseAccountPayload } from '../pipeline/transform-campaign-weeks.ts';
import { SourceError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { weekContaining } from '../shared/week.ts';

/**
 * Sources that replay the bundled sample payloads as if they were fetched now: the files hold the
 * exact API responses, and only the run id and fetch time are replaced.
 */
export function createSampleSources(
  sampleDir: string,
  reportId: string,
  now: () => Date,
): ReportSources {
  const load = async (parts: string[], week: Week, runId: string): Promise<RawPayload> => {
    const path = join(sampleDir, 'raw', ...parts);
    const payload = await readPayload(path, week, describePayload(parts));

    return { ...payload, key: { ...payload.key, runId }, fetchedAt: now().toISOString() };
  };

  return {
    async fetchMeta(accountId, weeks, runId) {
      await requireSampleEntry(sampleDir, 'meta', accountId);
      const last = weeks.at(-1) as Week;
      const accountPayload = await load(
        ['meta', accountId, last.start, 'account.json'],
        last,
        runId,
      );
      const failedWeeks: WeekFailure[] = [];
      const firstWeek = await firstSampleWeek(sampleDir, ['meta', accountId]);
      // Weeks before the sample begins were never recorded, as a live account would have no rows.
      // A damaged or missing earlier file inside the sample fails only its week, as a failed
      // earlier request to Meta does. The run then adds a note that names the week.
      const earlier = await Promise.all(
        weeks.slice(0, -1).map((week) =>
          load(['meta', accountId, week.start, 'insights.json'], week, runId)
            .catch((error: unknown) => skipWeekBefore(error, week, firstWeek))
            .catch((error: unknown) => recordFailedWeek(error, week, failedWeeks, accountId)),
        ),
      );
      const reportWeek = await load(['meta', accountId, last.start, 'insights.json'], last, runId);
      const insights = [...earlier.filter((p): p is RawPayload => p !== null), reportWeek];

      return {
        account: parseAccountPayload(accountPayload),
        payloads: [accountPayload, ...insights],
        failedWeeks: failedWeeks.sort((a, b) => a.weekStart.localeCompare(b.weekStart)),
      };
    },
    fetchHubSpot: async (week, runId) => {
      await requireSampleEntry(sampleDir, 'hubspot', reportId);
      const path = join(sampleDir, 'raw', 'hubspot', reportId, week.start, 'contacts.json');
      const firstWeek = await firstSampleWeek(sampleDir, ['hubspot', reportId]);
      if (!existsSync(path) && week.start < firstWeek) return null;

      return load(['hubspot', reportId, week.start, 'contacts.json'], week, runId);
    },
  };
}

const SAMPLE_ENTRIES = {
  meta: { code: 'sample_account_missing', noun: 'ad account', plural: 'ad accounts' },
  hubspot: { code: 'sample_report_missing', noun: 'report id', plural: 'report ids' },
} as const;

/**
 * Checks that the sample recorded `id` (an ad account for Meta, a report id for HubSpot), so a
 * config the sample does not match fails with that cause instead of a missing week.
 */
async function requireSampleEntry(
  sampleDir: string,
  source: keyof typeof SAMPLE_ENTRIES,
  id: string,
): Promise<void> {
  const recorded = (await readdir(join(sampleDir, 'raw', source)).catch(() => [])).sort();
  if (recorded.includes(id)) return;
  const { code, noun, plural } = SAMPLE_ENTRIES[source];
  const known = recorded.length > 0 ? recorded.join(', ') : 'none';

  throw new SourceError(code, `The sample data has no ${noun} ${id} (it has ${plural}: ${known})`, {
    fix: `use the sample config (--sample without --config), or a config whose ${plural} are in the sample`,
  });
}

/**
 * Names a sample payload for run notes and ops messages, e.g. "Meta insights of act_1". Notes
 * carry no local file path, which only the log records.
 */
function describePayload(parts: string[]): string {
  const [source, owner, , file] = parts;
  const name = (file ?? '').replace(/\.json$/, '');

  return `${source === 'meta' ? 'Meta' : 'HubSpot'} ${name} of ${owner}`;
}

async function readPayload(path: string, week: Week, payloadName: string): Promise<RawPayload> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    logger.debug('Sample file not found', { path });
    throw new SourceError(
      'sample_week_missing',
      `No sample data for the week of ${week.start} (${payloadName})`,
      {
        fix: 'pick a week the sample covers (see sample-data/README.md), or regenerate it with npm run sample-data',
        cause,
      },
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw invalidSample(
      path,
      `${payloadName} for the week of ${week.start}`,
      'is not valid JSON',
      cause,
    );
  }
  if (!isRawPayload(payload)) {
    const problem = 'is not a recorded API payload';
    throw invalidSample(path, `${payloadName} for the week of ${week.start}`, problem);
  }

  return payload;
}

/** Checks that a payload names its source and contains at least one response page. */
function isRawPayload(value: unknown): value is RawPayload {
  const payload = value as Partial<RawPayload> | null;

  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof payload.key === 'object' &&
    payload.key !== null &&
    Array.isArray(payload.pages) &&
    payload.pages.length > 0 &&
    payload.pages.every((page) => typeof page === 'object' && page !== null)
  );
}

/** Builds the error of a damaged sample file. The message names the payload, the log its path. */
function invalidSample(
  path: string,
  payloadName: string,
  problem: string,
  cause?: unknown,
): SourceError {
  logger.error('Sample file invalid', { path, problem });

  return new SourceError(
    'sample_payload_invalid',
    `The sample file with the ${payloadName} ${problem}`,
    {
      fix: 'regenerate the sample data with npm run sample-data',
      cause,
    },
  );
}

/** Returns the first week (YYYY-MM-DD) recorded under `raw/<source>/<owner>`, or '' for none. */
async function firstSampleWeek(sampleDir: string, [source, owner]: string[]): Promise<string> {
  const weeks = await readdir(join(sampleDir, 'raw', source ?? '', owner ?? '')).catch(() => []);

  return weeks.sort()[0] ?? '';
}

/**
 * Skips an earlier week from before `firstWeek`, which the sample never recorded. Rethrows any
 * other error, such as a damaged file or a week missing inside the sample's range.
 */
function skipWeekBefore(error: unknown, week: Week, firstWeek: string): null {
  const missing = error instanceof SourceError && error.code === 'sample_week_missing';
  if (missing && week.start < firstWeek) return null;
  throw error;
}

/**
 * Lists an earlier week whose sample file is damaged or missing, and rethrows any other error. A
 * missing file gets its own reason, because the fix of a missing report week (pick another week)
 * does not apply to a week the run re-fetches.
 */
function recordFailedWeek(
  error: unknown,
  week: Week,
  failedWeeks: WeekFailure[],
  accountId: string,
): null {
  if (!(error instanceof SourceError)) throw error;
  const reason =
    error.code === 'sample_week_missing'
      ? `The sample file with the Meta insights of ${accountId} for the week of ${week.start} is missing. Fix: regenerate the sample data with npm run sample-data`
      : error.message;
  failedWeeks.push({ weekStart: week.start, reason });

  return null;
}

/** The first and last week that the sample data covers. */
export interface SampleRange {
  first: Week;
  last: Week;
}

/**
 * Reads the weeks that every Meta ad account in the sample has recorded, from the week folders
 * under `raw/meta/<accountId>/`. Returns undefined when the sample has no ad account, or when the
 * accounts share no week.
 */
export async function readSampleRange(sampleDir: string): Promise<SampleRange | undefined> {
  const accounts = await listFolders(join(sampleDir, 'raw', 'meta'));
  const ranges = await Promise.all(
    accounts.map(async (account) => {
      const folders = await listFolders(join(sampleDir, 'raw', 'meta', account));
      const starts = folders.filter((name) => WEEK_FOLDER.test(name)).sort();

      return { first: starts[0] ?? '', last: starts.at(-1) ?? '' };
    }),
  );
  // A report week needs every ad account's file, so the range is the weeks all accounts share.
  const first = ranges
    .map((range) => range.first)
    .sort()
    .at(-1);
  const last = ranges.map((range) => range.last).sort()[0];
  if (!first || !last || first > last) return undefined;

  return { first: weekContaining(first), last: weekContaining(last) };
}

/** A week folder's name: the week's first day. */
const WEEK_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/** Lists the folders directly inside `path`, or none when it is missing. */
async function listFolders(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);

  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
