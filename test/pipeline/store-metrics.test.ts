import { describe, expect, it } from 'vitest';
import {
  readPropertyWeeks,
  readStoredWeeks,
  readUnlistedCampaigns,
} from '../../src/pipeline/read-stored-weeks.ts';
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

type Weeks = Parameters<typeof storeMetrics>[1];

/** Builds one property and one campaign over `weeks` weeks to 2026-11-23, `leads` leads a week. */
function run(
  ids: { propertyId: string; campaignId: string; reportId: string },
  weeks: number,
  leads: number,
  runId = 'run-1',
): Weeks {
  const starts = Array.from({ length: weeks }, (_, i) => addWeeks('2026-11-23', i - weeks + 1));

  return {
    campaignWeeks: starts.map((weekStart) =>
      campaignWeek({ ...ids, weekStart, runId, metrics: metrics({ leads }) }),
    ),
    propertyWeeks: starts.map((weekStart) =>
      propertyWeek({
        ...ids,
        weekStart,
        runId,
        metrics: metrics({ leads }),
        campaignIds: [ids.campaignId],
      }),
    ),
  };
}

/** Reads what is stored for the weeks of `input`, as a run does, then stores `input`. */
async function store(metricsStore: MetricsStore, input: Weeks) {
  const weeks = [...new Set(input.propertyWeeks.map((w) => w.weekStart))].map((start) => ({
    start,
    end: start,
  }));
  const known = await readStoredWeeks(
    metricsStore,
    await readPropertyWeeks(metricsStore, {
      propertyIds: input.propertyWeeks.map((w) => w.propertyId),
      weeks,
    }),
  );
  const before = await readUnlistedCampaigns(metricsStore, known, {
    campaignWeeks: input.campaignWeeks,
    weeks,
  });

  return storeMetrics(metricsStore, input, before);
}

function newIds() {
  return { propertyId: uniqueId('p'), campaignId: uniqueId('c'), reportId: uniqueId('r') };
}

describe('storeMetrics', () => {
  it('replaces nothing on the first run', async () => {
    const result = await store(newStore(), run(newIds(), 1, 5));

    expect(result.replaced).toEqual([]);
  });

  it('returns the values a restatement replaced', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 1, 5));

    const result = await store(metricsStore, run(ids, 1, 7));

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
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 1, 5));
    await store(metricsStore, run(ids, 1, 7));

    const [week] = await metricsStore.getCampaignWeeks([
      { campaignId: ids.campaignId, weekStart: '2026-11-23' },
    ]);

    expect(week?.metrics.leads).toBe(7);
  });

  it('keeps the earlier item when the figures did not change', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 1, 5, 'run-1'));
    await store(metricsStore, run(ids, 1, 5, 'run-2'));

    const [week] = await metricsStore.getCampaignWeeks([
      { campaignId: ids.campaignId, weekStart: '2026-11-23' },
    ]);

    expect(week?.runId).toBe('run-1');
  });

  it('rewrites the item when an ad set changed', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 1, 5, 'run-1'));
    const next = run(ids, 1, 5, 'run-2');
    const [first] = next.campaignWeeks;
    if (!first) throw new Error('no campaign week built');
    next.campaignWeeks = [
      { ...first, adsets: first.adsets.map((a) => ({ ...a, adsetName: 'Renamed' })) },
    ];
    await store(metricsStore, next);

    const [week] = await metricsStore.getCampaignWeeks([
      { campaignId: ids.campaignId, weekStart: '2026-11-23' },
    ]);

    expect(week?.adsets.map((a) => a.adsetName)).toEqual(['Renamed']);
  });

  it('keeps the campaigns an earlier run listed for the week', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 1, 5));
    const other = { ...ids, campaignId: uniqueId('c') };
    await store(metricsStore, run(other, 1, 5));

    const [week] = await metricsStore.getPropertyHistory(ids.propertyId, '2026-11-23', 1);

    expect(week?.campaignIds).toEqual([ids.campaignId, other.campaignId].sort());
  });

  it('returns all-time totals per property', async () => {
    const ids = newIds();

    const result = await store(newStore(), run(ids, 4, 5));

    expect(result.allTime.get(ids.propertyId)).toMatchObject({
      weekCount: 4,
      firstWeek: '2026-11-02',
      lastWeek: '2026-11-23',
      metrics: metrics({ leads: 20 }),
    });
  });

  it('keeps all-time totals idempotent across reruns', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 5, 5));

    const result = await store(metricsStore, run(ids, 5, 5));

    expect(result.allTime.get(ids.propertyId)?.metrics.leads).toBe(25);
  });

  it('applies restated weeks to all-time totals', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    await store(metricsStore, run(ids, 5, 5));

    // Meta restated the last five weeks from 5 to 6 leads each.
    const result = await store(metricsStore, run(ids, 5, 6));

    expect(result.allTime.get(ids.propertyId)?.metrics.leads).toBe(30);
  });

  it('adds its campaigns to the catalog', async () => {
    const metricsStore = newStore();
    const ids = newIds();

    await store(metricsStore, run(ids, 2, 5));

    expect(await metricsStore.getCatalog(ids.reportId)).toEqual([
      {
        campaignId: ids.campaignId,
        campaignName: 'Spring open house',
        propertyId: ids.propertyId,
        lastWeek: '2026-11-23',
      },
    ]);
  });

  it('writes nothing when one item is invalid', async () => {
    const metricsStore = newStore();
    const ids = newIds();
    const input = run(ids, 1, 5);
    const badProperty = {
      ...input.propertyWeeks[0],
      metrics: metrics({ spendMinor: Number.NaN }),
    } as (typeof input.propertyWeeks)[0];

    const error = await store(metricsStore, { ...input, propertyWeeks: [badProperty] }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(StoreError);
    expect(
      await metricsStore.getCampaignWeeks([
        { campaignId: ids.campaignId, weekStart: '2026-11-23' },
      ]),
    ).toEqual([]);
  });
});
