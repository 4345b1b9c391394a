import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import type { CampaignWeek, Metrics, PropertyWeek } from '../../src/shared/types.ts';

/** Returns metrics with every field zero except the overrides. */
export function metrics(overrides: Partial<Metrics> = {}): Metrics {
  return { ...ZERO_METRICS, ...overrides };
}

/** Returns a valid campaign-week with `overrides` applied. */
export function campaignWeek(overrides: Partial<CampaignWeek> = {}): CampaignWeek {
  return {
    campaignId: '120200000000001',
    campaignName: 'Spring open house',
    reportId: 'acme-weekly',
    propertyId: 'riverside',
    accountId: 'act_1234567890',
    currency: 'USD',
    weekStart: '2026-11-23',
    objective: 'OUTCOME_LEADS',
    isLeadGen: true,
    metrics: metrics({
      spendMinor: 41_237,
      impressions: 12_000,
      clicks: 300,
      leads: 12,
      cplSpendMinor: 41_237,
      cplLeads: 12,
    }),
    adsets: [
      {
        adsetId: '120200000000101',
        adsetName: 'Lookalike 1%',
        metrics: metrics({
          spendMinor: 41_237,
          impressions: 12_000,
          clicks: 300,
          leads: 12,
          cplSpendMinor: 41_237,
          cplLeads: 12,
        }),
      },
    ],
    runId: 'run-1',
    fetchedAt: '2026-11-30T07:00:00.000Z',
    ...overrides,
  };
}

/** Returns a valid property-week with `overrides` applied. */
export function propertyWeek(overrides: Partial<PropertyWeek> = {}): PropertyWeek {
  return {
    reportId: 'acme-weekly',
    propertyId: 'riverside',
    weekStart: '2026-11-23',
    currency: 'USD',
    metrics: metrics({
      spendMinor: 100_000,
      impressions: 50_000,
      clicks: 900,
      leads: 40,
      cplSpendMinor: 100_000,
      cplLeads: 40,
    }),
    campaignCount: 3,
    unattributedHubspotLeads: 2,
    runId: 'run-1',
    fetchedAt: '2026-11-30T07:00:00.000Z',
    ...overrides,
  };
}

/** Returns the Monday `count` weeks after `weekStart` (negative counts go back). */
export function addWeeks(weekStart: string, count: number): string {
  const date = new Date(`${weekStart}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 7 * count);

  return date.toISOString().slice(0, 10);
}
