import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportSources } from '../pipeline/sources.ts';
import { parseAccountPayload } from '../pipeline/transform-campaign-weeks.ts';
import { SourceError } from '../shared/errors.ts';
import type { RawPayload, Week } from '../shared/types.ts';

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
    const payload = await readPayload(path, week);

    return { ...payload, key: { ...payload.key, runId }, fetchedAt: now().toISOString() };
  };

  return {
    async fetchMeta(accountId, weeks, runId) {
      const last = weeks.at(-1) as Week;
      const accountPayload = await load(
        ['meta', accountId, last.start, 'account.json'],
        last,
        runId,
      );
      // Weeks before the sample begins were never recorded, as a live account would have no rows.
      const earlier = await Promise.all(
        weeks
          .slice(0, -1)
          .map((week) =>
            load(['meta', accountId, week.start, 'insights.json'], week, runId).catch(() => null),
          ),
      );
      const reportWeek = await load(['meta', accountId, last.start, 'insights.json'], last, runId);
      const insights = [...earlier.filter((p): p is RawPayload => p !== null), reportWeek];

      return {
        account: parseAccountPayload(accountPayload),
        payloads: [accountPayload, ...insights],
      };
    },
    fetchHubSpot: async (week, runId) => {
      const path = join(sampleDir, 'raw', 'hubspot', reportId, week.start, 'contacts.json');
      if (!existsSync(path) && week.start < (await firstSampleWeek(sampleDir, reportId)))
        return null;

      return load(['hubspot', reportId, week.start, 'contacts.json'], week, runId);
    },
  };
}

async function readPayload(path: string, week: Week): Promise<RawPayload> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SourceError(
      'sample_week_missing',
      `No sample data for the week of ${week.start} (${path})`,
      {
        fix: 'pick a week the sample covers (see sample-data/README.md), or regenerate it with npm run sample-data',
        cause,
      },
    );
  }
  try {
    return JSON.parse(text) as RawPayload;
  } catch (cause) {
    throw new SourceError('sample_payload_invalid', `Sample file ${path} is not valid JSON`, {
      fix: 'restore the file from git or regenerate the sample with npm run sample-data',
      cause,
    });
  }
}

async function firstSampleWeek(sampleDir: string, reportId: string): Promise<string> {
  const weeks = await readdir(join(sampleDir, 'raw', 'hubspot', reportId)).catch(() => []);

  return weeks.sort()[0] ?? '';
}
