import { describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/pipeline/load-history.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from '../storage/builders.ts';

const backend = useLocalBackend();
const reportWeek = { start: '2026-11-23', end: '2026-11-29' };

function newStore(): MetricsStore {
  return new MetricsStore(backend().clients.dynamo, backend().metricsTable, {
    sleep: async () => {},
  });
}

/** Stores weeks -8 … 0 relative to the report week, with `leads` equal to the offset + 10. */
async function seed(
  store: MetricsStore,
  campaignId: string,
  propertyId: string,
  offsets = [-8, -7, -6, -5, -4, -3, -2, -1, 0],
) {
  const weeks = offsets.map((offset) => ({
    weekStart: addWeeks(reportWeek.start, offset),
    leads: offset + 10,
  }));
  await store.putCampaignWeeks(
    weeks.map(({ weekStart, leads }) =>
      campaignWeek({ campaignId, propertyId, weekStart, metrics: metrics({ leads }) }),
    ),
  );
  await store.putPropertyWeeks(
    weeks.map(({ weekStart, leads }) =>
      propertyWeek({ propertyId, weekStart, metrics: metrics({ leads }) }),
    ),
  );
  for (const { weekStart, leads } of weeks) {
    await store.applyAllTime(propertyWeek({ propertyId, weekStart, metrics: metrics({ leads }) }));
  }
}

describe('loadHistory', () => {
  it('returns the weeks before the report week', async () => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];
    await seed(store, campaignId, propertyId);

    const history = await loadHistory(store, {
      campaignIds: [campaignId],
      propertyIds: [propertyId],
      reportWeek,
      weeks: 4,
    });

    expect(history.campaigns.get(campaignId)?.map((w) => w.weekStart)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
  });

  it('returns property weeks oldest first', async () => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];
    await seed(store, campaignId, propertyId);

    const history = await loadHistory(store, {
      campaignIds: [campaignId],
      propertyIds: [propertyId],
      reportWeek,
      weeks: 4,
    });

    expect(history.properties.get(propertyId)?.map((w) => w.metrics.leads)).toEqual([6, 7, 8, 9]);
  });

  it('leaves out property weeks before the window', async () => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];
    await seed(store, campaignId, propertyId, [-8, -7, -1]);

    const history = await loadHistory(store, {
      campaignIds: [campaignId],
      propertyIds: [propertyId],
      reportWeek,
      weeks: 4,
    });

    expect(history.properties.get(propertyId)?.map((w) => w.weekStart)).toEqual(['2026-11-16']);
  });

  it('returns empty lists for unknown ids', async () => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];

    const history = await loadHistory(store, {
      campaignIds: [campaignId],
      propertyIds: [propertyId],
      reportWeek,
      weeks: 4,
    });

    expect([
      history.campaigns.get(campaignId),
      history.properties.get(propertyId),
      history.allTime.has(propertyId),
    ]).toEqual([[], [], false]);
  });

  it('includes all-time totals', async () => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];
    await seed(store, campaignId, propertyId);

    const history = await loadHistory(store, {
      campaignIds: [],
      propertyIds: [propertyId],
      reportWeek,
      weeks: 4,
    });

    // Offsets -8 … 0 give 2 + 3 + … + 10 leads.
    expect(history.allTime.get(propertyId)?.metrics.leads).toBe(54);
  });

  it.each([0, -1])('returns no weeks for %s weeks', async (weeks) => {
    const store = newStore();
    const [campaignId, propertyId] = [uniqueId('c'), uniqueId('p')];
    await seed(store, campaignId, propertyId, [-1]);

    const history = await loadHistory(store, {
      campaignIds: [campaignId],
      propertyIds: [propertyId],
      reportWeek,
      weeks,
    });

    expect([history.campaigns.get(campaignId), history.properties.get(propertyId)]).toEqual([
      [],
      [],
    ]);
  });
});
