import { ENV } from '../config/env.ts';
import type { AdreportConfig, ReportConfig } from '../config/schema.ts';
import type { Secrets } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import type { RawPayload, Week } from '../shared/types.ts';
import { createHubSpotClient } from '../sources/hubspot/hubspot-client.ts';
import { type AdAccountInfo, GraphClient } from '../sources/meta/graph-client.ts';
import { fetchHubSpotLeads } from './fetch-hubspot-leads.ts';
import { fetchMetaInsights } from './fetch-meta-insights.ts';

/** An earlier week whose fetch failed while the report week's worked, and why. */
export interface WeekFailure {
  weekStart: string;
  reason: string;
}

/** The origin of a run's raw payloads: the live APIs, or the bundled sample data. */
export interface ReportSources {
  /**
   * Fetches one ad account's payloads. A source may pass each payload to `onPayload` as it
   * arrives; the caller archives any payload it did not receive that way once the call returns.
   * A failed earlier week is listed in `failedWeeks` and has no payload. A failed account or
   * report-week request rejects the call.
   */
  fetchMeta(
    accountId: string,
    weeks: Week[],
    runId: string,
    onPayload?: (payload: RawPayload) => Promise<void>,
  ): Promise<{
    account: AdAccountInfo;
    payloads: RawPayload[];
    failedWeeks?: WeekFailure[];
  }>;
  /**
   * Null when HubSpot is not configured; the report then says lead activity is unavailable. The
   * function resolves null for a week the source has no record of (before the sample begins).
   */
  fetchHubSpot: ((week: Week, runId: string) => Promise<RawPayload | null>) | null;
}

interface LiveSourceOptions {
  config: AdreportConfig;
  report: ReportConfig;
  secrets: Secrets;
  env?: NodeJS.ProcessEnv;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** Builds sources backed by the Graph API and HubSpot, with base URLs from config or env. */
export function createLiveSources(options: LiveSourceOptions): ReportSources {
  const { config, report, secrets, now, sleep } = options;
  const env = options.env ?? process.env;
  const metaToken = secrets.META_ACCESS_TOKEN;
  if (!metaToken) {
    throw new ConfigError('secret_missing', 'META_ACCESS_TOKEN is not set', {
      fix: 'set META_ACCESS_TOKEN locally, or store it in the adreport secret when deployed',
    });
  }
  const graph = new GraphClient({
    baseUrl: env[ENV.metaBaseUrl] ?? config.meta.baseUrl,
    apiVersion: config.meta.apiVersion,
    accessToken: metaToken,
    pageSize: config.meta.pageSize,
    requestTimeoutMs: config.meta.requestTimeoutMs,
    sleep,
  });

  return {
    fetchMeta: (accountId, weeks, runId, onPayload) =>
      fetchMetaInsights(graph, {
        accountId,
        weeks,
        runId,
        now,
        ...(onPayload ? { onPayload } : {}),
      }),
    fetchHubSpot: secrets.HUBSPOT_ACCESS_TOKEN
      ? hubspotFetcher(options, secrets.HUBSPOT_ACCESS_TOKEN, env)
      : null,
  };

  function hubspotFetcher(_: LiveSourceOptions, token: string, environment: NodeJS.ProcessEnv) {
    const client = createHubSpotClient({
      baseUrl: environment[ENV.hubspotBaseUrl] ?? config.hubspot.baseUrl,
      accessToken: token,
      timeoutMs: config.hubspot.timeoutMs,
    });
    const extraProperties = report.properties.flatMap((p) =>
      p.hubspot.contactFilter ? [p.hubspot.contactFilter.propertyName] : [],
    );

    return (week: Week, runId: string) =>
      fetchHubSpotLeads(client, {
        reportId: report.id,
        week,
        timeZone: report.timeZone,
        runId,
        leadFilterGroups: config.hubspot.leadFilterGroups,
        extraProperties,
        sleep,
        now,
      });
  }
}
