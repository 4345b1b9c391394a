import type { z } from 'zod';
import type { configSchema } from '../../src/config/schema.ts';
import { adAccountIdOf, propertyIdOf } from './synthetic-data.ts';

/** The config file as written to disk: the schema's input, before defaults are applied. */
export type ConfigFile = z.input<typeof configSchema>;

/** Id and time zone of the one report every benchmark run produces. */
export const BENCH_REPORT = { id: 'bench-weekly', timeZone: 'America/New_York' } as const;

/**
 * Insights rows per Graph page (`limit`): the maximum `meta.pageSize` accepts. With 5 ad sets a
 * campaign, one page contains the 1,000 campaigns of one ad account.
 * NOTE: Meta's insights reference names no maximum `limit`. A third-party connector uses 5,000 as
 * the maximum, and Graph may answer code 1 ("reduce the amount of data") for heavy pages.
 */
export const GRAPH_PAGE_SIZE = 5000;

/** Base URLs of the loopback fakes that stand in for the external APIs. */
export interface FakeUrls {
  graph: string;
  hubspot: string;
  anthropic: string;
  slackApi: string;
}

/**
 * Builds the adreport config of a benchmark run: one report over `properties` properties, each
 * its own Meta ad account filtered in HubSpot by `client_property`, with every base URL pointing
 * at a loopback fake.
 */
export function buildBenchConfig(input: {
  properties: number;
  urls: FakeUrls;
  pageSize?: number;
}): ConfigFile {
  const properties = Array.from({ length: input.properties }, (_, index) => ({
    id: propertyIdOf(index),
    name: `Property ${String(index + 1).padStart(2, '0')}`,
    metaAdAccountId: adAccountIdOf(index),
    hubspot: {
      contactFilter: {
        propertyName: 'client_property',
        operator: 'EQ' as const,
        value: propertyIdOf(index),
      },
      nameRules: [],
    },
  }));

  return {
    reports: [
      {
        id: BENCH_REPORT.id,
        name: 'Benchmark weekly ads',
        timeZone: BENCH_REPORT.timeZone,
        recipients: ['marketing@example.com'],
        slackChannel: 'C0BENCH001',
        properties,
      },
    ],
    email: { sender: 'reports@example.com', opsRecipients: ['ops@example.com'] },
    meta: {
      baseUrl: input.urls.graph,
      apiVersion: 'v27.0',
      leadActionType: 'lead',
      restatementWeeks: 4,
      pageSize: input.pageSize ?? GRAPH_PAGE_SIZE,
    },
    hubspot: { baseUrl: input.urls.hubspot },
    anthropic: { baseUrl: input.urls.anthropic, timeoutMs: 60_000 },
    slack: { apiUrl: input.urls.slackApi, opsChannel: 'C0BENCHOPS' },
  };
}
