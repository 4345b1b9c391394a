import type { ReportConfig } from '../config/schema.ts';
import { addMetrics } from '../shared/metrics.ts';
import type {
  AllTimeTotals,
  Analysis,
  CampaignWeek,
  EntitySignals,
  LeadActivityCampaign,
  Metrics,
  PropertyReport,
  ReportData,
  Week,
} from '../shared/types.ts';
import type { CurrentWeeks } from './build-current-weeks.ts';
import type { SignalSet } from './compute-signals.ts';
import type { FetchedSources } from './fetch-sources.ts';
import { stripOperatorFix } from './strip-operator-fix.ts';

interface BuildReportInput {
  report: ReportConfig;
  runId: string;
  week: Week;
  generatedAt: string;
  fetched: FetchedSources;
  current: CurrentWeeks;
  signals: SignalSet;
  analysis: Analysis;
  allTime: Map<string, AllTimeTotals>;
  notes: string[];
}

/** Assembles the report week's figures, signals and analysis into the data the renderers read. */
export function buildReportData(input: BuildReportInput): ReportData {
  const { report, week, current, signals } = input;
  const weekCampaigns = current.campaignWeeks.filter((c) => c.weekStart === week.start);
  const properties = input.fetched.properties.map((entry) =>
    propertyReport(
      input,
      entry.property.id,
      entry.property.name,
      entry.unavailableReason,
      weekCampaigns,
    ),
  );
  const available = properties.filter((p) => p.availability === 'ok');
  const currencies = new Set(available.map((p) => p.currency));
  const currency = currencies.size === 1 ? ([...currencies][0] as string) : null;

  return {
    runId: input.runId,
    reportId: report.id,
    reportName: report.name,
    week,
    timeZone: report.timeZone,
    currency,
    generatedAt: input.generatedAt,
    totals: available.length > 0 ? signals.totals : null,
    totalsMetrics: available.length > 0 ? reportTotals(available, input) : null,
    properties,
    alerts: signals.alerts.map((alert) =>
      alert.level === 'property' ? { ...alert, name: propertyName(report, alert.id) } : alert,
    ),
    restatements: signals.restatements,
    analysis: input.analysis,
    notes: input.notes.map(stripOperatorFix),
    hubspotAvailable: input.fetched.hubspot.unavailableReason === null,
  };
}

function propertyReport(
  input: BuildReportInput,
  propertyId: string,
  name: string,
  unavailableReason: string | null,
  weekCampaigns: CampaignWeek[],
): PropertyReport {
  const currency = input.current.currencies.get(propertyId) ?? '';
  if (unavailableReason) {
    return {
      propertyId,
      name,
      currency,
      availability: 'unavailable',
      unavailableReason: stripOperatorFix(unavailableReason),
      metrics: null,
      signals: null,
      campaigns: [],
      leadActivity: [],
      unattributedHubspotLeads: 0,
      allTime: input.allTime.get(propertyId) ?? null,
    };
  }
  const propertyWeek = input.current.propertyWeeks.find(
    (p) => p.propertyId === propertyId && p.weekStart === input.week.start,
  );
  const campaigns = weekCampaigns
    .filter((c) => c.propertyId === propertyId)
    .sort((a, b) => b.metrics.spendMinor - a.metrics.spendMinor)
    .flatMap((week) => {
      const signals = input.signals.campaigns.get(week.campaignId);
      return signals ? [{ week, signals }] : [];
    });

  return {
    propertyId,
    name,
    currency,
    availability: 'ok',
    unavailableReason: null,
    metrics: propertyWeek?.metrics ?? null,
    signals: named(input.signals.properties.get(propertyId), name),
    campaigns,
    leadActivity: leadActivity(campaigns.map((c) => c.week)),
    unattributedHubspotLeads: propertyWeek?.unattributedHubspotLeads ?? 0,
    allTime: input.allTime.get(propertyId) ?? null,
  };
}

/** Lead activity lists every lead-generating campaign, and any other campaign that got leads. */
function leadActivity(campaigns: CampaignWeek[]): LeadActivityCampaign[] {
  return campaigns
    .filter((c) => c.isLeadGen || c.metrics.leads > 0 || c.metrics.hubspotLeads > 0)
    .map((c) => ({
      campaignId: c.campaignId,
      campaignName: c.campaignName,
      metaLeads: c.metrics.leads,
      hubspotLeads: c.metrics.hubspotLeads,
      spendMinor: c.metrics.spendMinor,
      cplSpendMinor: c.metrics.cplSpendMinor,
      landingPageViews: c.metrics.landingPageViews,
      adsets: c.adsets.map((a) => ({
        adsetId: a.adsetId,
        adsetName: a.adsetName,
        metaLeads: a.metrics.leads,
        hubspotLeads: a.metrics.hubspotLeads,
        spendMinor: a.metrics.spendMinor,
        cplSpendMinor: a.metrics.cplSpendMinor,
        landingPageViews: a.metrics.landingPageViews,
      })),
    }));
}

function reportTotals(available: PropertyReport[], input: BuildReportInput): Metrics {
  const totals = addMetrics(...available.flatMap((p) => (p.metrics ? [p.metrics] : [])));
  totals.hubspotLeads += input.current.unattributedWithoutProperty.get(input.week.start) ?? 0;

  return totals;
}

/** Signals key properties by id; readers see the configured name. */
function propertyName(report: ReportConfig, propertyId: string): string {
  return report.properties.find((p) => p.id === propertyId)?.name ?? propertyId;
}

function named(signals: EntitySignals | undefined, name: string): EntitySignals | null {
  return signals ? { ...signals, name } : null;
}
