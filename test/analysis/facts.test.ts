import { describe, expect, it } from 'vitest';
import { buildUserMessage } from '../../src/analysis/analysis-prompt.ts';
import {
  buildFacts,
  cleanName,
  MAX_DETAILED_CAMPAIGNS,
  MAX_NAME_LENGTH,
  TOP_CAMPAIGNS,
  toFactKpi,
} from '../../src/analysis/facts.ts';
import type { Metrics } from '../../src/shared/types.ts';
import { buildScenario, type CampaignPlan, leadMetrics, steadyWeeks } from './analysis-fixtures.ts';

/** Plans `count` campaigns of growing size; every tenth one declines for three weeks. */
function manyCampaigns(count: number): CampaignPlan[] {
  return Array.from({ length: count }, (_, index) => {
    const leads = 20 + (index % 50) * 3;
    const weeks: Metrics[] = steadyWeeks(leads).map((week, weekIndex) =>
      index % 10 === 0 && weekIndex >= 9
        ? leadMetrics(Math.round(week.leads * 0.5), week.spendMinor / 100)
        : week,
    );

    return { id: String(1000 + index), name: `Campaign ${index}`, weeks };
  });
}

describe('buildFacts', () => {
  it('shows every campaign of a small report in detail', () => {
    const { facts } = buildScenario(manyCampaigns(5));

    expect(facts.campaigns).toHaveLength(5);
    expect(facts.otherCampaigns).toBeNull();
  });

  it('sums the campaigns beyond the detail limit', () => {
    const { facts } = buildScenario(manyCampaigns(60));

    expect(facts.campaigns).toHaveLength(MAX_DETAILED_CAMPAIGNS);
    expect(facts.otherCampaigns?.count).toBe(60 - MAX_DETAILED_CAMPAIGNS);
  });

  it('orders largest, then alerting campaigns', () => {
    const { facts } = buildScenario(manyCampaigns(60));

    const afterTop = facts.campaigns.slice(TOP_CAMPAIGNS, TOP_CAMPAIGNS + 3);

    expect(afterTop.every((campaign) => campaign.kpis.some((kpi) => kpi.status === 'ALERT'))).toBe(
      true,
    );
  });

  it('keeps 1,000 campaigns within 1.5× of 50', () => {
    const small = buildUserMessage(buildScenario(manyCampaigns(50)).facts).length;

    const large = buildUserMessage(buildScenario(manyCampaigns(1000)).facts).length;

    expect(large / small).toBeLessThanOrEqual(1.5);
  });

  it('uses property display names', () => {
    const { facts } = buildScenario(manyCampaigns(2));

    expect(facts.properties[0]?.name).toBe('Harbor View');
  });

  it('passes the notes', () => {
    const { facts } = buildScenario(manyCampaigns(1), ['HubSpot was unavailable']);

    expect(facts.notes).toEqual(['HubSpot was unavailable']);
  });

  it('labels the week for readers', () => {
    const { facts } = buildScenario(manyCampaigns(1));

    expect(facts.week).toEqual({ start: '2026-11-23', end: '2026-11-29', label: '23–29 Nov 2026' });
  });

  it('counts every campaign and alert', () => {
    const { facts, signals } = buildScenario(manyCampaigns(30));

    expect(facts.counts).toEqual({
      properties: 1,
      campaigns: 30,
      campaignsInDetail: MAX_DETAILED_CAMPAIGNS,
      alerts: signals.alerts.length,
    });
  });

  it('builds from an empty report week', () => {
    const { signals } = buildScenario(manyCampaigns(1));

    const facts = buildFacts({
      reportName: 'Empty',
      week: { start: '2026-11-23', end: '2026-11-29' },
      currency: null,
      signals: { ...signals, campaigns: new Map(), adsets: new Map(), alerts: [] },
      campaignWeeks: [],
      propertyNames: new Map(),
      notes: [],
    });

    expect(facts.campaigns).toEqual([]);
  });
});

describe('toFactKpi', () => {
  it('rounds to display units and percentages', () => {
    const fact = toFactKpi({
      key: 'ctr',
      value: 0.012345,
      previous: 0.01,
      change: 0.2345,
      baseline: 0.011,
      noiseBand: 0.12345,
      status: 'UP',
      reason: 'r',
      series: [],
    });

    expect(fact).toMatchObject({
      unit: 'percent',
      value: 1.23,
      previous: 1,
      changePct: 23.5,
      baseline: 1.1,
      noiseBandPct: 12.3,
    });
    expect(fact.vsBaselinePct).toBeCloseTo(12.2, 1);
  });
});

describe('cleanName', () => {
  it('removes bidi override characters', () => {
    expect(cleanName('Spring \u202eesuoH nepO\u202c')).toBe('Spring esuoH nepO');
  });

  it('removes control characters', () => {
    expect(cleanName('Spring\u0000\nOpen\u2028House')).toBe('Spring Open House');
  });

  it('cuts a long name with an ellipsis', () => {
    const cleaned = cleanName('x'.repeat(500));

    expect(cleaned).toHaveLength(MAX_NAME_LENGTH);
    expect(cleaned.endsWith('…')).toBe(true);
  });
});
