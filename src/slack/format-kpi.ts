import { campaignStatus } from '../shared/headline-status.ts';
import type { EntitySignals, KpiKey, KpiSignal, Status } from '../shared/types.ts';

/** Human labels of the KPIs, in the order the Slack summary shows them. */
export const KPI_LABELS: Record<KpiKey, string> = {
  spend: 'Spend',
  leads: 'Leads (Meta)',
  cpl: 'CPL',
  ctr: 'CTR',
  clicks: 'Clicks',
  impressions: 'Impressions',
  hubspotLeads: 'HubSpot leads',
  landingPageViews: 'Landing page views',
  cpc: 'CPC',
};

const MONEY_KPIS = new Set<KpiKey>(['spend', 'cpl', 'cpc']);

/** True when the KPI is an amount of money (shown in the account currency). */
export function isMoneyKpi(key: KpiKey): boolean {
  return MONEY_KPIS.has(key);
}

/**
 * Formats a KPI display value: money in major units of `currency`, CTR as a percentage, counts
 * with thousands separators. Null, NaN and Infinity all show as "—".
 */
export function formatKpiValue(key: KpiKey, value: number | null, currency: string | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (key === 'ctr') return `${(value * 100).toFixed(2)}%`;
  if (isMoneyKpi(key)) return formatMajorMoney(value, currency);

  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(value);
}

/** Formats an amount in major units, e.g. `$1,234.50`; without a currency, a plain number. */
export function formatMajorMoney(value: number | null, currency: string | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (!currency) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);

  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);
}

/** Formats a week-over-week change fraction as `+12.0%`; null for an undefined change. */
export function formatChange(change: number | null): string | null {
  if (change === null || !Number.isFinite(change)) return null;
  const percent = (change * 100).toFixed(1);

  return change > 0 ? `+${percent}%` : `${percent}%`;
}

/** Formats a status as the bracketed tag readers know, bold when it needs attention. */
export function formatStatus(status: Status): string {
  return status === 'ALERT' ? `*[${status}]*` : `[${status}]`;
}

/**
 * KPI field titles where the plain label misleads: the report CPL counts lead-generating
 * campaigns only, so total spend over total leads gives a different figure.
 */
const FIELD_LABELS: Partial<Record<KpiKey, string>> = { cpl: 'CPL (lead campaigns)' };

/** Formats one KPI as a section field: the label, then value, status and change below it. */
export function formatKpiField(kpi: KpiSignal, currency: string | null): string {
  const change = formatChange(kpi.change);
  const value = formatKpiValue(kpi.key, kpi.value, currency);
  const parts = [value, formatStatus(kpi.status), change].filter(Boolean);

  return `*${FIELD_LABELS[kpi.key] ?? KPI_LABELS[kpi.key]}*\n${parts.join('  ')}`;
}

/** Returns the one status shown for a campaign, by the rule the email shares (`campaignStatus`). */
export function headlineStatus(signals: EntitySignals, isLeadGen: boolean): Status {
  return campaignStatus(signals, isLeadGen);
}
