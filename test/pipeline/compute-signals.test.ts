import { describe, expect, it } from 'vitest';
import { computeSignals } from '../../src/pipeline/compute-signals.ts';
import type { EntitySignals, KpiKey, Metrics, ReplacedValue } from '../../src/shared/types.ts';
import {
  buildInputs,
  type CampaignPlan,
  leadMetrics,
  REPORT_WEEK,
  steadyWeeks,
  THRESHOLDS,
} from '../analysis/analysis-fixtures.ts';

function compute(
  plans: CampaignPlan[],
  options: { replaced?: ReplacedValue[]; currency?: string | null; dropProperty?: string } = {},
) {
  const inputs = buildInputs(plans);
  const propertyWeeks = inputs.propertyWeeks.filter(
    (week) => week.propertyId !== options.dropProperty,
  );

  return computeSignals({
    reportId: 'weekly',
    reportName: 'Weekly ads',
    currency: options.currency === undefined ? 'USD' : options.currency,
    week: REPORT_WEEK,
    campaignWeeks: inputs.campaignWeeks,
    propertyWeeks,
    history: inputs.history,
    replaced: options.replaced ?? [],
    thresholds: THRESHOLDS,
  });
}

const kpi = (signals: EntitySignals | undefined, key: KpiKey) =>
  signals?.kpis.find((item) => item.key === key);

/** Returns steady weeks whose last three bring 60 % of the leads on the same spend. */
function decliningWeeks(leads: number): Metrics[] {
  return steadyWeeks(leads).map((week, index) =>
    index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), week.spendMinor / 100) : week,
  );
}

describe('computeSignals', () => {
  it('returns FLAT everywhere with no history', () => {
    const set = compute([{ id: '101', name: 'Open house', weeks: [leadMetrics(50, 1000)] }]);

    const statuses = set.campaigns.get('101')?.kpis.map((item) => item.status);

    expect(new Set(statuses)).toEqual(new Set(['FLAT']));
    expect(set.alerts).toEqual([]);
  });

  it('leaves uncounted HubSpot weeks out of the baseline', () => {
    // The three weeks before the report week were stored before any HubSpot search covered them.
    const weeks = steadyWeeks(50).map((week, index) =>
      index >= 8 && index < 11 ? { ...week, hubspotLeads: 0 } : week,
    );
    const inputs = buildInputs([{ id: '101', name: 'Open house', weeks }]);
    const stored = inputs.history.campaigns.get('101') ?? [];
    inputs.history.campaigns.set(
      '101',
      stored.map((week, index) => (index >= 8 ? { ...week, hubspotCounted: false } : week)),
    );

    const set = computeSignals({
      reportId: 'weekly',
      reportName: 'Weekly ads',
      currency: 'USD',
      week: REPORT_WEEK,
      campaignWeeks: inputs.campaignWeeks,
      propertyWeeks: inputs.propertyWeeks,
      history: inputs.history,
      replaced: [],
      thresholds: THRESHOLDS,
    });

    const hubspot = kpi(set.campaigns.get('101'), 'hubspotLeads');
    expect(hubspot?.series.slice(8, 11)).toEqual([null, null, null]);
    expect(hubspot?.status).not.toBe('UP');
  });

  it('returns a series reaching back to the oldest stored week', () => {
    const set = compute([{ id: '101', name: 'Open house', weeks: steadyWeeks(50, 5) }]);

    expect(kpi(set.campaigns.get('101'), 'leads')?.series).toHaveLength(5);
  });

  it('returns null in the series for a week without data', () => {
    const weeks: Array<Metrics | null> = steadyWeeks(50, 6);
    weeks[2] = null;

    const set = compute([{ id: '101', name: 'Open house', weeks }]);

    expect(kpi(set.campaigns.get('101'), 'leads')?.series[2]).toBeNull();
  });

  it('returns null ratios for a campaign without impressions', () => {
    const silent = { ...leadMetrics(0, 0), impressions: 0, clicks: 0, landingPageViews: 0 };

    const set = compute([
      { id: '101', name: 'Open house', isLeadGen: false, weeks: [silent, silent] },
    ]);

    expect(kpi(set.campaigns.get('101'), 'ctr')?.value).toBeNull();
  });

  it('leaves CPL out for a brand campaign', () => {
    const set = compute([{ id: '201', name: 'Brand', isLeadGen: false, weeks: steadyWeeks(5) }]);

    expect(kpi(set.campaigns.get('201'), 'cpl')).toBeUndefined();
  });

  it('alerts on a lead campaign that stopped delivering', () => {
    const set = compute([
      { id: '101', name: 'Open house', weeks: steadyWeeks(50) },
      { id: '102', name: 'Stopped', weeks: [...steadyWeeks(40, 11), null] },
    ]);

    expect(set.campaigns.get('102')?.kpis.every((item) => item.value === null)).toBe(true);
    expect(set.alerts).toContainEqual(
      expect.objectContaining({ id: '102', kpi: 'rule', level: 'campaign' }),
    );
  });

  it('does not judge campaigns of a property that was not fetched', () => {
    const set = compute(
      [
        { id: '101', name: 'Open house', weeks: steadyWeeks(50) },
        {
          id: '301',
          name: 'Elsewhere',
          propertyId: 'property-b',
          weeks: [...steadyWeeks(40, 11), null],
        },
      ],
      { dropProperty: 'property-b' },
    );

    expect(set.campaigns.has('301')).toBe(false);
    expect(set.properties.has('property-b')).toBe(false);
  });

  it('returns DOWN, not ALERT, for a one-week spike', () => {
    const weeks = steadyWeeks(100);
    weeks[11] = leadMetrics(40, 2000);

    const leads = kpi(
      compute([{ id: '101', name: 'Open house', weeks }]).campaigns.get('101'),
      'leads',
    );

    expect(leads?.status).toBe('DOWN');
  });

  it('lists a sustained decline once per level that adds information', () => {
    const set = compute([
      { id: '101', name: 'Open house', weeks: decliningWeeks(100) },
      { id: '102', name: 'Steady', weeks: steadyWeeks(100) },
    ]);

    const leadAlerts = set.alerts
      .filter((alert) => alert.kpi === 'leads')
      .map((alert) => alert.level);

    expect(leadAlerts).toEqual(['property', 'campaign']);
  });

  it('keeps the ALERT status of an entity left out of the list', () => {
    const set = compute([{ id: '101', name: 'Open house', weeks: decliningWeeks(100) }]);

    expect(kpi(set.adsets.get('10101'), 'leads')?.status).toBe('ALERT');
    expect(set.alerts.some((alert) => alert.level === 'adset')).toBe(false);
  });

  it('sums the properties into the report totals', () => {
    const set = compute([
      { id: '101', name: 'Open house', weeks: steadyWeeks(100) },
      { id: '301', name: 'Elsewhere', propertyId: 'property-b', weeks: steadyWeeks(30) },
    ]);

    expect(kpi(set.totals, 'leads')?.value).toBe(98 + 29);
  });

  it('marks a total week null when a property misses it', () => {
    const gap: Array<Metrics | null> = steadyWeeks(30);
    gap[5] = null;

    const set = compute([
      { id: '101', name: 'Open house', weeks: steadyWeeks(100) },
      { id: '301', name: 'Elsewhere', propertyId: 'property-b', weeks: gap },
    ]);

    expect(kpi(set.totals, 'leads')?.series[5]).toBeNull();
  });

  it('leaves money out of totals across currencies', () => {
    const set = compute([{ id: '101', name: 'Open house', weeks: steadyWeeks(100) }], {
      currency: null,
    });

    expect(kpi(set.totals, 'spend')).toBeUndefined();
    expect(kpi(set.properties.get('property-a'), 'spend')?.value).toBeGreaterThan(0);
  });

  it('returns restatements of earlier weeks only', () => {
    const weeks = steadyWeeks(100);
    const earlier = {
      kind: 'campaign' as const,
      id: '101',
      propertyId: 'property-a',
      weekStart: '2026-11-16',
      metrics: leadMetrics(60, 2000),
    };
    const current = { ...earlier, weekStart: REPORT_WEEK.start };

    const set = compute([{ id: '101', name: 'Open house', weeks }], {
      replaced: [earlier, current],
    });

    expect(set.restatements.map((item) => `${item.weekStart}:${item.kpi}`)).toEqual([
      '2026-11-16:leads',
    ]);
  });
});
