import { beforeAll, describe, expect, it } from 'vitest';
import {
  METRIC_TOOLS,
  type MetricToolContext,
  runMetricTool,
} from '../../../src/bot/ask/metric-tools.ts';
import { MetricsStore } from '../../../src/storage/metrics-store.ts';
import { uniqueId, useLocalBackend } from '../../helpers/local-backend.ts';
import { makeBotConfig, uniqueNumericId } from '../bot-fixtures.ts';
import { seedMetrics } from '../seed-metrics.ts';

const backend = useLocalBackend();
const reportId = uniqueId('rep');
const propertyId = uniqueId('prop');
const campaignId = uniqueNumericId();
let context: MetricToolContext;

beforeAll(async () => {
  const metrics = new MetricsStore(backend().clients.dynamo, backend().metricsTable);
  await seedMetrics(metrics, {
    reportId,
    lastWeekStart: '2026-11-23',
    campaigns: [
      {
        id: campaignId,
        name: 'Spring Sale',
        propertyId,
        spend: [100_000, 120_000, 90_000],
        leads: [20, 24, 0],
        adsets: [
          { id: '9001', name: 'Lookalike', share: 0.75 },
          { id: '9002', name: 'Retargeting', share: 0.25 },
        ],
      },
      { id: uniqueNumericId(), name: 'Winter Leads', propertyId, spend: [50_000], leads: [10] },
    ],
  });
  const report = makeBotConfig({}, [], { reportId, propertyId }).reports[0];
  context = {
    report: report as MetricToolContext['report'],
    metrics,
    latestWeekStart: '2026-11-23',
  };
});

async function call(name: string, input: unknown) {
  return JSON.parse(await runMetricTool(name, input, context));
}

describe('runMetricTool', () => {
  it('lists campaigns by part of the name', async () => {
    const result = await call('list_campaigns', { name_contains: 'spring' });

    expect(result).toEqual({
      total: 1,
      campaigns: [
        {
          campaign_id: campaignId,
          name: 'Spring Sale',
          property_id: propertyId,
          last_week: '2026-11-23',
        },
      ],
    });
  });

  it('returns campaign weeks in major units', async () => {
    const result = await call('get_campaign_weeks', { campaign_id: campaignId, weeks: 3 });

    expect(result.weeks.map((week: { week_start: string }) => week.week_start)).toEqual([
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
    expect(result.weeks[0]).toMatchObject({ spend: 1000, meta_leads: 20, cpl: 50 });
  });

  it('returns null CPL for zero leads', async () => {
    const result = await call('get_campaign_weeks', { campaign_id: campaignId, weeks: 1 });

    expect(result.weeks[0].cpl).toBeNull();
  });

  it('ends at the requested week', async () => {
    const result = await call('get_campaign_weeks', {
      campaign_id: campaignId,
      weeks: 8,
      end_week: '2026-11-18',
    });

    expect(result.weeks.at(-1).week_start).toBe('2026-11-16');
  });

  it('returns property weeks', async () => {
    const result = await call('get_property_weeks', { property_id: propertyId, weeks: 2 });

    expect(result.weeks.map((week: { campaigns: number }) => week.campaigns)).toEqual([1, 2]);
  });

  it('returns the campaigns of a week by spend', async () => {
    const result = await call('get_week_campaigns', {
      property_id: propertyId,
      week: '2026-11-25',
    });

    expect(result.campaigns.map((campaign: { name: string }) => campaign.name)).toEqual([
      'Spring Sale',
      'Winter Leads',
    ]);
  });

  it('returns the ad set lead breakdown', async () => {
    const result = await call('get_campaign_leads', {
      campaign_id: campaignId,
      week: '2026-11-16',
    });

    expect(
      result.ad_sets.map((adset: { name: string; meta_leads: number }) => [
        adset.name,
        adset.meta_leads,
      ]),
    ).toEqual([
      ['Lookalike', 18],
      ['Retargeting', 6],
    ]);
  });

  it('returns all-time totals', async () => {
    const result = await call('get_all_time', { property_id: propertyId });

    expect(result).toMatchObject({
      first_week: '2026-11-09',
      last_week: '2026-11-23',
      weeks: 3,
      spend: 3600,
    });
  });

  it.each([
    { name: 'get_campaign_weeks', input: { campaign_id: '1; DROP' }, error: 'Invalid campaign_id' },
    {
      name: 'get_campaign_weeks',
      input: { campaign_id: '999999' },
      error: 'is not part of report',
    },
    {
      name: 'get_campaign_weeks',
      input: { campaign_id: '__C__', weeks: 0 },
      error: 'Invalid weeks',
    },
    {
      name: 'get_property_weeks',
      input: { property_id: 'other', weeks: 60 },
      error: 'is not part of report',
    },
    {
      name: 'get_property_weeks',
      input: { property_id: '__P__', weeks: 60 },
      error: 'Invalid weeks',
    },
    {
      name: 'get_week_campaigns',
      input: { property_id: '__P__', week: 'yesterday' },
      error: 'Invalid date',
    },
    { name: 'list_campaigns', input: { name_contains: 42 }, error: 'expected a string' },
    { name: 'drop_tables', input: {}, error: 'Unknown tool' },
    { name: 'toString', input: {}, error: 'Unknown tool' },
  ])('rejects $name with $error', async ({ name, input, error }) => {
    const resolved = JSON.parse(
      JSON.stringify(input).replace('__P__', propertyId).replace('__C__', campaignId),
    );

    await expect(runMetricTool(name, resolved, context)).rejects.toThrow(error);
  });

  it('defines a schema for every tool it runs', () => {
    expect(METRIC_TOOLS.map((tool) => tool.name)).toEqual([
      'list_campaigns',
      'get_campaign_weeks',
      'get_property_weeks',
      'get_week_campaigns',
      'get_campaign_leads',
      'get_all_time',
    ]);
  });
});
