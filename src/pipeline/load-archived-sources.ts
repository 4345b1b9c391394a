import type { S3Client } from '@aws-sdk/client-s3';
import type { ReportConfig } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { readArchivedPayloads, readLatestManifest } from './archive-raw.ts';
import type { FetchedSources } from './fetch-sources.ts';

/**
 * Reads the payloads of the latest archived run of a report week, in the shape a live fetch
 * returns, so that replay rebuilds the same metrics without calling Meta or HubSpot. A source
 * whose report-week payload is missing (the live fetch failed part way) is unavailable, as it was
 * in the live run. `hubspotConfigured` says whether a run without HubSpot payloads had HubSpot
 * configured, so that it replays as a HubSpot failure instead of a report without HubSpot.
 */
export async function loadArchivedSources(
  s3: S3Client,
  bucket: string,
  report: ReportConfig,
  week: Week,
  options: { hubspotConfigured?: boolean } = {},
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
    const complete =
      own.some((p) => p.key.name === 'account') &&
      own.some((p) => p.key.name === 'insights' && p.key.weekStart === week.start);

    return {
      property,
      payloads: complete ? own : [],
      unavailableReason: complete ? null : 'Meta data was not fetched in the archived run',
    };
  });

  return {
    properties,
    hubspot: archivedHubSpot(payloads, week, options.hubspotConfigured === true),
    archivedKeys: manifest.keys,
  };
}

function archivedHubSpot(
  payloads: RawPayload[],
  week: Week,
  configured: boolean,
): FetchedSources['hubspot'] {
  const hubspot = payloads.filter((p) => p.key.source === 'hubspot');
  if (hubspot.some((p) => p.key.weekStart === week.start)) {
    return { configured: true, payloads: hubspot, unavailableReason: null };
  }
  if (hubspot.length > 0 || configured) {
    return {
      configured: true,
      payloads: [],
      unavailableReason:
        'HubSpot data unavailable: the archived run has no HubSpot data for the report week',
    };
  }

  return {
    configured: false,
    payloads: [],
    unavailableReason: 'HubSpot data was not fetched in the archived run',
  };
}
