import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import type {
  Alert,
  CampaignWeek,
  EntitySignals,
  KpiKey,
  KpiSignal,
  Metrics,
  PropertyReport,
  ReportData,
  Status,
} from '../../src/shared/types.ts';

/** Builds test report data; every figure is derived from the arguments, nothing is random. */

export function makeKpi(key: KpiKey, value: number | null, status: Status = 'FLAT'): KpiSignal {
  return {
    key,
    value,
    previous: value,
    change: value === null ? null : 0.05,
    baseline: value,
    noiseBand: 0.1,
    status,
    reason: status === 'ALERT' ? `${key} moved the wrong way for 3 weeks` : null,
    series: [value, value, value, value],
  };
}

export function makeMetrics(spendMinor: number, leads: number): Metrics {
  return {
    ...ZERO_METRICS,
    spendMinor,
    impressions: spendMinor * 3,
    clicks: Math.round(spendMinor / 50),
    leads,
    cplSpendMinor: spendMinor,
    cplLeads: leads,
  };
}

export function makeSignals(
  level: EntitySignals['level'],
  id: string,
  name: string,
  status: Status = 'FLAT',
): EntitySignals {
  return {
    level,
    id,
    name,
    propertyId: null,
    kpis: [
      makeKpi('spend', 1234.5, status),
      makeKpi('leads', 42, status),
      makeKpi('cpl', 29.39, status),
      makeKpi('ctr', 0.0155, status),
      makeKpi('clicks', 880, status),
      makeKpi('impressions', 56_000, status),
      makeKpi('hubspotLeads', 30, status),
      makeKpi('landingPageViews', 700, status),
      makeKpi('cpc', 1.4, status),
    ],
  };
}

export function makeCampaign(
  index: number,
  options: { name?: string; propertyId?: string; currency?: string; status?: Status } = {},
): { week: CampaignWeek; signals: EntitySignals } {
  const campaignId = String(120_000_000_000 + index);
  const name = options.name ?? `Campaign ${index}`;
  const week: CampaignWeek = {
    campaignId,
    campaignName: name,
    reportId: 'acme',
    propertyId: options.propertyId ?? 'main',
    accountId: 'act_1234567890',
    currency: options.currency ?? 'USD',
    weekStart: '2026-11-23',
    objective: 'OUTCOME_LEADS',
    isLeadGen: true,
    metrics: makeMetrics(10_000 + index * 100, 5 + (index % 7)),
    adsets: [],
    runId: 'run-1',
    fetchedAt: '2026-11-30T07:00:00Z',
  };

  return { week, signals: makeSignals('campaign', campaignId, name, options.status ?? 'FLAT') };
}

export function makeProperty(
  id: string,
  campaignCount: number,
  options: { name?: string; currency?: string; campaignName?: (index: number) => string } = {},
): PropertyReport {
  const campaigns = Array.from({ length: campaignCount }, (_, index) =>
    makeCampaign(index, {
      propertyId: id,
      currency: options.currency,
      name: options.campaignName?.(index),
    }),
  );

  return {
    propertyId: id,
    name: options.name ?? `Property ${id}`,
    currency: options.currency ?? 'USD',
    availability: 'ok',
    unavailableReason: null,
    metrics: makeMetrics(500_000, 120),
    signals: makeSignals('property', id, options.name ?? id),
    campaigns,
    leadActivity: [],
    unattributedHubspotLeads: 0,
    allTime: null,
  };
}

export function makeReport(overrides: Partial<ReportData> = {}): ReportData {
  const properties = overrides.properties ?? [makeProperty('main', 3, { name: 'Main site' })];

  return {
    runId: 'run-1',
    reportId: 'acme',
    reportName: 'Acme paid social',
    week: { start: '2026-11-23', end: '2026-11-29' },
    timeZone: 'Europe/Berlin',
    currency: 'USD',
    generatedAt: '2026-11-30T07:00:00Z',
    totals: makeSignals('report', 'acme', 'Acme paid social'),
    totalsMetrics: makeMetrics(500_000, 120),
    properties,
    alerts: [],
    restatements: [],
    analysis: {
      headline: 'Leads held steady while spend rose 5%',
      weekSummary: ['Spend rose within the noise band.', 'CPL is flat.'],
      trendSummary: [],
      recommendations: { marketing: [], digital: [], leadership: [] },
      source: 'claude',
      model: 'claude-sonnet-5-5',
      fallbackReason: null,
      droppedClaims: 0,
      usage: null,
    },
    notes: [],
    hubspotAvailable: true,
    ...overrides,
  };
}

export function makeAlerts(count: number, reasonLength = 60): Alert[] {
  return Array.from({ length: count }, (_, index) => ({
    level: 'campaign' as const,
    id: String(index),
    name: `Campaign ${index}`,
    kpi: 'cpl' as const,
    reason: `CPL rose ${'x'.repeat(Math.max(0, reasonLength - 9))}`,
  }));
}
