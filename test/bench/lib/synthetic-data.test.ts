import { describe, expect, it } from 'vitest';
import {
  adAccountIdOf,
  adsetWeekFigures,
  buildCampaigns,
  insightsRowsFor,
  type SyntheticShape,
  unitNoise,
} from '../../../bench/lib/synthetic-data.ts';
import { toCampaignWeeks } from '../../../src/pipeline/transform-campaign-weeks.ts';
import { InputError } from '../../../src/shared/errors.ts';
import type { RawPayload } from '../../../src/shared/types.ts';

const SHAPE: SyntheticShape = { campaigns: 40, adsetsPerCampaign: 5, properties: 4, seed: 7 };
const WEEK = { start: '2026-11-23', end: '2026-11-29' };

function insightsPayload(rows: Record<string, unknown>[], accountId: string): RawPayload {
  return {
    key: {
      source: 'meta',
      account: accountId,
      weekStart: WEEK.start,
      runId: 'run-1',
      name: 'insights',
    },
    fetchedAt: '2026-11-30T12:00:00.000Z',
    request: { url: `http://127.0.0.1/v27.0/${accountId}/insights`, params: {} },
    pages: [{ data: rows.map((row) => ({ date_start: WEEK.start, date_stop: WEEK.end, ...row })) }],
  };
}

describe('unitNoise', () => {
  it('returns the same value for the same key', () => {
    const first = unitNoise(1, 'campaign:3:spend');

    const second = unitNoise(1, 'campaign:3:spend');

    expect(second).toBe(first);
  });

  it('stays within zero and one', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => unitNoise(3, `key:${i}`));

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('spreads values evenly over the unit interval', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => unitNoise(3, `key:${i}`));

    const lowerHalf = values.filter((value) => value < 0.5).length;

    expect(lowerHalf).toBeGreaterThan(4_800);
    expect(lowerHalf).toBeLessThan(5_200);
  });
});

describe('buildCampaigns', () => {
  it('builds the requested number of campaigns', () => {
    const campaigns = buildCampaigns(SHAPE);

    expect(campaigns).toHaveLength(40);
  });

  it('gives every campaign and ad set a unique numeric id', () => {
    const campaigns = buildCampaigns({ ...SHAPE, campaigns: 1_000 });

    const ids = campaigns.flatMap((c) => [c.id, ...c.adsets.map((a) => a.id)]);

    expect(new Set(ids).size).toBe(6_000);
    expect(ids.every((id) => /^\d{18}$/.test(id))).toBe(true);
  });

  it('splits each campaign into ad sets whose weights add up to one', () => {
    const campaigns = buildCampaigns(SHAPE);

    const sums = campaigns.map((c) => c.adsets.reduce((sum, a) => sum + a.weight, 0));

    expect(sums.every((sum) => Math.abs(sum - 1) < 1e-9)).toBe(true);
  });

  it('deals campaigns evenly to properties', () => {
    const campaigns = buildCampaigns(SHAPE);

    const perProperty = [0, 1, 2, 3].map(
      (index) => campaigns.filter((c) => c.propertyIndex === index).length,
    );

    expect(perProperty).toEqual([10, 10, 10, 10]);
  });

  it.each([
    { case: 'zero campaigns', shape: { ...SHAPE, campaigns: 0 } },
    { case: 'fractional ad sets', shape: { ...SHAPE, adsetsPerCampaign: 2.5 } },
    { case: 'no properties', shape: { ...SHAPE, properties: 0 } },
    { case: 'more ad sets than ids allow', shape: { ...SHAPE, adsetsPerCampaign: 100 } },
  ])('throws InputError for $case', ({ shape }) => {
    expect(() => buildCampaigns(shape)).toThrow(InputError);
  });
});

describe('adsetWeekFigures', () => {
  const campaigns = buildCampaigns({ ...SHAPE, campaigns: 200 });

  it('returns the same figures for the same week', () => {
    const campaign = campaigns[5];
    if (!campaign) throw new Error('campaign 5 missing');

    const first = adsetWeekFigures(SHAPE.seed, campaign, 2, -4);
    const second = adsetWeekFigures(SHAPE.seed, campaign, 2, -4);

    expect(second).toEqual(first);
  });

  it('returns only non-negative integers', () => {
    const figures = campaigns.flatMap((c) =>
      c.adsets.map((_, j) => adsetWeekFigures(SHAPE.seed, c, j, 0)).filter((f) => f !== null),
    );

    const values = figures.flatMap((f) => Object.values(f));

    expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
  });

  it('leaves a few ad-set weeks without delivery', () => {
    const figures = campaigns.flatMap((c) =>
      c.adsets.map((_, j) => adsetWeekFigures(SHAPE.seed, c, j, 0)),
    );

    const paused = figures.filter((f) => f === null).length;

    expect(paused).toBeGreaterThan(0);
    expect(paused).toBeLessThan(figures.length * 0.1);
  });

  it('restates leads only in the three weeks before the report week', () => {
    const changedIn = (offset: number) =>
      campaigns.some((c) =>
        c.adsets.some(
          (_, j) =>
            adsetWeekFigures(SHAPE.seed, c, j, offset, 'restated')?.leads !==
            adsetWeekFigures(SHAPE.seed, c, j, offset, 'stored')?.leads,
        ),
      );

    expect([-4, -3, -2, -1, 0].map(changedIn)).toEqual([false, true, true, true, false]);
  });

  it('gives traffic campaigns no leads', () => {
    const traffic = campaigns.filter((c) => c.objective === 'OUTCOME_TRAFFIC');

    const leads = traffic.flatMap((c) =>
      c.adsets.map((_, j) => adsetWeekFigures(SHAPE.seed, c, j, 0)?.leads ?? 0),
    );

    expect(traffic.length).toBeGreaterThan(0);
    expect(leads.every((value) => value === 0)).toBe(true);
  });
});

describe('insightsRowsFor', () => {
  const campaigns = buildCampaigns(SHAPE);

  it('returns rows the pipeline transform accepts without warnings', () => {
    const rows = insightsRowsFor(SHAPE.seed, campaigns, 1, 0);

    const result = toCampaignWeeks(insightsPayload(rows, adAccountIdOf(1)), {
      reportId: 'bench',
      propertyId: 'property-02',
      accountId: adAccountIdOf(1),
      currency: 'USD',
      runId: 'run-1',
      fetchedAt: '2026-11-30T12:00:00.000Z',
      leadActionType: 'lead',
    });

    expect(result.warnings).toEqual([]);
    expect(result.campaignWeeks).toHaveLength(10);
  });

  it('counts leads once through the transform', () => {
    const rows = insightsRowsFor(SHAPE.seed, campaigns, 0, 0);
    const expected = campaigns
      .filter((c) => c.propertyIndex === 0)
      .flatMap((c) => c.adsets.map((_, j) => adsetWeekFigures(SHAPE.seed, c, j, 0)?.leads ?? 0))
      .reduce((sum, value) => sum + value, 0);

    const result = toCampaignWeeks(insightsPayload(rows, adAccountIdOf(0)), {
      reportId: 'bench',
      propertyId: 'property-01',
      accountId: adAccountIdOf(0),
      currency: 'USD',
      runId: 'run-1',
      fetchedAt: '2026-11-30T12:00:00.000Z',
      leadActionType: 'lead',
    });
    const leads = result.campaignWeeks.reduce((sum, week) => sum + week.metrics.leads, 0);

    expect(leads).toBe(expected);
  });

  it('keeps spend as a decimal string in major units', () => {
    const rows = insightsRowsFor(SHAPE.seed, campaigns, 2, -1);

    const spends = rows.map((row) => row.spend);

    expect(spends.every((spend) => typeof spend === 'string' && /^\d+\.\d{2}$/.test(spend))).toBe(
      true,
    );
  });
});
