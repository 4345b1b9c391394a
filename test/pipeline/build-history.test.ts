import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../src/pipeline/build-history.ts';
import { type StoredWeeks, weekKey } from '../../src/pipeline/read-stored-weeks.ts';
import type { CampaignWeek, PropertyWeek } from '../../src/shared/types.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from '../storage/builders.ts';

const reportWeek = { start: '2026-11-23', end: '2026-11-29' };
const campaignId = 'c1';
const propertyId = 'p1';

/** Stored weeks at these offsets from the report week, with `leads` equal to the offset + 10. */
function stored(offsets = [-8, -7, -6, -5, -4, -3, -2, -1, 0]): StoredWeeks {
  const campaigns = offsets.map((offset) =>
    campaignWeek({ campaignId, propertyId, weekStart: at(offset), metrics: leads(offset + 10) }),
  );
  const properties = offsets.map((offset) =>
    propertyWeek({ propertyId, weekStart: at(offset), metrics: leads(offset + 10) }),
  );

  return {
    campaigns: new Map(campaigns.map((w) => [weekKey(w.campaignId, w.weekStart), w])),
    properties: new Map(properties.map((w) => [weekKey(w.propertyId, w.weekStart), w])),
    listed: new Set(),
  };
}

function at(offset: number): string {
  return addWeeks(reportWeek.start, offset);
}

function leads(count: number) {
  return metrics({ leads: count });
}

function history(
  input: Partial<Parameters<typeof buildHistory>[0]> & { stored: StoredWeeks },
): ReturnType<typeof buildHistory> {
  return buildHistory({
    campaignIds: [campaignId],
    propertyIds: [propertyId],
    reportWeek,
    weeks: 4,
    current: { campaignWeeks: [], propertyWeeks: [] },
    allTime: new Map(),
    ...input,
  });
}

describe('buildHistory', () => {
  it('returns the weeks before the report week', () => {
    const result = history({ stored: stored() });

    expect(result.campaigns.get(campaignId)?.map((w) => w.weekStart)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
  });

  it('returns property weeks oldest first', () => {
    const result = history({ stored: stored() });

    expect(result.properties.get(propertyId)?.map((w) => w.metrics.leads)).toEqual([6, 7, 8, 9]);
  });

  it('leaves out weeks before the window', () => {
    const result = history({ stored: stored([-8, -7, -1]) });

    expect(result.properties.get(propertyId)?.map((w) => w.weekStart)).toEqual(['2026-11-16']);
  });

  it('prefers the weeks this run stored', () => {
    const restated: CampaignWeek = campaignWeek({
      campaignId,
      propertyId,
      weekStart: at(-1),
      metrics: leads(99),
    });
    const restatedProperty: PropertyWeek = propertyWeek({
      propertyId,
      weekStart: at(-1),
      metrics: leads(99),
    });

    const result = history({
      stored: stored(),
      current: { campaignWeeks: [restated], propertyWeeks: [restatedProperty] },
    });

    expect([
      result.campaigns.get(campaignId)?.at(-1)?.metrics.leads,
      result.properties.get(propertyId)?.at(-1)?.metrics.leads,
    ]).toEqual([99, 99]);
  });

  it('returns empty lists for unknown ids', () => {
    const result = history({ stored: stored(), campaignIds: ['c9'], propertyIds: ['p9'] });

    expect([
      result.campaigns.get('c9'),
      result.properties.get('p9'),
      result.allTime.has('p9'),
    ]).toEqual([[], [], false]);
  });

  it('includes the all-time totals of the requested properties', () => {
    const totals = {
      propertyId,
      metrics: leads(54),
      firstWeek: at(-8),
      lastWeek: at(0),
      weekCount: 9,
    };

    const result = history({
      stored: stored(),
      allTime: new Map([
        [propertyId, totals],
        ['p9', { ...totals, propertyId: 'p9' }],
      ]),
    });

    expect([...result.allTime.keys()]).toEqual([propertyId]);
  });

  it.each([0, -1])('returns no weeks for %s weeks', (weeks) => {
    const result = history({ stored: stored([-1]), weeks });

    expect([result.campaigns.get(campaignId), result.properties.get(propertyId)]).toEqual([[], []]);
  });
});
