/**
 * The one-line status of a campaign or ad set, shared by the email and the Slack summary so that
 * every place that shows a campaign on one line shows the same status.
 */
import type { EntitySignals, KpiKey, KpiSignal, ReportData, Status } from './types.ts';

/**
 * Returns the KPI behind an entity's one-line status. Rule: when any KPI is ALERT, it is that KPI
 * (the main KPI first when it is the one in ALERT), so an alert never hides behind a calm figure.
 * Otherwise it is the main KPI: leads for a lead-generating entity, spend for any other.
 * Returns null when the entity has neither an ALERT nor its main KPI.
 */
export function headlineKpi(entity: EntitySignals, isLeadGen: boolean): KpiSignal | null {
  const mainKey: KpiKey = isLeadGen ? 'leads' : 'spend';
  const main = entity.kpis.find((kpi) => kpi.key === mainKey) ?? null;
  if (main?.status === 'ALERT') return main;
  const alert = entity.kpis.find((kpi) => kpi.status === 'ALERT');

  return alert ?? main;
}

/** Returns the one-line status of a campaign, or FLAT when it has no KPI to judge by. */
export function campaignStatus(entity: EntitySignals, isLeadGen: boolean): Status {
  return headlineKpi(entity, isLeadGen)?.status ?? 'FLAT';
}

/** Maps each ad set id in the report to its campaign's name, for naming ad-set alerts. */
export function adsetCampaignNames(report: ReportData): Map<string, string> {
  const names = new Map<string, string>();
  for (const property of report.properties) {
    for (const { week } of property.campaigns) {
      for (const adset of week.adsets) names.set(adset.adsetId, week.campaignName);
    }
  }

  return names;
}
