import { describe, expect, it } from 'vitest';
import {
  BENCH_REPORT,
  buildBenchConfig,
  GRAPH_PAGE_SIZE,
} from '../../../bench/lib/bench-config.ts';
import { configSchema } from '../../../src/config/schema.ts';

const URLS = {
  graph: 'http://127.0.0.1:40001',
  hubspot: 'http://127.0.0.1:40002',
  anthropic: 'http://127.0.0.1:40003',
  slackApi: 'http://127.0.0.1:40004/api/',
};

describe('buildBenchConfig', () => {
  it('passes the config schema', () => {
    const result = configSchema.safeParse(buildBenchConfig({ properties: 5, urls: URLS }));

    expect(result.success).toBe(true);
  });

  it('creates one property per ad account', () => {
    const config = configSchema.parse(buildBenchConfig({ properties: 5, urls: URLS }));

    const accounts = config.reports[0]?.properties.map((p) => p.metaAdAccountId);

    expect(new Set(accounts).size).toBe(5);
  });

  it('points every API at loopback', () => {
    const config = configSchema.parse(buildBenchConfig({ properties: 1, urls: URLS }));

    const urls = [
      config.meta.baseUrl,
      config.hubspot.baseUrl,
      config.anthropic.baseUrl,
      config.slack.apiUrl,
    ];

    expect(urls.every((url) => url?.startsWith('http://127.0.0.1:'))).toBe(true);
  });

  it('uses the largest page size the schema accepts', () => {
    const tooLarge = buildBenchConfig({ properties: 1, urls: URLS, pageSize: GRAPH_PAGE_SIZE + 1 });

    expect(configSchema.safeParse(tooLarge).success).toBe(false);
  });

  it('names the benchmark report', () => {
    const config = buildBenchConfig({ properties: 1, urls: URLS });

    expect(config.reports[0]?.id).toBe(BENCH_REPORT.id);
  });
});
