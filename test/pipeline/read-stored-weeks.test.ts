import { describe, expect, it } from 'vitest';
import {
  readPropertyWeeks,
  readStoredWeeks,
  readUnlistedCampaigns,
  weekKey,
} from '../../src/pipeline/read-stored-weeks.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { addWeeks, campaignWeek, propertyWeek } from '../storage/builders.ts';

const backend = useLocalBackend();
const reportWeek = { start: '2026-11-23', end: '2026-11-29' };

function newStore(): MetricsStore {
  return new MetricsStore(backend().clients.dynamo, backend().metricsTable, {
    sleep: async () => {},
  });
}

function weeksBack(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const start = addWeeks(reportWeek.start, i - count + 1);

    return { start, end: start };
  });
}

/** Stores one campaign-week and its property-week, listing `listed` campaigns (or no list). */
async function seed(
  store: MetricsStore,
  ids: { campaignId: string; propertyId: string },
  weekStart: string,
  listed?: string[],
) {
  await store.putCampaignWeeks([campaignWeek({ ...ids, weekStart })]);
  await store.putPropertyWeeks([
    propertyWeek({ propertyId: ids.propertyId, weekStart, campaignIds: listed }),
  ]);
}

/** Reads the property-weeks of `input`, then the campaign-weeks they list, as a run does. */
async function readBoth(store: MetricsStore, input: Parameters<typeof readPropertyWeeks>[1]) {
  return readStoredWeeks(store, await readPropertyWeeks(store, input));
}

function newIds() {
  return { campaignId: uniqueId('c'), propertyId: uniqueId('p') };
}

describe('readStoredWeeks', () => {
  it('reads the campaigns a property-week lists', async () => {
    const store = newStore();
    const ids = newIds();
    await seed(store, ids, reportWeek.start, [ids.campaignId]);

    const stored = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(2),
    });

    expect(stored.campaigns.has(weekKey(ids.campaignId, reportWeek.start))).toBe(true);
  });

  it('skips campaigns the list does not name', async () => {
    const store = newStore();
    const ids = newIds();
    await seed(store, ids, reportWeek.start, []);

    const stored = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(2),
    });

    expect(stored.campaigns.size).toBe(0);
  });

  it('leaves out weeks outside the window', async () => {
    const store = newStore();
    const ids = newIds();
    await seed(store, ids, addWeeks(reportWeek.start, -3), [ids.campaignId]);

    const stored = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(2),
    });

    expect([stored.properties.size, stored.campaigns.size]).toEqual([0, 0]);
  });

  it('marks only property-weeks with a list as listed', async () => {
    const store = newStore();
    const ids = newIds();
    await seed(store, ids, addWeeks(reportWeek.start, -1));
    await seed(store, ids, reportWeek.start, [ids.campaignId]);

    const stored = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(2),
    });

    expect([...stored.listed]).toEqual([weekKey(ids.propertyId, reportWeek.start)]);
  });
});

describe('readUnlistedCampaigns', () => {
  it('reads campaigns of weeks stored without a list', async () => {
    const store = newStore();
    const ids = newIds();
    const earlier = addWeeks(reportWeek.start, -1);
    await seed(store, ids, earlier);
    const known = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(2),
    });

    const stored = await readUnlistedCampaigns(store, known, {
      campaignWeeks: [campaignWeek({ ...ids, weekStart: reportWeek.start })],
      weeks: weeksBack(2),
    });

    expect(stored.campaigns.has(weekKey(ids.campaignId, earlier))).toBe(true);
  });

  it('trusts the list of a listed week', async () => {
    const store = newStore();
    const ids = newIds();
    await seed(store, ids, reportWeek.start, []);
    const known = await readBoth(store, {
      propertyIds: [ids.propertyId],
      weeks: weeksBack(1),
    });

    const stored = await readUnlistedCampaigns(store, known, {
      campaignWeeks: [campaignWeek({ ...ids, weekStart: reportWeek.start })],
      weeks: weeksBack(1),
    });

    expect(stored).toBe(known);
  });
});
