import { describe, expect, it } from 'vitest';
import {
  type ParseRowOptions,
  parseInsightsRow,
} from '../../../src/sources/meta/parse-insights-row.ts';

const OPTIONS: ParseRowOptions = {
  currency: 'USD',
  leadActionType: 'lead',
  week: { start: '2026-11-23', end: '2026-11-29' },
};

function row(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    campaign_id: 'c1',
    campaign_name: 'Leads | Q4',
    adset_id: 'a1',
    adset_name: 'Lookalike',
    objective: 'OUTCOME_LEADS',
    spend: '100.00',
    impressions: '5000',
    clicks: '120',
    date_start: '2026-11-23',
    date_stop: '2026-11-29',
    ...extra,
  };
}

function parsed(input: unknown, options = OPTIONS) {
  const result = parseInsightsRow(input, options);
  if (!('row' in result)) throw new Error(`expected a row, got ${result.problem.message}`);

  return result.row;
}

function problem(input: unknown) {
  const result = parseInsightsRow(input, OPTIONS);
  if (!('problem' in result)) throw new Error('expected a problem');

  return result.problem;
}

describe('parseInsightsRow', () => {
  it('reads the lead rule row from Meta', () => {
    const input = row({
      actions: [
        { action_type: 'lead', value: '5' },
        { action_type: 'offsite_conversion.fb_pixel_lead', value: '3' },
        { action_type: 'onsite_conversion.lead_grouped', value: '2' },
        { action_type: 'landing_page_view', value: '40' },
        { action_type: 'offsite_content_view_add_meta_leads', value: '7' },
      ],
    });

    const result = parsed(input);

    expect(result.leads).toBe(5);
    expect(result.landingPageViews).toBe(40);
    expect(result.spendMinor).toBe(10_000);
  });

  it('reads ids, names, objective and counts', () => {
    expect(parsed(row())).toEqual({
      campaignId: 'c1',
      campaignName: 'Leads | Q4',
      adsetId: 'a1',
      adsetName: 'Lookalike',
      objective: 'OUTCOME_LEADS',
      spendMinor: 10_000,
      impressions: 5000,
      clicks: 120,
      leads: 0,
      landingPageViews: 0,
    });
  });

  it('treats missing metrics as zero', () => {
    const result = parsed({
      campaign_id: 'c1',
      adset_id: 'a1',
      date_start: '2026-11-23',
      date_stop: '2026-11-29',
    });

    expect(result.spendMinor).toBe(0);
    expect(result.impressions).toBe(0);
    expect(result.clicks).toBe(0);
    expect(result.leads).toBe(0);
    expect(result.landingPageViews).toBe(0);
  });

  it('falls back to ids for missing names', () => {
    const result = parsed(row({ campaign_name: undefined, adset_name: '' }));

    expect(result.campaignName).toBe('c1');
    expect(result.adsetName).toBe('a1');
  });

  it('accepts zero clicks', () => {
    expect(parsed(row({ clicks: '0' })).clicks).toBe(0);
  });

  it.each([
    { spend: '0.1', currency: 'USD', expected: 10 },
    { spend: '412.37', currency: 'USD', expected: 41_237 },
    { spend: '5339.5', currency: 'EUR', expected: 533_950 },
    { spend: '1234', currency: 'JPY', expected: 1234 },
    { spend: '1.2345', currency: 'KWD', expected: 1235 },
  ])('converts spend $spend $currency exactly', ({ spend, currency, expected }) => {
    expect(parsed(row({ spend }), { ...OPTIONS, currency }).spendMinor).toBe(expected);
  });

  it('ignores unrelated malformed action values', () => {
    const result = parsed(row({ actions: [{ action_type: 'video_view', value: 'n/a' }] }));

    expect(result.leads).toBe(0);
  });

  it('counts a configured action type', () => {
    const input = row({
      actions: [
        { action_type: 'lead', value: '5' },
        { action_type: 'omni_lead', value: '6' },
      ],
    });

    expect(parsed(input, { ...OPTIONS, leadActionType: 'omni_lead' }).leads).toBe(6);
  });

  it.each([
    { field: 'campaign_id', value: undefined },
    { field: 'adset_id', value: undefined },
    { field: 'adset_id', value: '' },
    { field: 'campaign_id', value: 123 },
  ])('reports missing_id for $field $value', ({ field, value }) => {
    const result = problem(row({ [field]: value }));

    expect(result.code).toBe('missing_id');
    expect(result.message).toContain(field);
  });

  it.each([
    { field: 'spend', value: '-5.00' },
    { field: 'spend', value: 'NaN' },
    { field: 'spend', value: 'Infinity' },
    { field: 'spend', value: '1e5' },
    { field: 'spend', value: '' },
    { field: 'spend', value: Number.NaN },
    { field: 'spend', value: '99999999999999999999' },
    { field: 'spend', value: '10000000000000.01' },
    { field: 'impressions', value: '12.5' },
    { field: 'impressions', value: '-1' },
    { field: 'impressions', value: 'abc' },
    { field: 'clicks', value: Number.POSITIVE_INFINITY },
    { field: 'clicks', value: '1000000000001' },
    { field: 'clicks', value: null },
    { field: 'impressions', value: null },
    { field: 'spend', value: null },
    { field: 'actions', value: null },
  ])('reports invalid_value for $field $value', ({ field, value }) => {
    const result = problem(row({ [field]: value }));

    expect(result.code).toBe('invalid_value');
    expect(result.message).toContain(field);
  });

  it('names the field and value of a bad lead count', () => {
    const result = problem(row({ actions: [{ action_type: 'lead', value: '-3' }] }));

    expect(result.code).toBe('invalid_value');
    expect(result.message).toBe('actions lead is "-3", not a non-negative integer');
  });

  it('names a null lead count', () => {
    const result = problem(row({ actions: [{ action_type: 'lead', value: null }] }));

    expect(result.message).toBe('actions lead is null, not a non-negative integer');
  });

  it('reports actions that are not a list', () => {
    expect(problem(row({ actions: { lead: '5' } })).code).toBe('invalid_value');
  });

  it('reports an action without action_type', () => {
    expect(problem(row({ actions: [{ value: '5' }] })).code).toBe('invalid_value');
  });

  it('reports a row that is not an object', () => {
    expect(problem('c1,a1,100').code).toBe('invalid_value');
  });

  it.each([
    { dateStart: '2026-11-22', dateStop: '2026-11-29' },
    { dateStart: '2026-11-23', dateStop: '2026-11-23' },
    { dateStart: undefined, dateStop: '2026-11-29' },
  ])('reports date_mismatch for $dateStart to $dateStop', ({ dateStart, dateStop }) => {
    const result = problem(row({ date_start: dateStart, date_stop: dateStop }));

    expect(result.code).toBe('date_mismatch');
    expect(result.message).toContain('2026-11-23 to 2026-11-29');
  });
});
