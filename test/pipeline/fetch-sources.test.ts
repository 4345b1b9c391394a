import { describe, expect, it } from 'vitest';
import type { ReportConfig } from '../../src/config/schema.ts';
import { fetchSources } from '../../src/pipeline/fetch-sources.ts';
import type { ReportSources } from '../../src/pipeline/sources.ts';
import type { RawPayload, Week } from '../../src/shared/types.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();
const WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };

function payload(
  source: 'meta' | 'hubspot',
  account: string,
  name: string,
  runId: string,
): RawPayload {
  return {
    key: { source, account, weekStart: WEEK.start, runId, name },
    fetchedAt: '2026-11-30T07:00:00.000Z',
    request: { url: 'http://127.0.0.1/', params: {} },
    pages: [],
  };
}

function report(): ReportConfig {
  return {
    id: uniqueId('r'),
    properties: [
      { id: 'p1', name: 'One', metaAdAccountId: 'act_1' },
      { id: 'p2', name: 'Two', metaAdAccountId: 'act_2' },
    ],
  } as unknown as ReportConfig;
}

/** Builds sources whose Meta calls wait for the HubSpot request and which log every call. */
function orderedSources(calls: string[]): ReportSources {
  let markHubSpotCalled: () => void = () => {};
  const hubspotCalled = new Promise<void>((resolve) => {
    markHubSpotCalled = resolve;
  });

  return {
    fetchMeta: async (accountId, _weeks, runId) => {
      calls.push(`meta ${accountId}`);
      await hubspotCalled;

      return {
        account: { accountId, currency: 'USD', timezone: 'UTC' } as never,
        payloads: [payload('meta', accountId, 'insights', runId)],
      };
    },
    fetchHubSpot: async (_week, runId) => {
      calls.push('hubspot');
      markHubSpotCalled();

      return payload('hubspot', 'contacts-scope', 'contacts', runId);
    },
  };
}

async function fetchWith(sources: ReportSources) {
  return fetchSources({
    sources,
    report: report(),
    weeks: [WEEK],
    runId: uniqueId('run'),
    s3: backend().clients.s3,
    bucket: backend().bucket,
  });
}

describe('fetchSources', () => {
  it('asks HubSpot while Meta is still fetching', async () => {
    const calls: string[] = [];

    await fetchWith(orderedSources(calls));

    expect(calls.slice(0, 2)).toEqual(['hubspot', 'meta act_1']);
  });

  it('archives HubSpot after every Meta payload', async () => {
    const fetched = await fetchWith(orderedSources([]));

    expect(fetched.archivedKeys.map((key) => key.split('/').at(-1))).toEqual([
      'insights.json',
      'insights.json',
      'contacts.json',
    ]);
  });
});
