import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/shared/errors.ts';
import { createAwsClients, destroyAwsClients } from '../../src/storage/aws-clients.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from './builders.ts';
import { DynamoFaultProxy } from './dynamo-fault-proxy.ts';

const backend = useLocalBackend();
const noSleep = async () => {};

function newStore(): MetricsStore {
  return new MetricsStore(backend().clients.dynamo, backend().metricsTable, { sleep: noSleep });
}

describe('MetricsStore campaign weeks', () => {
  it('reads back a stored campaign-week', async () => {
    const store = newStore();
    const week = campaignWeek({ campaignId: uniqueId('c') });
    await store.putCampaignWeeks([week]);

    const [read] = await store.getCampaignWeeks([
      { campaignId: week.campaignId, weekStart: week.weekStart },
    ]);

    expect(read).toEqual(week);
  });

  it('leaves out keys with no item', async () => {
    const store = newStore();

    const read = await store.getCampaignWeeks([
      { campaignId: uniqueId('c'), weekStart: '2026-11-23' },
    ]);

    expect(read).toEqual([]);
  });

  it('overwrites a week on upsert', async () => {
    const store = newStore();
    const week = campaignWeek({ campaignId: uniqueId('c') });
    await store.putCampaignWeeks([week]);
    await store.putCampaignWeeks([{ ...week, metrics: metrics({ leads: 99 }) }]);

    const [read] = await store.getCampaignWeeks([
      { campaignId: week.campaignId, weekStart: week.weekStart },
    ]);

    expect(read?.metrics.leads).toBe(99);
  });

  it('keeps the last of duplicate keys', async () => {
    const store = newStore();
    const week = campaignWeek({ campaignId: uniqueId('c') });
    await store.putCampaignWeeks([week, { ...week, metrics: metrics({ spendMinor: 5 }) }]);

    const [read] = await store.getCampaignWeeks([
      { campaignId: week.campaignId, weekStart: week.weekStart },
    ]);

    expect(read?.metrics.spendMinor).toBe(5);
  });

  it('reads more than 100 keys in one call', async () => {
    const store = newStore();
    const weeks = Array.from({ length: 130 }, (_, i) =>
      campaignWeek({ campaignId: uniqueId(`c${i}`) }),
    );
    await store.putCampaignWeeks(weeks);

    const read = await store.getCampaignWeeks(
      weeks.map(({ campaignId, weekStart }) => ({ campaignId, weekStart })),
    );

    expect(read.map((w) => w.campaignId)).toEqual(weeks.map((w) => w.campaignId));
  });

  it.each([
    { field: 'spendMinor', value: Number.NaN },
    { field: 'clicks', value: Number.POSITIVE_INFINITY },
    { field: 'leads', value: -1 },
    { field: 'impressions', value: 1.5 },
  ])('rejects $field of $value before writing', async ({ field, value }) => {
    const store = newStore();
    const good = campaignWeek({ campaignId: uniqueId('good') });
    const bad = campaignWeek({ campaignId: uniqueId('bad'), metrics: metrics({ [field]: value }) });

    const error = await store.putCampaignWeeks([good, bad]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(
      `metrics.${field} of campaign ${bad.campaignId} week 2026-11-23`,
    );
    expect(
      await store.getCampaignWeeks([{ campaignId: good.campaignId, weekStart: good.weekStart }]),
    ).toEqual([]);
  });
});

describe('MetricsStore history', () => {
  it('returns the last weeks oldest first', async () => {
    const store = newStore();
    const campaignId = uniqueId('c');
    const starts = [0, 1, 2, 3, 4, 5].map((n) => addWeeks('2026-10-05', n));
    await store.putCampaignWeeks(
      starts.map((weekStart) => campaignWeek({ campaignId, weekStart })),
    );

    const history = await store.getCampaignHistory(campaignId, starts[4] as string, 3);

    expect(history.map((w) => w.weekStart)).toEqual(starts.slice(2, 5));
  });

  it('returns property weeks oldest first', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    const starts = [0, 1, 2].map((n) => addWeeks('2026-10-05', n));
    await store.putPropertyWeeks(
      starts.map((weekStart) => propertyWeek({ propertyId, weekStart })),
    );

    const history = await store.getPropertyHistory(propertyId, starts[2] as string, 12);

    expect(history.map((w) => w.weekStart)).toEqual(starts);
  });

  it('ignores aggregate partitions as campaign ids', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    await store.putPropertyWeeks([propertyWeek({ propertyId })]);

    const campaigns = await store.getCampaignHistory(`property#${propertyId}`, '2026-11-23', 4);

    expect(campaigns).toEqual([]);
  });
});

describe('MetricsStore getCampaignsOfPropertyWeek', () => {
  it('returns every campaign across pages', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    // About 2.5 KB per item, so 500 items pass the 1 MB page limit of a Query.
    const filler = 'x'.repeat(2_500);
    const weeks = Array.from({ length: 500 }, (_, i) =>
      campaignWeek({
        campaignId: `${propertyId}-${String(i).padStart(3, '0')}`,
        propertyId,
        campaignName: filler,
      }),
    );
    await store.putCampaignWeeks([
      ...weeks,
      campaignWeek({ campaignId: uniqueId('other'), propertyId: uniqueId('p') }),
    ]);

    const read = await store.getCampaignsOfPropertyWeek(propertyId, '2026-11-23');

    expect(read.map((w) => w.campaignId).sort()).toEqual(weeks.map((w) => w.campaignId));
  });
});

describe('MetricsStore applyAllTime', () => {
  it('sums the weeks of a property', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-11-16', metrics: metrics({ leads: 3 }) }),
    );

    const totals = await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-11-23', metrics: metrics({ leads: 4 }) }),
    );

    expect(totals).toEqual({
      propertyId,
      metrics: metrics({ leads: 7 }),
      firstWeek: '2026-11-16',
      lastWeek: '2026-11-23',
      weekCount: 2,
    });
  });

  it('is idempotent for one week', async () => {
    const store = newStore();
    const week = propertyWeek({ propertyId: uniqueId('p'), metrics: metrics({ leads: 3 }) });
    await store.applyAllTime(week);

    const totals = await store.applyAllTime(week);

    expect(totals.metrics.leads).toBe(3);
  });

  it('replaces a restated open week', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-11-16', metrics: metrics({ leads: 3 }) }),
    );
    await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-11-23', metrics: metrics({ leads: 4 }) }),
    );

    const totals = await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-11-16', metrics: metrics({ leads: 5 }) }),
    );

    expect(totals.metrics.leads).toBe(9);
  });

  it('ignores restatements of frozen weeks', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    for (let n = 0; n < 8; n += 1) {
      await store.applyAllTime(
        propertyWeek({
          propertyId,
          weekStart: addWeeks('2026-09-07', n),
          metrics: metrics({ leads: 1 }),
        }),
      );
    }

    const totals = await store.applyAllTime(
      propertyWeek({ propertyId, weekStart: '2026-09-07', metrics: metrics({ leads: 50 }) }),
    );

    expect(totals.metrics.leads).toBe(8);
    expect(totals.weekCount).toBe(8);
  });

  it('adds HubSpot leads filled for a frozen week', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    for (let n = 0; n < 8; n += 1) {
      const weekStart = addWeeks('2026-09-07', n);
      await store.applyAllTime(
        propertyWeek({ propertyId, weekStart, metrics: metrics({ leads: 1 }) }),
      );
    }
    const filled = propertyWeek({
      propertyId,
      weekStart: '2026-09-07',
      metrics: metrics({ leads: 1, hubspotLeads: 6 }),
    });

    await store.applyFilledHubspotLeads(filled, 0);
    const totals = await store.applyFilledHubspotLeads(filled, 0);

    expect(totals.metrics.hubspotLeads).toBe(6);
    expect(totals.metrics.leads).toBe(8);
  });

  it('counts concurrent weeks exactly once', async () => {
    const store = newStore();
    const propertyId = uniqueId('p');
    const weeks = [0, 1, 2, 3, 4].map((n) =>
      propertyWeek({
        propertyId,
        weekStart: addWeeks('2026-10-05', n),
        metrics: metrics({ leads: 10 ** n }),
      }),
    );

    await Promise.all(weeks.map((week) => store.applyAllTime(week)));

    expect((await store.getAllTime(propertyId))?.metrics.leads).toBe(11_111);
  });

  it('returns null before the first week', async () => {
    const store = newStore();

    const totals = await store.getAllTime(uniqueId('p'));

    expect(totals).toBeNull();
  });
});

describe('MetricsStore catalog', () => {
  it('merges entries by campaign id', async () => {
    const store = newStore();
    const reportId = uniqueId('r');
    await store.putCatalog(reportId, [
      { campaignId: '1', campaignName: 'Beta', propertyId: 'p', lastWeek: '2026-11-16' },
      { campaignId: '2', campaignName: 'Alpha', propertyId: 'p', lastWeek: '2026-11-16' },
    ]);
    await store.putCatalog(reportId, [
      { campaignId: '1', campaignName: 'Beta renamed', propertyId: 'p', lastWeek: '2026-11-23' },
    ]);

    const catalog = await store.getCatalog(reportId);

    expect(catalog.map((e) => [e.campaignId, e.campaignName, e.lastWeek])).toEqual([
      ['2', 'Alpha', '2026-11-16'],
      ['1', 'Beta renamed', '2026-11-23'],
    ]);
  });

  it('keeps the newer name on an older week', async () => {
    const store = newStore();
    const reportId = uniqueId('r');
    await store.putCatalog(reportId, [
      { campaignId: '1', campaignName: 'New', propertyId: 'p', lastWeek: '2026-11-23' },
    ]);
    await store.putCatalog(reportId, [
      { campaignId: '1', campaignName: 'Old', propertyId: 'p', lastWeek: '2026-11-02' },
    ]);

    const catalog = await store.getCatalog(reportId);

    expect(catalog.map((e) => e.campaignName)).toEqual(['New']);
  });
  it('stores more than one item can hold', async () => {
    const store = newStore();
    const reportId = uniqueId('r');
    // 1,200 entries of about 450 bytes pass DynamoDB's 400 KB item limit.
    const entries = Array.from({ length: 1_200 }, (_, i) => ({
      campaignId: String(100_000 + i),
      campaignName: `Campaign ${'x'.repeat(400)} ${i}`,
      propertyId: 'p',
      lastWeek: '2026-11-23',
    }));

    await store.putCatalog(reportId, entries);

    expect(await store.getCatalog(reportId)).toHaveLength(1_200);
  });
});

describe('MetricsStore batch faults', () => {
  let proxy: DynamoFaultProxy;
  let clients: ReturnType<typeof createAwsClients>;
  const sleeps: number[] = [];

  function proxiedStore(maxBatchAttempts = 8): MetricsStore {
    return new MetricsStore(clients.dynamo, backend().metricsTable, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      maxBatchAttempts,
    });
  }

  beforeAll(async () => {
    proxy = new DynamoFaultProxy(backend().endpoints.dynamodb, ['campaign_id', 'week_start_date']);
    const url = await proxy.start();
    clients = createAwsClients({
      endpoints: { dynamodb: url },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    destroyAwsClients(clients);
    await proxy.stop();
  });

  beforeEach(() => {
    proxy.calls.clear();
    proxy.writeFaults.length = 0;
    proxy.getFaults.length = 0;
    proxy.persistentFault = null;
    sleeps.length = 0;
  });

  it('writes 60 items in three batches', async () => {
    const weeks = Array.from({ length: 60 }, (_, i) =>
      campaignWeek({ campaignId: uniqueId(`c${i}`) }),
    );

    await proxiedStore().putCampaignWeeks(weeks);

    expect(proxy.count('BatchWriteItem')).toBe(3);
  });

  it('resends unprocessed items until written', async () => {
    const weeks = Array.from({ length: 10 }, (_, i) =>
      campaignWeek({ campaignId: uniqueId(`c${i}`) }),
    );
    proxy.writeFaults.push('unprocess-half', 'unprocess-half');

    await proxiedStore().putCampaignWeeks(weeks);
    const read = await newStore().getCampaignWeeks(
      weeks.map(({ campaignId, weekStart }) => ({ campaignId, weekStart })),
    );

    expect(read).toHaveLength(10);
    expect(proxy.count('BatchWriteItem')).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('throws listing keys past the cap', async () => {
    const week = campaignWeek({ campaignId: uniqueId('stuck') });
    proxy.persistentFault = 'unprocess-all';

    const error = await proxiedStore(3)
      .putCampaignWeeks([week])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('batch_write_incomplete');
    expect((error as StoreError).message).toContain(
      `campaign_id=${week.campaignId}|week_start_date=2026-11-23`,
    );
    expect(proxy.count('BatchWriteItem')).toBe(3);
  });

  it('avoids the duplicate-key ValidationException', async () => {
    const week = campaignWeek({ campaignId: uniqueId('dup') });

    await proxiedStore().putCampaignWeeks([week, { ...week, metrics: metrics({ leads: 1 }) }]);

    expect(proxy.count('BatchWriteItem')).toBe(1);
  });

  it('retries unprocessed keys of BatchGet', async () => {
    const weeks = Array.from({ length: 8 }, (_, i) =>
      campaignWeek({ campaignId: uniqueId(`c${i}`) }),
    );
    await newStore().putCampaignWeeks(weeks);
    proxy.getFaults.push('unprocess-half');

    const read = await proxiedStore().getCampaignWeeks(
      weeks.map(({ campaignId, weekStart }) => ({ campaignId, weekStart })),
    );

    expect(read.map((w) => w.campaignId)).toEqual(weeks.map((w) => w.campaignId));
    expect(proxy.count('BatchGetItem')).toBe(2);
  });

  it('throws when BatchGet keys stay unprocessed', async () => {
    proxy.persistentFault = 'unprocess-all';

    const error = await proxiedStore(2)
      .getCampaignWeeks([{ campaignId: 'c', weekStart: '2026-11-23' }])
      .catch((e: unknown) => e);

    expect((error as StoreError).code).toBe('batch_get_incomplete');
  });
});
