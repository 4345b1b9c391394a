import type { S3Client } from '@aws-sdk/client-s3';
import type { PropertyConfig, ReportConfig } from '../config/schema.ts';
import { bothSettled } from '../shared/both-settled.ts';
import { AdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { archiveRaw } from './archive-raw.ts';
import type { ReportSources, WeekFailure } from './sources.ts';

export interface PropertyPayloads {
  property: PropertyConfig;
  payloads: RawPayload[];
  /** The reason Meta data is missing. The property is then shown as unavailable, never as zeros. */
  unavailableReason: string | null;
  /** Earlier weeks whose insights failed while the report week's worked, keeping stored figures. */
  failedWeeks?: WeekFailure[];
}

/** An earlier week whose HubSpot search failed, and why. */
export type HubSpotFailure = WeekFailure;

export interface FetchedSources {
  properties: PropertyPayloads[];
  hubspot: {
    configured: boolean;
    payloads: RawPayload[];
    /** The reason the report week's contacts are missing, or null. */
    unavailableReason: string | null;
    /** Earlier weeks whose search failed while the report week's worked. */
    failedWeeks?: HubSpotFailure[];
  };
  archivedKeys: string[];
}

interface FetchInput {
  sources: ReportSources;
  /**
   * Re-reads the credentials after an authentication failure and returns sources built from them,
   * or null when nothing changed; called at most once per run so a rotated token needs no redeploy.
   */
  refreshSources?: () => Promise<ReportSources | null>;
  report: ReportConfig;
  weeks: Week[];
  /**
   * Returns the weeks to search HubSpot for: by default the report week (the last of `weeks`).
   * Earlier weeks keep the counts stored when they were reported, because a contact's attribution
   * fields are set when it is created.
   */
  hubspotWeeks?: () => Promise<Week[]>;
  runId: string;
  s3: S3Client;
  bucket: string;
}

/**
 * Fetches every property's Meta payloads and the HubSpot contacts, archiving each Meta payload as
 * soon as it arrives and the HubSpot contacts after them, so that nothing fetched is lost when a
 * later step fails. A failed source degrades the run. An archive failure stops it, since the
 * archive is the source of truth.
 */
export async function fetchSources(request: FetchInput): Promise<FetchedSources> {
  const input = { ...request, refreshSources: refreshOnce(request) };
  const archivedKeys: string[] = [];
  const archive = async (payloads: RawPayload[]) => {
    // A retry with fresh credentials archives the same keys again; the manifest lists each once.
    const keys = await archiveRaw(input.s3, input.bucket, payloads);
    archivedKeys.push(...keys.filter((key) => !archivedKeys.includes(key)));
  };
  // HubSpot's search pacing takes seconds, so its pages load while Meta is fetched. Its payload is
  // archived after Meta's, which keeps the archive order, and what a failed put leaves, predictable.
  const [properties, hubspot] = await bothSettled(
    fetchEveryProperty(input, archive),
    fetchHubSpot(input),
  );
  await archive(hubspot.payloads);

  return { properties, hubspot, archivedKeys };
}

/** Fetches the properties one after another, so the archive order stays the same every run. */
async function fetchEveryProperty(
  input: FetchInput,
  archive: (payloads: RawPayload[]) => Promise<void>,
): Promise<PropertyPayloads[]> {
  const properties: PropertyPayloads[] = [];
  for (const property of input.report.properties) {
    properties.push(await fetchProperty(input, property, archive));
  }

  return properties;
}

async function fetchProperty(
  input: FetchInput,
  property: PropertyConfig,
  archive: (payloads: RawPayload[]) => Promise<void>,
): Promise<PropertyPayloads> {
  // Payloads are archived as they arrive, so those fetched before a failed request are kept.
  const archived = new Set<RawPayload>();
  const onPayload = async (payload: RawPayload) => {
    await archive([payload]);
    archived.add(payload);
  };
  try {
    const fetched = await retryAfterRefresh(input, (sources) =>
      sources.fetchMeta(property.metaAdAccountId, input.weeks, input.runId, onPayload),
    );
    await archive(fetched.payloads.filter((payload) => !archived.has(payload)));

    return {
      property,
      payloads: fetched.payloads,
      unavailableReason: null,
      failedWeeks: fetched.failedWeeks ?? [],
    };
  } catch (error) {
    if (!(error instanceof AdreportError) || error.name === 'StoreError') throw error;
    logger.error('Meta fetch failed', { propertyId: property.id, code: error.code, error });

    return { property, payloads: [], unavailableReason: error.message };
  }
}

async function fetchHubSpot(input: FetchInput): Promise<FetchedSources['hubspot']> {
  const fetchWeek = input.sources.fetchHubSpot;
  if (!fetchWeek) {
    return {
      configured: false,
      payloads: [],
      unavailableReason: 'HubSpot is not configured (no HUBSPOT_ACCESS_TOKEN)',
    };
  }
  const weeks = input.hubspotWeeks ? await input.hubspotWeeks() : input.weeks.slice(-1);
  const reportStart = input.weeks.at(-1)?.start;
  const payloads: RawPayload[] = [];
  const failedWeeks: HubSpotFailure[] = [];
  // Newest first: the report week's contacts matter most, and when its search fails the earlier
  // weeks would most likely fail the same way.
  for (const week of [...weeks].sort((a, b) => b.start.localeCompare(a.start))) {
    try {
      const payload = await retryAfterRefresh(input, (sources) =>
        sources.fetchHubSpot
          ? sources.fetchHubSpot(week, input.runId)
          : fetchWeek(week, input.runId),
      );
      if (payload) payloads.push(payload);
    } catch (error) {
      if (!(error instanceof AdreportError) || error.name === 'StoreError') throw error;
      logger.error('HubSpot fetch failed', { code: error.code, weekStart: week.start, error });
      if (week.start === reportStart) {
        return {
          configured: true,
          payloads: [],
          unavailableReason: `HubSpot data unavailable: ${error.message}`,
        };
      }
      // An earlier week keeps no counts this run; the next run searches it again.
      failedWeeks.push({ weekStart: week.start, reason: error.message });
    }
  }

  return { configured: true, payloads, unavailableReason: null, failedWeeks };
}

const AUTH_FAILURES = new Set(['meta_token_invalid', 'hubspot_unauthorized']);

/** Calls a source; after an authentication failure, once per run, retries with fresh credentials. */
async function retryAfterRefresh<T>(
  input: FetchInput,
  call: (sources: ReportSources) => Promise<T>,
): Promise<T> {
  try {
    return await call(input.sources);
  } catch (error) {
    const fresh =
      error instanceof AdreportError && AUTH_FAILURES.has(error.code)
        ? await input.refreshSources?.()
        : null;
    if (!fresh) throw error;
    logger.info('Retrying with re-read credentials', { code: (error as AdreportError).code });
    input.sources = fresh;

    return call(fresh);
  }
}

function refreshOnce(input: FetchInput): (() => Promise<ReportSources | null>) | undefined {
  const refresh = input.refreshSources;
  if (!refresh) return undefined;
  // Every caller after an auth failure shares the one refresh.
  let result: Promise<ReportSources | null> | null = null;

  return () => {
    result ??= refresh();

    return result;
  };
}
