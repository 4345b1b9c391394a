import { DateTime } from 'luxon';
import { campaignStatus, headlineKpi } from '../shared/headline-status.ts';
import { cplMinor, ctr, ratio } from '../shared/metrics.ts';
import type {
  CampaignWeek,
  EntitySignals,
  LeadActivityAdSet,
  LeadActivityCampaign,
  PropertyReport,
  ReportData,
  Restatement,
} from '../shared/types.ts';
import type {
  AllTimeRowModel,
  CampaignRowModel,
  CampaignTableModel,
  LeadRowModel,
  LeadTableModel,
} from './email-model.ts';
import {
  cleanLine,
  cleanName,
  formatChange,
  formatCount,
  formatKpiValue,
  formatMinorMoney,
  formatPercent,
  formatWholeMoney,
  KPI_LABELS,
  UNDEFINED_VALUE,
} from './format-values.ts';

/** Ad sets listed under each campaign in lead activity. The rest are summed in one row. */
const MAX_ADSETS = 2;

function unavailableReason(property: PropertyReport): string | null {
  if (property.availability === 'ok') return null;

  return `Meta data unavailable: ${cleanLine(property.unavailableReason ?? 'reason not recorded')}`;
}

/** Builds one campaign table per property, largest spend first, summarising rows past `maxRows`. */
export function buildCampaignTables(
  properties: PropertyReport[],
  maxRows: number,
): CampaignTableModel[] {
  return properties.map((property) => {
    const sorted = [...property.campaigns].sort(
      (a, b) =>
        b.week.metrics.spendMinor - a.week.metrics.spendMinor ||
        a.week.campaignName.localeCompare(b.week.campaignName),
    );
    const shown = sorted.slice(0, maxRows);
    const hidden = sorted.slice(maxRows).map((campaign) => campaign.week);

    return {
      propertyName: cleanName(property.name),
      unavailableReason: unavailableReason(property),
      rows: shown.map(({ week, signals }) => campaignRow(week, signals, property.currency)),
      rest: hidden.length > 0 ? summariseCampaigns(hidden, property.currency) : null,
    };
  });
}

function campaignRow(
  week: CampaignWeek,
  signals: EntitySignals,
  currency: string,
): CampaignRowModel {
  const primary = headlineKpi(signals, week.isLeadGen);

  return {
    name: cleanName(week.campaignName),
    spend: formatWholeMoney(week.metrics.spendMinor, currency),
    leads: formatCount(week.metrics.leads),
    cpl: formatMinorMoney(cplMinor(week.metrics), currency),
    ctr: formatPercent(ctr(week.metrics)),
    change: primary
      ? `${formatChange(primary.change)} ${KPI_LABELS[primary.key].toLowerCase()}`
      : UNDEFINED_VALUE,
    status: campaignStatus(signals, week.isLeadGen),
  };
}

function summariseCampaigns(campaigns: CampaignWeek[], currency: string): string {
  const spend = campaigns.reduce((sum, campaign) => sum + campaign.metrics.spendMinor, 0);
  const leads = campaigns.reduce((sum, campaign) => sum + campaign.metrics.leads, 0);

  return `and ${formatCount(campaigns.length)} more, ${formatWholeMoney(spend, currency)} spend, ${formatCount(leads)} leads`;
}

/** CPL counts lead-generating spend only, so a campaign without it has no CPL. */
function leadCpl(item: { cplSpendMinor: number; metaLeads: number }, currency: string): string {
  if (item.cplSpendMinor === 0) return UNDEFINED_VALUE;

  return formatMinorMoney(ratio(item.cplSpendMinor, item.metaLeads), currency);
}

/**
 * Builds lead activity per property: campaigns with the most leads first, each with its top ad
 * sets. When HubSpot is unavailable its column shows "—" instead of zeros.
 */
export function buildLeadTables(
  properties: PropertyReport[],
  maxRows: number,
  hubspotAvailable: boolean,
): LeadTableModel[] {
  return properties.map((property) => {
    const sorted = [...property.leadActivity].sort(
      (a, b) => totalLeads(b) - totalLeads(a) || b.spendMinor - a.spendMinor,
    );
    const shown = sorted.slice(0, maxRows);
    const hidden = sorted.slice(maxRows);
    const format = { currency: property.currency, hubspotAvailable };
    const unattributed = property.unattributedHubspotLeads;

    return {
      propertyName: cleanName(property.name),
      unavailableReason: unavailableReason(property),
      rows: shown.flatMap((campaign) => leadRows(campaign, format)),
      rest: hidden.length > 0 ? summariseLeads(hidden, hubspotAvailable) : null,
      unattributed:
        hubspotAvailable && property.availability === 'ok'
          ? `${formatCount(unattributed)} HubSpot ${unattributed === 1 ? 'lead' : 'leads'} could not be matched to a campaign or ad set`
          : null,
    };
  });
}

const totalLeads = (item: { metaLeads: number; hubspotLeads: number }) =>
  item.metaLeads + item.hubspotLeads;

interface LeadFormat {
  currency: string;
  hubspotAvailable: boolean;
}

function leadRow(
  level: LeadRowModel['level'],
  item: Omit<LeadActivityAdSet, 'adsetId' | 'adsetName'> & { name: string },
  format: LeadFormat,
): LeadRowModel {
  return {
    level,
    name: cleanName(item.name),
    metaLeads: formatCount(item.metaLeads),
    hubspotLeads: format.hubspotAvailable ? formatCount(item.hubspotLeads) : UNDEFINED_VALUE,
    cpl: leadCpl(item, format.currency),
    landingPageViews: formatCount(item.landingPageViews),
    hasLeads: totalLeads(item) > 0,
  };
}

/**
 * Builds a campaign row, then its ad sets. A campaign without leads lists none, as all would be
 * zero.
 */
function leadRows(campaign: LeadActivityCampaign, format: LeadFormat): LeadRowModel[] {
  const rows = [leadRow('campaign', { ...campaign, name: campaign.campaignName }, format)];
  if (totalLeads(campaign) === 0) return rows;
  const adsets = [...campaign.adsets].sort((a, b) => totalLeads(b) - totalLeads(a));
  // Summarising a single ad set would take a row as well, so it is listed instead.
  const listed = adsets.length === MAX_ADSETS + 1 ? adsets.length : MAX_ADSETS;
  for (const adset of adsets.slice(0, listed)) {
    rows.push(leadRow('adset', { ...adset, name: adset.adsetName }, format));
  }
  const rest = adsets.slice(listed);
  if (rest.length > 0) {
    const sum = sumLeadItems(rest);
    const name = `${rest.length} more ${rest.length === 1 ? 'ad set' : 'ad sets'}`;
    rows.push(leadRow('summary', { ...sum, name }, format));
  }

  return rows;
}

function sumLeadItems(
  items: LeadActivityAdSet[],
): Omit<LeadActivityAdSet, 'adsetId' | 'adsetName'> {
  const sum = {
    metaLeads: 0,
    hubspotLeads: 0,
    spendMinor: 0,
    cplSpendMinor: 0,
    landingPageViews: 0,
  };
  for (const item of items) {
    sum.metaLeads += item.metaLeads;
    sum.hubspotLeads += item.hubspotLeads;
    sum.spendMinor += item.spendMinor;
    sum.cplSpendMinor += item.cplSpendMinor;
    sum.landingPageViews += item.landingPageViews;
  }

  return sum;
}

function summariseLeads(campaigns: LeadActivityCampaign[], hubspotAvailable: boolean): string {
  const meta = campaigns.reduce((sum, campaign) => sum + campaign.metaLeads, 0);
  const hubspot = campaigns.reduce((sum, campaign) => sum + campaign.hubspotLeads, 0);
  const idle = campaigns.filter((campaign) => totalLeads(campaign) === 0).length;
  const crm = hubspotAvailable ? `, ${formatCount(hubspot)} HubSpot leads` : '';

  return `and ${formatCount(campaigns.length)} more campaigns, ${formatCount(meta)} Meta leads${crm}, ${formatCount(idle)} with no leads`;
}

/** Builds one all-time row per property that has stored totals. */
export function buildAllTimeRows(properties: PropertyReport[]): AllTimeRowModel[] {
  return properties.flatMap((property) => {
    const totals = property.allTime;
    if (!totals) return [];
    const weeks = `${formatCount(totals.weekCount)} ${totals.weekCount === 1 ? 'week' : 'weeks'}`;
    const since = totals.firstWeek ? `since ${formatDate(totals.firstWeek)}, ${weeks}` : weeks;

    return [
      {
        propertyName: cleanName(property.name),
        spend: formatWholeMoney(totals.metrics.spendMinor, property.currency),
        leads: formatCount(totals.metrics.leads),
        cpl: formatMinorMoney(cplMinor(totals.metrics), property.currency),
        hubspotLeads: formatCount(totals.metrics.hubspotLeads),
        since,
      },
    ];
  });
}

function formatDate(isoDate: string): string {
  const date = DateTime.fromISO(isoDate, { zone: 'UTC' });

  return date.isValid ? date.toFormat('d LLL yyyy') : isoDate;
}

/** Describes each restated week in one line, e.g. `Riverside Lofts · Retargeting · week of …`. */
export function buildRestatementLines(report: ReportData): string[] {
  return report.restatements.map((restatement) => {
    const property = report.properties.find((item) => item.propertyId === restatement.propertyId);
    const currency = property?.currency ?? report.currency ?? 'USD';
    const scope = restatementScope(restatement, property);
    const before = formatKpiValue(restatement.kpi, restatement.before, currency);
    const after = formatKpiValue(restatement.kpi, restatement.after, currency);

    return `${scope} · week of ${formatDate(restatement.weekStart)}: ${KPI_LABELS[restatement.kpi]} ${before} → ${after}`;
  });
}

function restatementScope(restatement: Restatement, property: PropertyReport | undefined): string {
  const propertyName = cleanName(property?.name ?? restatement.propertyId);
  if (!restatement.campaignId) return propertyName;
  const campaign = property?.campaigns.find(
    (item) => item.week.campaignId === restatement.campaignId,
  );

  return `${propertyName} · ${cleanName(campaign?.week.campaignName ?? `campaign ${restatement.campaignId}`)}`;
}
