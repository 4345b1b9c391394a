import { afterEach, describe, expect, it } from 'vitest';
import { fetchMetaInsights } from '../../src/pipeline/fetch-meta-insights.ts';
import {
  parseAccountPayload,
  type TransformContext,
  toCampaignWeeks,
} from '../../src/pipeline/transform-campaign-weeks.ts';
import type { SourceError } from '../../src/shared/errors.ts';
import { cplMinor, METRIC_KEYS, ZERO_METRICS } from '../../src/shared/metrics.ts';
import type { RawPayload } from '../../src/shared/types.ts';
import { GraphClient } from '../../src/sources/meta/graph-client.ts';
import { type FakeGraphApi, insightsRow, startFakeGraphApi } from '../fakes/graph-api.ts';

const ACCOUNT = 'act_1';
const WEEK_START = '2026-11-23';
const CONTEXT: TransformContext = {
  reportId: 'weekly',
  propertyId: 'downtown',
  accountId: ACCOUNT,
  currency: 'USD',
  runId: 'run-1',
  fetchedAt: '2026-11-30T07:00:00.000Z',
  leadActionType: 'lead',
};

/** Overlapping lead action types: summing every lead-like type would report 17 leads, not 5. */
const LEAD_RULE_ROW = {
  campaign_id: 'c1',
  campaign_name: 'Leads | Q4',
  adset_id: 'a1',
  adset_name: 'Lookalike',
  objective: 'OUTCOME_LEADS',
  spend: '100.00',
  actions: [
    { action_type: 'lead', value: '5' },
    { action_type: 'offsite_conversion.fb_pixel_lead', value: '3' },
    { action_type: 'onsite_conversion.lead_grouped', value: '2' },
    { action_type: 'landing_page_view', value: '40' },
    { action_type: 'offsite_content_view_add_meta_leads', value: '7' },
  ],
};

function dated(row: Record<string, unknown>): Record<string, unknown> {
  return { date_start: WEEK_START, date_stop: '2026-11-29', ...row };
}

function payload(pages: unknown[], account = ACCOUNT): RawPayload {
  return {
    key: { source: 'meta', account, weekStart: WEEK_START, runId: 'run-1', name: 'insights' },
    fetchedAt: CONTEXT.fetchedAt,
    request: { url: 'http://127.0.0.1/v27.0/act_1/insights', params: {} },
    pages,
  };
}

function transform(rows: Array<Record<string, unknown>>, context = CONTEXT) {
  return toCampaignWeeks(payload([{ data: rows.map(dated) }]), context);
}

function thrown(action: () => unknown): SourceError {
  try {
    action();
  } catch (error) {
    return error as SourceError;
  }
  throw new Error('expected an error');
}

describe('toCampaignWeeks', () => {
  it('counts overlapping lead types once', () => {
    const [week] = transform([LEAD_RULE_ROW]).campaignWeeks;

    expect(week?.metrics.leads).toBe(5);
    expect(week?.metrics.landingPageViews).toBe(40);
    expect(cplMinor(week?.metrics ?? ZERO_METRICS)).toBe(2000);
  });

  it('sums ad sets into campaign totals', () => {
    const rows = [
      insightsRow({
        campaignId: 'c1',
        adsetId: 'a2',
        spend: '10.00',
        impressions: 1000,
        clicks: 20,
      }),
      insightsRow({ campaignId: 'c2', adsetId: 'b1', spend: '5.00', impressions: 300, clicks: 3 }),
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '2.50', impressions: 500, clicks: 10 }),
    ];

    const { campaignWeeks } = transform(rows);

    expect(campaignWeeks.map((week) => week.campaignId)).toEqual(['c1', 'c2']);
    expect(campaignWeeks[0]?.metrics.spendMinor).toBe(1250);
    expect(campaignWeeks[0]?.metrics.impressions).toBe(1500);
    expect(campaignWeeks[0]?.metrics.clicks).toBe(30);
    expect(campaignWeeks[0]?.adsets.map((adset) => adset.adsetId)).toEqual(['a1', 'a2']);
    expect(campaignWeeks[0]?.adsets[1]?.metrics.spendMinor).toBe(1000);
  });

  it('sums 0.1 and 0.2 to exactly 30 cents', () => {
    const rows = [
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '0.1' }),
      insightsRow({ campaignId: 'c1', adsetId: 'a2', spend: '0.2' }),
    ];

    expect(transform(rows).campaignWeeks[0]?.metrics.spendMinor).toBe(30);
  });

  it.each(['OUTCOME_LEADS', 'LEAD_GENERATION'])('counts CPL for %s campaigns', (objective) => {
    const [week] = transform([{ ...LEAD_RULE_ROW, objective }]).campaignWeeks;

    expect(week?.isLeadGen).toBe(true);
    expect(week?.metrics.cplSpendMinor).toBe(10_000);
    expect(week?.metrics.cplLeads).toBe(5);
    expect(week?.adsets[0]?.metrics.cplLeads).toBe(5);
  });

  it.each(['OUTCOME_TRAFFIC', undefined])('leaves CPL out for objective %s', (objective) => {
    const [week] = transform([{ ...LEAD_RULE_ROW, objective }]).campaignWeeks;

    expect(week?.isLeadGen).toBe(false);
    expect(week?.metrics.leads).toBe(5);
    expect(week?.metrics.cplSpendMinor).toBe(0);
    expect(week?.metrics.cplLeads).toBe(0);
  });

  it('leaves HubSpot leads at zero', () => {
    const [week] = transform([LEAD_RULE_ROW]).campaignWeeks;

    expect(week?.metrics.hubspotLeads).toBe(0);
  });

  it('counts a configured lead action type', () => {
    const context = { ...CONTEXT, leadActionType: 'offsite_conversion.fb_pixel_lead' };

    const [week] = transform([LEAD_RULE_ROW], context).campaignWeeks;

    expect(week?.metrics.leads).toBe(3);
  });

  it('reads a row without metrics as zeros', () => {
    const result = transform([{ campaign_id: 'c1', adset_id: 'a1' }]);

    expect(result.warnings).toEqual([]);
    expect(result.campaignWeeks[0]?.metrics).toEqual({
      spendMinor: 0,
      impressions: 0,
      clicks: 0,
      leads: 0,
      landingPageViews: 0,
      hubspotLeads: 0,
      cplSpendMinor: 0,
      cplLeads: 0,
    });
  });

  it('keeps a row with zero clicks', () => {
    const result = transform([
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '9.99', impressions: 50 }),
    ]);

    expect(result.warnings).toEqual([]);
    expect(result.campaignWeeks[0]?.metrics.clicks).toBe(0);
    expect(result.campaignWeeks[0]?.metrics.spendMinor).toBe(999);
  });

  it('keeps the last of duplicate ad-set rows', () => {
    const rows = [
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '1.00' }),
      insightsRow({ campaignId: 'c1', adsetId: 'a2', spend: '2.00' }),
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '4.00' }),
    ];

    const result = transform(rows);

    expect(result.campaignWeeks[0]?.metrics.spendMinor).toBe(600);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ code: 'duplicate_adset', rowIndex: 0 });
    expect(result.warnings[0]?.message).toBe(
      'Row 1 skipped: ad set a1 appears again in row 3, which is kept',
    );
  });

  it('skips bad rows and keeps the rest', () => {
    const rows = [
      insightsRow({ campaignId: 'c1', adsetId: 'a1', spend: '3.00' }),
      { campaign_id: 'c1', adset_id: 'a2', spend: '-5.00' },
      { campaign_id: 'c1', adset_id: 'a3', impressions: 'NaN' },
      { campaign_id: 'c1', adset_id: 'a4', clicks: 'Infinity' },
      { adset_id: 'a5', spend: '1.00' },
    ];

    const result = transform(rows);

    expect(result.campaignWeeks[0]?.adsets.map((adset) => adset.adsetId)).toEqual(['a1']);
    expect(result.campaignWeeks[0]?.metrics.spendMinor).toBe(300);
    expect(result.warnings.map((warning) => warning.code)).toEqual([
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'missing_id',
    ]);
  });

  it('names the row, field and value in a warning', () => {
    const result = transform([{ campaign_id: 'c1', adset_id: 'a2', spend: '-5.00' }]);

    expect(result.warnings).toEqual([
      {
        accountId: ACCOUNT,
        weekStart: WEEK_START,
        rowIndex: 0,
        code: 'invalid_value',
        message: 'Row 1 (page 1) skipped: spend is "-5.00", not a non-negative decimal',
      },
    ]);
  });

  it('returns only finite integers', () => {
    const rows = [
      LEAD_RULE_ROW,
      { campaign_id: 'c1', adset_id: 'a9', spend: 'NaN', impressions: '1e400' },
      insightsRow({ campaignId: 'c2', adsetId: 'b1', spend: '0.005', clicks: 0 }),
    ];

    const { campaignWeeks } = transform(rows);

    const values = campaignWeeks.flatMap((week) => [
      ...METRIC_KEYS.map((key) => week.metrics[key]),
      ...week.adsets.flatMap((adset) => METRIC_KEYS.map((key) => adset.metrics[key])),
    ]);
    expect(values.every((value) => Number.isSafeInteger(value) && value >= 0)).toBe(true);
  });

  it('skips a row of another week', () => {
    const rows = [
      { ...insightsRow({ campaignId: 'c1', adsetId: 'a1' }), date_start: '2026-11-16' },
    ];

    const result = transform(rows);

    expect(result.campaignWeeks).toEqual([]);
    expect(result.warnings[0]?.code).toBe('date_mismatch');
  });

  it('counts row indexes across pages', () => {
    const pages = [
      { data: [dated(insightsRow({ campaignId: 'c1', adsetId: 'a1' }))], paging: {} },
      { data: [dated({ campaign_id: 'c1', adset_id: 'a2', spend: 'x' })] },
    ];

    const result = toCampaignWeeks(payload(pages), CONTEXT);

    expect(result.warnings[0]?.rowIndex).toBe(1);
    expect(result.warnings[0]?.message).toContain('Row 2 (page 2)');
  });

  it('copies the context into each campaign-week', () => {
    const [week] = transform([LEAD_RULE_ROW]).campaignWeeks;

    expect(week).toMatchObject({
      campaignId: 'c1',
      campaignName: 'Leads | Q4',
      reportId: 'weekly',
      propertyId: 'downtown',
      accountId: ACCOUNT,
      currency: 'USD',
      weekStart: WEEK_START,
      objective: 'OUTCOME_LEADS',
      runId: 'run-1',
      fetchedAt: CONTEXT.fetchedAt,
    });
  });

  it.each([
    {
      case: 'a page without data',
      pages: [{ data: [] }, { error: { code: 1 } }],
      reason: 'page 2 has no data array',
    },
    { case: 'a page that is an array', pages: [[]], reason: 'page 1 has no data array' },
    { case: 'no pages', pages: [], reason: 'it has no pages' },
  ])('throws meta_payload_invalid for $case', ({ pages, reason }) => {
    const error = thrown(() => toCampaignWeeks(payload(pages), CONTEXT));

    expect(error.code).toBe('meta_payload_invalid');
    expect(error.message).toContain(`${ACCOUNT}, week of ${WEEK_START}`);
    expect(error.message).toContain(reason);
  });

  it('throws for another account payload', () => {
    const error = thrown(() => toCampaignWeeks(payload([{ data: [] }], 'act_2'), CONTEXT));

    expect(error.code).toBe('meta_payload_invalid');
    expect(error.message).toContain('act_2');
  });

  it('throws for a non-Monday week start', () => {
    const input = payload([{ data: [] }]);
    input.key.weekStart = '2026-11-24';

    expect(thrown(() => toCampaignWeeks(input, CONTEXT)).code).toBe('meta_payload_invalid');
  });

  describe('with payloads from the fake Graph API', () => {
    let fake: FakeGraphApi | undefined;

    afterEach(async () => {
      await fake?.close();
    });

    it('sums every page of a fetched week', async () => {
      fake = await startFakeGraphApi();
      fake.setAccount(ACCOUNT, { currency: 'EUR', timezone_name: 'Europe/Berlin' });
      const rows = Array.from({ length: 10 }, (_, index) =>
        insightsRow({
          campaignId: `c${index % 2}`,
          adsetId: `a${index}`,
          spend: '0.10',
          actions: { lead: 1 },
        }),
      );
      fake.setRows(ACCOUNT, WEEK_START, rows);
      const client = new GraphClient({
        baseUrl: fake.url,
        apiVersion: fake.apiVersion,
        accessToken: fake.accessToken,
        pageSize: 3,
      });
      const fetched = await fetchMetaInsights(client, {
        accountId: ACCOUNT,
        weeks: [{ start: WEEK_START, end: '2026-11-29' }],
        runId: 'run-1',
        now: () => new Date('2026-12-01T00:00:00Z'),
      });
      const insights = fetched.payloads[1] as RawPayload;

      const { campaignWeeks, warnings } = toCampaignWeeks(insights, {
        ...CONTEXT,
        currency: 'EUR',
      });

      expect(insights.pages).toHaveLength(4);
      expect(warnings).toEqual([]);
      expect(campaignWeeks.map((week) => week.metrics.spendMinor)).toEqual([50, 50]);
      expect(campaignWeeks.map((week) => week.metrics.leads)).toEqual([5, 5]);
    });
  });
});

describe('parseAccountPayload', () => {
  const accountPayload: RawPayload = {
    key: {
      source: 'meta',
      account: ACCOUNT,
      weekStart: WEEK_START,
      runId: 'run-1',
      name: 'account',
    },
    fetchedAt: CONTEXT.fetchedAt,
    request: { url: 'http://127.0.0.1/v27.0/act_1', params: {} },
    pages: [
      {
        id: ACCOUNT,
        name: 'Example Co',
        currency: 'JPY',
        timezone_name: 'Asia/Tokyo',
        account_status: 1,
      },
    ],
  };

  it('reads the archived account info', () => {
    expect(parseAccountPayload(accountPayload)).toEqual({
      accountId: ACCOUNT,
      name: 'Example Co',
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      status: 1,
    });
  });

  it('rejects an insights payload', () => {
    const error = thrown(() => parseAccountPayload(payload([{ data: [] }])));

    expect(error.code).toBe('meta_payload_invalid');
  });
});
