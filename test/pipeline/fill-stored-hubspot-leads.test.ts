import { describe, expect, it } from 'vitest';
import { type PropertyConfig, propertySchema } from '../../src/config/schema.ts';
import { LOCAL_NAMES } from '../../src/local/emulators.ts';
import type { FetchedSources } from '../../src/pipeline/fetch-sources.ts';
import {
  countStoredWeeks,
  fillStoredHubSpotLeads,
  selectUncountedWeeks,
  splitEarlierPayloads,
} from '../../src/pipeline/fill-stored-hubspot-leads.ts';
import { readStoredWeeks, weekKey } from '../../src/pipeline/read-stored-weeks.ts';
import type { CampaignWeek, PropertyWeek, RawPayload, Week } from '../../src/shared/types.ts';
import { OPEN_WEEKS } from '../../src/storage/all-time.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from '../storage/builders.ts';

const backend = useLocalBackend();
const REPORT = '2026-11-23';
const EARLIER = addWeeks(REPORT, -6);

function weeksBack(...offsets: number[]): Week[] {
  return offsets.map((offset) => {
    const start = addWeeks(REPORT, -offset);

    return { start, end: start };
  });
}

function property(id: string): PropertyConfig {
  return propertySchema.parse({ id, name: id, metaAdAccountId: 'act_1' });
}

/** Builds a HubSpot payload of `weekStart` whose contacts carry these properties. */
function contacts(weekStart: string, ...list: Array<Record<string, string>>): RawPayload {
  return {
    key: { source: 'hubspot', account: 'acme', weekStart, runId: 'run-9', name: 'contacts' },
    fetchedAt: '2026-11-30T07:00:00.000Z',
    request: { url: 'http://127.0.0.1/crm/v3/objects/contacts/search', params: {} },
    pages: [
      {
        total: list.length,
        results: list.map((properties, index) => ({
          id: String(index + 1),
          properties: { createdate: `${weekStart}T12:00:00.000Z`, ...properties },
        })),
      },
    ],
  };
}

function storedWeeks(campaigns: CampaignWeek[], properties: PropertyWeek[]) {
  return {
    campaigns: new Map(campaigns.map((week) => [weekKey(week.campaignId, week.weekStart), week])),
    properties: new Map(properties.map((week) => [weekKey(week.propertyId, week.weekStart), week])),
    listed: new Set(properties.map((week) => weekKey(week.propertyId, week.weekStart))),
  };
}

/** Campaign 100 (ad set 101) of property `home` and campaign 200 of `branch`, week `EARLIER`. */
function twoProperties(counted: { home: boolean; branch: boolean }) {
  const home = campaignWeek({
    campaignId: '100',
    propertyId: 'home',
    weekStart: EARLIER,
    adsets: [{ adsetId: '101', adsetName: 'Students', metrics: metrics({ spendMinor: 500 }) }],
    hubspotCounted: counted.home,
  });
  const branch = campaignWeek({
    campaignId: '200',
    propertyId: 'branch',
    weekStart: EARLIER,
    adsets: [],
    hubspotCounted: counted.branch,
  });

  return storedWeeks(
    [home, branch],
    [
      propertyWeek({
        propertyId: 'home',
        weekStart: EARLIER,
        campaignIds: ['100'],
        unattributedHubspotLeads: 0,
        hubspotCounted: counted.home,
      }),
      propertyWeek({
        propertyId: 'branch',
        weekStart: EARLIER,
        campaignIds: ['200'],
        unattributedHubspotLeads: 0,
        metrics: metrics({ spendMinor: 900, hubspotLeads: 7 }),
        hubspotCounted: counted.branch,
      }),
    ],
  );
}

describe('selectUncountedWeeks', () => {
  it('returns uncounted weeks newest first', () => {
    const stored = [6, 8, 5].map((back) =>
      propertyWeek({ propertyId: 'p1', weekStart: addWeeks(REPORT, -back), hubspotCounted: false }),
    );

    const weeks = selectUncountedWeeks(stored, {
      propertyIds: ['p1'],
      weeks: weeksBack(8, 7, 6, 5),
      max: 8,
    });

    expect(weeks.map((week) => week.start)).toEqual([5, 6, 8].map((b) => addWeeks(REPORT, -b)));
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [5, 3],
  ])('returns at most %i of three weeks', (max, expected) => {
    const stored = [5, 6, 7].map((back) =>
      propertyWeek({ propertyId: 'p1', weekStart: addWeeks(REPORT, -back), hubspotCounted: false }),
    );

    const weeks = selectUncountedWeeks(stored, {
      propertyIds: ['p1'],
      weeks: weeksBack(7, 6, 5),
      max,
    });

    expect(weeks).toHaveLength(expected);
  });

  it('skips counted and flagless weeks', () => {
    const stored = [
      propertyWeek({ propertyId: 'p1', weekStart: addWeeks(REPORT, -5), hubspotCounted: true }),
      propertyWeek({ propertyId: 'p1', weekStart: addWeeks(REPORT, -6) }),
    ];

    const weeks = selectUncountedWeeks(stored, {
      propertyIds: ['p1'],
      weeks: weeksBack(6, 5),
      max: 8,
    });

    expect(weeks).toEqual([]);
  });

  it('skips properties outside the report', () => {
    const stored = [
      propertyWeek({ propertyId: 'gone', weekStart: addWeeks(REPORT, -5), hubspotCounted: false }),
    ];

    const weeks = selectUncountedWeeks(stored, {
      propertyIds: ['p1'],
      weeks: weeksBack(5),
      max: 8,
    });

    expect(weeks).toEqual([]);
  });

  it('skips weeks with nothing stored', () => {
    const weeks = selectUncountedWeeks([], { propertyIds: ['p1'], weeks: weeksBack(6, 5), max: 8 });

    expect(weeks).toEqual([]);
  });
});

describe('splitEarlierPayloads', () => {
  it('separates payloads before the fetch weeks', () => {
    const fetched: FetchedSources = {
      properties: [],
      hubspot: {
        configured: true,
        payloads: [contacts(EARLIER), contacts(REPORT)],
        unavailableReason: null,
      },
      archivedKeys: [],
    };

    const split = splitEarlierPayloads(fetched, weeksBack(0));

    expect(split.fetched.hubspot.payloads.map((p) => p.key.weekStart)).toEqual([REPORT]);
    expect(split.earlier.map((p) => p.key.weekStart)).toEqual([EARLIER]);
  });
});

describe('countStoredWeeks', () => {
  const properties = [property('home'), property('branch')];

  it('counts contacts on the uncounted campaign', () => {
    const stored = twoProperties({ home: false, branch: true });
    const payload = contacts(EARLIER, { hsa_cam: '100', hsa_grp: '101' }, { hsa_cam: '100' });

    const filled = countStoredWeeks(stored, { payloads: [payload], properties });

    const [campaign] = filled.campaignWeeks;
    expect(campaign?.metrics.hubspotLeads).toBe(2);
    expect(campaign?.adsets[0]?.metrics.hubspotLeads).toBe(1);
    expect(campaign?.hubspotCounted).toBe(true);
  });

  it('sets the property total and its unattributed leads', () => {
    const stored = twoProperties({ home: false, branch: true });
    const payload = contacts(EARLIER, { hsa_cam: '100' }, { hs_analytics_source_data_2: 'x' });
    const onlyHome = [property('home')];

    const filled = countStoredWeeks(stored, { payloads: [payload], properties: onlyHome });

    const [home] = filled.propertyWeeks;
    expect(home?.metrics.hubspotLeads).toBe(2);
    expect(home?.unattributedHubspotLeads).toBe(1);
    expect(home?.hubspotCounted).toBe(true);
  });

  it('keeps every other stored field', () => {
    const stored = twoProperties({ home: false, branch: true });
    const before = stored.campaigns.get(weekKey('100', EARLIER)) as CampaignWeek;
    const payload = contacts(EARLIER, { hsa_cam: '100', hsa_grp: '101' });

    const filled = countStoredWeeks(stored, { payloads: [payload], properties });

    const [campaign] = filled.campaignWeeks;
    expect(campaign).toEqual({
      ...before,
      metrics: { ...before.metrics, hubspotLeads: 1 },
      adsets: [{ ...before.adsets[0], metrics: { ...before.adsets[0]?.metrics, hubspotLeads: 1 } }],
      hubspotCounted: true,
    });
    const home = stored.properties.get(weekKey('home', EARLIER)) as PropertyWeek;
    expect(filled.propertyWeeks[0]).toEqual({
      ...home,
      metrics: { ...home.metrics, hubspotLeads: 1 },
      unattributedHubspotLeads: 0,
      hubspotCounted: true,
    });
  });

  it('leaves a counted property as stored', () => {
    const stored = twoProperties({ home: false, branch: true });
    const payload = contacts(EARLIER, { hsa_cam: '200' });

    const filled = countStoredWeeks(stored, { payloads: [payload], properties });

    expect(filled.propertyWeeks.map((week) => week.propertyId)).toEqual(['home']);
    expect(filled.campaignWeeks.map((week) => week.campaignId)).toEqual(['100']);
  });

  it('keeps contacts of counted campaigns out', () => {
    const stored = twoProperties({ home: false, branch: true });
    const payload = contacts(EARLIER, { hsa_cam: '200' }, { hsa_cam: '200' });

    const filled = countStoredWeeks(stored, { payloads: [payload], properties });

    expect(filled.propertyWeeks[0]?.metrics.hubspotLeads).toBe(0);
    expect(filled.propertyWeeks[0]?.unattributedHubspotLeads).toBe(0);
  });

  it('returns nothing for a counted week', () => {
    const stored = twoProperties({ home: true, branch: true });
    const payload = contacts(EARLIER, { hsa_cam: '100' });

    const filled = countStoredWeeks(stored, { payloads: [payload], properties });

    expect(filled).toEqual({ campaignWeeks: [], propertyWeeks: [] });
  });
});

describe('fillStoredHubSpotLeads', () => {
  const store = () => new MetricsStore(backend().clients.dynamo, LOCAL_NAMES.metricsTable);

  /** Stores one campaign-week and its property-week, uncounted, and returns their ids. */
  async function storeUncountedWeek(options: { listed: boolean }) {
    const propertyId = uniqueId('prop');
    // Attribution reads only numeric Meta ids from `hsa_cam`.
    const campaignId = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
    const campaign = campaignWeek({
      campaignId,
      propertyId,
      weekStart: EARLIER,
      hubspotCounted: false,
    });
    const aggregate = propertyWeek({
      propertyId,
      weekStart: EARLIER,
      campaignCount: 1,
      unattributedHubspotLeads: 0,
      hubspotCounted: false,
      ...(options.listed ? { campaignIds: [campaignId] } : {}),
    });
    await store().putCampaignWeeks([campaign]);
    await store().putPropertyWeeks([aggregate]);
    await store().applyAllTime(aggregate);

    return { propertyId, campaignId, campaign, aggregate };
  }

  it('stores the counts it returns', async () => {
    const { propertyId, campaignId } = await storeUncountedWeek({ listed: true });
    const stored = await readStoredWeeks(
      store(),
      await store().getPropertyHistory(propertyId, EARLIER, 1),
    );
    const payload = contacts(EARLIER, { hsa_cam: campaignId }, { hsa_cam: campaignId });

    await fillStoredHubSpotLeads(store(), stored, {
      payloads: [payload],
      properties: [property(propertyId)],
    });

    const [campaign] = await store().getCampaignWeeks([{ campaignId, weekStart: EARLIER }]);
    const [aggregate] = await store().getPropertyWeeks([{ propertyId, weekStart: EARLIER }]);
    expect(campaign?.metrics.hubspotLeads).toBe(2);
    expect(campaign?.hubspotCounted).toBe(true);
    expect(aggregate?.metrics.hubspotLeads).toBe(2);
    expect(aggregate?.hubspotCounted).toBe(true);
  });

  it('keeps the stored Meta figures and campaign list', async () => {
    const week = await storeUncountedWeek({ listed: true });
    const stored = await readStoredWeeks(
      store(),
      await store().getPropertyHistory(week.propertyId, EARLIER, 1),
    );
    const payload = contacts(EARLIER, { hsa_cam: week.campaignId });

    await fillStoredHubSpotLeads(store(), stored, {
      payloads: [payload],
      properties: [property(week.propertyId)],
    });

    const [campaign] = await store().getCampaignWeeks([
      { campaignId: week.campaignId, weekStart: EARLIER },
    ]);
    const [aggregate] = await store().getPropertyWeeks([
      { propertyId: week.propertyId, weekStart: EARLIER },
    ]);
    expect({ ...campaign?.metrics, hubspotLeads: 0 }).toEqual(week.campaign.metrics);
    expect(campaign?.adsets.map((a) => a.metrics.spendMinor)).toEqual(
      week.campaign.adsets.map((a) => a.metrics.spendMinor),
    );
    expect(campaign?.runId).toBe(week.campaign.runId);
    expect({ ...aggregate?.metrics, hubspotLeads: 0 }).toEqual(week.aggregate.metrics);
    expect(aggregate?.campaignIds).toEqual([week.campaignId]);
  });

  it('reads the campaigns of an unlisted week', async () => {
    const { propertyId, campaignId } = await storeUncountedWeek({ listed: false });
    const stored = await readStoredWeeks(
      store(),
      await store().getPropertyHistory(propertyId, EARLIER, 1),
    );
    const payload = contacts(EARLIER, { hsa_cam: campaignId });

    const filled = await fillStoredHubSpotLeads(store(), stored, {
      payloads: [payload],
      properties: [property(propertyId)],
    });

    expect(filled.campaignWeeks.map((week) => week.campaignId)).toEqual([campaignId]);
    expect(filled.propertyWeeks[0]?.unattributedHubspotLeads).toBe(0);
  });

  /** Fills the stored week of `propertyId` with two contacts of `campaignId`. */
  async function fillWithTwoContacts(propertyId: string, campaignId: string) {
    const stored = await readStoredWeeks(
      store(),
      await store().getPropertyHistory(propertyId, EARLIER, 1),
    );
    const payload = contacts(EARLIER, { hsa_cam: campaignId }, { hsa_cam: campaignId });

    return fillStoredHubSpotLeads(store(), stored, {
      payloads: [payload],
      properties: [property(propertyId)],
    });
  }

  it('adds the counts to an open all-time week', async () => {
    const { propertyId, campaignId } = await storeUncountedWeek({ listed: true });
    await fillWithTwoContacts(propertyId, campaignId);

    const totals = await store().getAllTime(propertyId);
    expect(totals?.metrics.hubspotLeads).toBe(2);
    expect(totals?.weekCount).toBe(1);
  });

  it('adds the counts to a frozen all-time week', async () => {
    const { propertyId, campaignId } = await storeUncountedWeek({ listed: true });
    for (let offset = 1; offset <= OPEN_WEEKS; offset += 1) {
      const weekStart = addWeeks(EARLIER, offset);
      await store().applyAllTime(propertyWeek({ propertyId, weekStart, hubspotCounted: true }));
    }
    await fillWithTwoContacts(propertyId, campaignId);

    const totals = await store().getAllTime(propertyId);
    expect(totals?.metrics.hubspotLeads).toBe(2);
    expect(totals?.weekCount).toBe(OPEN_WEEKS + 1);
  });

  it('returns a failure when a week is invalid', async () => {
    const { propertyId, campaignId } = await storeUncountedWeek({ listed: true });
    const stored = await readStoredWeeks(
      store(),
      await store().getPropertyHistory(propertyId, EARLIER, 1),
    );
    const key = weekKey(campaignId, EARLIER);
    const invalid = stored.campaigns.get(key) as CampaignWeek;
    stored.campaigns.set(key, { ...invalid, metrics: { ...invalid.metrics, clicks: -1 } });
    const payload = contacts(EARLIER, { hsa_cam: campaignId });

    const filled = await fillStoredHubSpotLeads(store(), stored, {
      payloads: [payload],
      properties: [property(propertyId)],
    });

    expect(filled.failure?.note).toMatch(/could not be stored/);
    expect(filled.failure?.weekStarts).toEqual([EARLIER]);
    expect(filled.propertyWeeks).toEqual([]);
    const [aggregate] = await store().getPropertyWeeks([{ propertyId, weekStart: EARLIER }]);
    expect(aggregate?.hubspotCounted).toBe(false);
  });

  it('reads nothing without payloads', async () => {
    const stored = storedWeeks([], []);

    const filled = await fillStoredHubSpotLeads(store(), stored, { payloads: [], properties: [] });

    expect(filled).toEqual({ campaignWeeks: [], propertyWeeks: [], failure: null });
  });
});
