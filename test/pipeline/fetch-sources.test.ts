import { describe, expect, it } from 'vitest';
import type { ReportConfig } from '../../src/config/schema.ts';
import { fetchSources } from '../../src/pipeline/fetch-sources.ts';
import type { ReportSources } from '../../src/pipeline/sources.ts';
import { SourceError } from '../../src/shared/errors.ts';
import type { RawPayload, Week } from '../../src/shared/types.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();
const WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };

function payload(
  source: 'meta' | 'hubspot',
  account: string,
  name: string,
  runId: string,
  week: Week = WEEK,
): RawPayload {
  return {
    key: { source, account, weekStart: week.start, runId, name },
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

const EARLIER: Week = { start: '2026-11-16', end: '2026-11-22' };

/** Builds sources whose HubSpot search fails for `failing`. */
function hubspotFailingFor(failing: Week): ReportSources {
  return {
    fetchMeta: async (accountId, _weeks, runId) => ({
      account: { accountId, currency: 'USD', timezone: 'UTC' } as never,
      payloads: [payload('meta', accountId, 'insights', runId)],
    }),
    fetchHubSpot: async (week, runId) => {
      if (week.start === failing.start) {
        throw new SourceError('hubspot_unavailable', 'HubSpot answered 503', { fix: 'retry' });
      }

      return payload('hubspot', 'scope', 'contacts', runId, week);
    },
  };
}

async function fetchWith(sources: ReportSources, hubspotWeeks: Week[] = [WEEK]) {
  return fetchSources({
    sources,
    report: report(),
    weeks: [EARLIER, WEEK],
    hubspotWeeks: async () => hubspotWeeks,
    runId: uniqueId('run'),
    s3: backend().clients.s3,
    bucket: backend().bucket,
  });
}

describe('fetchSources', () => {
  it('asks HubSpot while Meta is still fetching', async () => {
    const calls: string[] = [];

    await fetchWith(orderedSources(calls));

    expect(calls).toEqual(['meta act_1', 'hubspot', 'meta act_2']);
  });

  it('archives HubSpot after every Meta payload', async () => {
    const fetched = await fetchWith(orderedSources([]));

    expect(fetched.archivedKeys.map((key) => key.split('/').at(-1))).toEqual([
      'insights.json',
      'insights.json',
      'contacts.json',
    ]);
  });

  it('keeps the report week when an earlier search fails', async () => {
    const fetched = await fetchWith(hubspotFailingFor(EARLIER), [EARLIER, WEEK]);

    expect(fetched.hubspot.payloads.map((p) => p.key.weekStart)).toEqual([WEEK.start]);
    expect(fetched.hubspot.unavailableReason).toBeNull();
    expect(fetched.hubspot.failedWeeks).toEqual([
      { weekStart: EARLIER.start, reason: expect.stringContaining('HubSpot answered 503') },
    ]);
  });

  it('searches older weeks after one fails', async () => {
    const oldest: Week = { start: '2026-11-09', end: '2026-11-15' };

    const fetched = await fetchWith(hubspotFailingFor(EARLIER), [oldest, EARLIER, WEEK]);

    expect(fetched.hubspot.payloads.map((p) => p.key.weekStart)).toEqual([
      WEEK.start,
      oldest.start,
    ]);
  });

  it('marks HubSpot unavailable when the report week fails', async () => {
    const fetched = await fetchWith(hubspotFailingFor(WEEK), [EARLIER, WEEK]);

    expect(fetched.hubspot.payloads).toEqual([]);
    expect(fetched.hubspot.unavailableReason).toContain('HubSpot answered 503');
  });
});
