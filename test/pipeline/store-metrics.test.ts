import { describe, expect, it } from 'vitest';
import { storeMetrics } from '../../src/pipeline/store-metrics.ts';
import { StoreError } from '../../src/shared/errors.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from '../storage/builders.ts';

const backend = useLocalBackend();

function newStore(): MetricsStore {
  return new MetricsStore(backend().clients.dynamo, backend().metricsTable, {
    sleep: async () => {},
  });
}

/** Builds one property and one campaign over `weeks` weeks to 2026-11-23, `leads` leads a week. */
function run(
  ids: { propertyId: string; campaignId: string; reportId: string },
  weeks: number,
  leads: number,
) {
  const starts = Array.from({ length: weeks }, (_, i) => addWeeks('2026-11-23', i - weeks + 1));

  return {
    campaignWeeks: starts.map((weekStart) =>
      campaignWeek({ ...ids, weekStart, metrics: metrics({ leads }) }),
    ),
    propertyWeeks: starts.map((weekStart) =>
      propertyWeek({ ...ids, weekStart, metrics: metrics({ leads }) }),
    ),
  };
}

function newIds() {
  return { propertyId: uniqueId('p'), campaignId: uniqueId('c'), reportId: uniqueId('r') };
}

describe('storeMetrics', () => {
  it('replaces nothing on the first run', async () => {
    const result = await storeMetrics(newStore(), run(newIds(), 1, 5));

    expect(result.replaced).toEqual([]);
  });

  it('returns the values a restatement replaced', async () => {
    const store = newStore();
    const ids = newIds();
    await storeMetrics(store, run(ids, 1, 5));

    const result = await storeMetrics(store, run(ids, 1, 7));

    expect(result.replaced).toEqual([
      {
        kind: 'campaign',
        id: ids.campaignId,
        propertyId: ids.propertyId,
        weekStart: '2026-11-23',
        metrics: metrics({ leads: 5 }),
      },
      {
        kind: 'property',
        id: ids.propertyId,
        propertyId: ids.propertyId,
        weekStart: '2026-11-23',
        metrics: metrics({ leads: 5 }),
      },
    ]);
  });

  it('stores the new values', async () => {
    const store = newStore();
    const ids = newIds();
    await storeMetrics(store, run(ids, 1, 5));
    await storeMetrics(store, run(ids, 1, 7));

    const [week] = await store.getCampaignWeeks([
      { campaignId: ids.campaignId, weekStart: '2026-11-23' },
    ]);

    expect(week?.metrics.leads).toBe(7);
  });

  it('returns all-time totals per property', async () => {
    const ids = newIds();

    const result = await storeMetrics(newStore(), run(ids, 4, 5));

    expect(result.allTime.get(ids.propertyId)).toMatchObject({
      weekCount: 4,
      firstWeek: '2026-11-02',
      lastWeek: '2026-11-23',
      metrics: metrics({ leads: 20 }),
    });
  });

  it('keeps all-time totals idempotent across reruns', async () => {
    const store = newStore();
    const ids = newIds();
    await storeMetrics(store, run(ids, 5, 5));

    const result = await storeMetrics(store, run(ids, 5, 5));

    expect(result.allTime.get(ids.propertyId)?.metrics.leads).toBe(25);
  });

  it('applies restated weeks to all-time totals', async () => {
    const store = newStore();
    const ids = newIds();
    await storeMetrics(store, run(ids, 5, 5));

    // Meta restated the last five weeks from 5 to 6 leads each.
    const result = await storeMetrics(store, run(ids, 5, 6));

    expect(result.allTime.get(ids.propertyId)?.metrics.leads).toBe(30);
  });

  it('adds its campaigns to the catalog', async () => {
    const store = newStore();
    const ids = newIds();

    await storeMetrics(store, run(ids, 2, 5));

    expect(await store.getCatalog(ids.reportId)).toEqual([
      {
        campaignId: ids.campaignId,
        campaignName: 'Spring open house',
        propertyId: ids.propertyId,
        lastWeek: '2026-11-23',
      },
    ]);
  });

  it('writes nothing when one item is invalid', async () => {
    const store = newStore();
    const ids = newIds();
    const input = run(ids, 1, 5);
    const badProperty = {
      ...input.propertyWeeks[0],
      metrics: metrics({ spendMinor: Number.NaN }),
    } as (typeof input.propertyWeeks)[0];

    const error = await storeMetrics(store, { ...input, propertyWeeks: [badProperty] }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(StoreError);
    expect(
      await store.getCampaignWeeks([{ campaignId: ids.campaignId, weekStart: '2026-11-23' }]),
    ).toEqual([]);
  });
});
