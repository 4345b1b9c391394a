import type { S3Client } from '@aws-sdk/client-s3';
import type { ReportConfig } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { readArchivedPayloads, readLatestManifest } from './archive-raw.ts';
import type { FetchedSources } from './fetch-sources.ts';

/**
 * Reads the payloads of the latest archived run of a report week, in the shape a live fetch
 * returns, so that replay rebuilds the same metrics without calling Meta or HubSpot.
 */
export async function loadArchivedSources(
  s3: S3Client,
  bucket: string,
  report: ReportConfig,
  week: Week,
): Promise<FetchedSources> {
  const manifest = await readLatestManifest(s3, bucket, report.id, week.start);
  if (!manifest) {
    throw new InputError(
      'replay_not_found',
      `No archived run of ${report.id} for the week of ${week.start}`,
      {
        fix: 'run that week first with adreport run --week, or pick a week that has run',
      },
    );
  }
  const payloads = await readArchivedPayloads(s3, bucket, manifest.keys);
  const properties = report.properties.map((property) => {
    const own = payloads.filter(
      (p) => p.key.source === 'meta' && p.key.account === property.metaAdAccountId,
    );
    const hasAccount = own.some((p) => p.key.name === 'account');

    return {
      property,
      payloads: own,
      unavailableReason: hasAccount ? null : 'Meta data was not fetched in the archived run',
    };
  });
  const hubspot = payloads.filter((p) => p.key.source === 'hubspot');

  return {
    properties,
    hubspot: {
      configured: hubspot.length > 0,
      payloads: hubspot,
      unavailableReason:
        hubspot.length > 0 ? null : 'HubSpot data was not fetched in the archived run',
    },
    archivedKeys: manifest.keys,
  };
}
