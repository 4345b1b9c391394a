import type { S3Client } from '@aws-sdk/client-s3';
import type { PropertyConfig, ReportConfig } from '../config/schema.ts';
import { AdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { archiveRaw } from './archive-raw.ts';
import type { ReportSources } from './sources.ts';

export interface PropertyPayloads {
  property: PropertyConfig;
  payloads: RawPayload[];
  /** Why Meta data is missing; the property is then shown as unavailable, never as zeros. */
  unavailableReason: string | null;
}

export interface FetchedSources {
  properties: PropertyPayloads[];
  hubspot: { configured: boolean; payloads: RawPayload[]; unavailableReason: string | null };
  archivedKeys: string[];
}

interface FetchInput {
  sources: ReportSources;
  report: ReportConfig;
  weeks: Week[];
  runId: string;
  s3: S3Client;
  bucket: string;
}

/**
 * Fetches every property's Meta payloads and the HubSpot contacts, archiving each payload as soon
 * as it arrives so that nothing fetched is lost when a later step fails. A failed source degrades
 * the run; an archive failure stops it, since the archive is the source of truth.
 */
export async function fetchSources(input: FetchInput): Promise<FetchedSources> {
  const archivedKeys: string[] = [];
  const archive = async (payloads: RawPayload[]) => {
    archivedKeys.push(...(await archiveRaw(input.s3, input.bucket, payloads)));
  };
  const properties: PropertyPayloads[] = [];
  for (const property of input.report.properties) {
    properties.push(await fetchProperty(input, property, archive));
  }
  const hubspot = await fetchHubSpot(input, archive);

  return { properties, hubspot, archivedKeys };
}

async function fetchProperty(
  input: FetchInput,
  property: PropertyConfig,
  archive: (payloads: RawPayload[]) => Promise<void>,
): Promise<PropertyPayloads> {
  try {
    const fetched = await input.sources.fetchMeta(
      property.metaAdAccountId,
      input.weeks,
      input.runId,
    );
    await archive(fetched.payloads);

    return { property, payloads: fetched.payloads, unavailableReason: null };
  } catch (error) {
    if (!(error instanceof AdreportError) || error.name === 'StoreError') throw error;
    logger.error('Meta fetch failed', { propertyId: property.id, code: error.code, error });

    return { property, payloads: [], unavailableReason: error.message };
  }
}

async function fetchHubSpot(
  input: FetchInput,
  archive: (payloads: RawPayload[]) => Promise<void>,
): Promise<FetchedSources['hubspot']> {
  const fetchWeek = input.sources.fetchHubSpot;
  if (!fetchWeek) {
    return {
      configured: false,
      payloads: [],
      unavailableReason: 'HubSpot is not configured (no HUBSPOT_ACCESS_TOKEN)',
    };
  }
  const payloads: RawPayload[] = [];
  try {
    for (const week of input.weeks) {
      const payload = await fetchWeek(week, input.runId);
      if (!payload) continue;
      await archive([payload]);
      payloads.push(payload);
    }

    return { configured: true, payloads, unavailableReason: null };
  } catch (error) {
    if (!(error instanceof AdreportError) || error.name === 'StoreError') throw error;
    logger.error('HubSpot fetch failed', { code: error.code, error });

    return {
      configured: true,
      payloads: [],
      unavailableReason: `HubSpot data unavailable: ${error.message}`,
    };
  }
}
