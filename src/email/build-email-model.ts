import { DateTime } from 'luxon';
import { joinNames, shortenName } from '../shared/display-text.ts';
import { adsetCampaignNames } from '../shared/headline-status.ts';
import type {
  Department,
  EntityLevel,
  EntitySignals,
  KpiKey,
  KpiSignal,
  PropertyReport,
  ReportData,
} from '../shared/types.ts';
import { formatWeek } from '../shared/week.ts';
import {
  buildAllTimeRows,
  buildCampaignTables,
  buildLeadTables,
  buildRestatementLines,
} from './build-table-models.ts';
import type {
  AlertModel,
  ChartRequest,
  EmailModel,
  KpiCardModel,
  KpiGroupModel,
} from './email-model.ts';
import {
  cleanLine,
  cleanName,
  formatChange,
  formatKpiValue,
  formatKpiValueCompact,
  KPI_LABELS,
} from './format-values.ts';
import { groupTrendLines } from './group-trend-lines.ts';

export interface ModelOptions {
  /** Campaign rows per property table before the rest is summarised in one row. */
  maxRows: number;
}

const TOTAL_KPIS: KpiKey[] = ['spend', 'leads', 'cpl', 'ctr', 'clicks', 'cpc', 'landingPageViews'];
const PROPERTY_KPIS: KpiKey[] = ['spend', 'leads', 'cpl', 'ctr'];
/** Charts show at most the last 12 weeks so the line stays readable at 120 pixels. */
const MAX_CHART_WEEKS = 12;
export const CHART_WIDTH = 120;
export const CHART_HEIGHT = 32;

/** Status meanings as the signal rules define them, shown under the campaign tables. */
export const STATUS_LEGEND =
  'OK: within normal variance, checked against a full 4-week baseline with enough volume. ' +
  'FLAT: within normal variance, or too little history, volume or data to judge. ' +
  'UP/DOWN: beyond normal variance around the 4-week baseline. ' +
  'ALERT: a sustained move in the bad direction, or a hard rule such as spend without leads.';

/** Footnote under the campaign tables, as total spend over total leads differs from the CPL. */
export const CPL_NOTE =
  'CPL (lead campaigns): spend of lead-generating campaigns over their leads, ' +
  'so brand and traffic spend is left out.';

/**
 * Maximum characters of the report name in the subject. The config allows 200, and a subject
 * that long would push the week and the alert count out of every inbox list. With the name cut,
 * the subject stays near 100 characters: 60 for the name, at most 22 for the week label
 * ("30 Dec 2019–5 Jan 2020"), the alert count ("999 alerts") and two separators.
 */
export const SUBJECT_NAME_LENGTH = 60;

/** Card titles where the plain KPI label misleads. */
const CARD_LABELS: Partial<Record<KpiKey, string>> = { cpl: 'CPL (lead campaigns)' };

const LEVEL_NAMES: Record<EntityLevel, string> = {
  report: 'all properties',
  property: 'property',
  campaign: 'campaign',
  adset: 'ad set',
};

const DEPARTMENTS: Array<[Department, string]> = [
  ['marketing', 'Marketing'],
  ['digital', 'Digital/Dev'],
  ['leadership', 'Leadership'],
];

/** Builds the formatted content of the email, which the HTML and text renderers share. Pure. */
export function buildEmailModel(report: ReportData, options: ModelOptions): EmailModel {
  const weekLabel = formatWeek(report.week);

  return {
    subject: buildSubject(report, weekLabel),
    reportName: cleanName(report.reportName),
    weekLabel,
    timeZone: report.timeZone,
    properties: describeProperties(report.properties),
    headline: cleanLine(report.analysis.headline),
    kpiGroups: buildKpiGroups(report),
    kpiCoverage: describeKpiCoverage(report),
    kpiEmptyMessage: report.properties.some((property) => property.availability === 'ok')
      ? null
      : 'No KPI figures this week: Meta data is unavailable for every property.',
    alerts: buildAlerts(report),
    weekSummary: report.analysis.weekSummary.map(cleanLine),
    trendSummary: groupTrendLines(report.analysis.trendSummary.map(cleanLine), entityNames(report)),
    recommendations: DEPARTMENTS.map(([key, department]) => ({
      department,
      items: (report.analysis.recommendations[key] ?? []).map(cleanLine),
    })),
    campaignTables: buildCampaignTables(report.properties, options.maxRows),
    campaignNotes: [STATUS_LEGEND, CPL_NOTE],
    hubspotAvailable: report.hubspotAvailable,
    leadTables: buildLeadTables(report.properties, options.maxRows, report.hubspotAvailable),
    allTime: buildAllTimeRows(report.properties),
    restatements: buildRestatementLines(report),
    notes: report.notes.map(cleanLine),
    footer: buildFooter(report),
  };
}

/** Lists the property, campaign, ad set and alert names that trend lines may start with. */
function entityNames(report: ReportData): string[] {
  const names = report.alerts.map((alert) => alert.name);
  for (const property of report.properties) {
    names.push(property.name);
    for (const { week } of property.campaigns) {
      names.push(week.campaignName, ...week.adsets.map((adset) => adset.adsetName));
    }
  }

  return names.map(cleanLine);
}

/** Builds one entry per item of `report.alerts`, naming the campaign of an ad set. */
function buildAlerts(report: ReportData): AlertModel[] {
  const campaignNames = adsetCampaignNames(report);

  return report.alerts.map((alert) => {
    const campaign = alert.level === 'adset' ? campaignNames.get(alert.id) : undefined;
    const level = campaign ? `ad set in campaign ${cleanName(campaign)}` : LEVEL_NAMES[alert.level];

    return {
      subject: `${cleanName(alert.name)} (${level})`,
      reason: cleanLine(alert.reason),
    };
  });
}

function buildSubject(report: ReportData, weekLabel: string): string {
  const count = report.alerts.length;
  const alerts = count === 0 ? 'no alerts' : `${count} ${count === 1 ? 'alert' : 'alerts'}`;
  const name = shortenName(cleanLine(report.reportName), SUBJECT_NAME_LENGTH);

  return `${name} · ${weekLabel} · ${alerts}`;
}

function describeProperties(properties: PropertyReport[]): string {
  return properties
    .map((property) =>
      property.availability === 'ok'
        ? cleanName(property.name)
        : `${cleanName(property.name)} (Meta data unavailable)`,
    )
    .join(', ');
}

/**
 * Describes which properties the KPI cards leave out when some, but not all, have no Meta data.
 * Report totals, changes and charts sum the properties with data in the report week. The same
 * properties are summed for every earlier week, so last week's figure leaves them out too.
 */
function describeKpiCoverage(report: ReportData): string | null {
  const missing = report.properties.filter((property) => property.availability !== 'ok');
  const covered = report.properties.length - missing.length;
  if (missing.length === 0 || covered === 0) return null;
  const names = joinNames(missing.map((property) => cleanName(property.name)));
  const single = missing.length === 1;
  const reason = `because ${single ? 'its' : 'their'} Meta data is unavailable this week`;
  if (!usesReportTotals(report))
    return `${names} ${single ? 'has' : 'have'} no KPI cards ${reason}.`;

  return (
    `Totals and changes cover ${covered} of ${report.properties.length} properties in every ` +
    `week shown. ${names} ${single ? 'is' : 'are'} left out ${reason}.`
  );
}

/** Returns true when the cards show report totals, which a report with several currencies lacks. */
function usesReportTotals(report: ReportData): boolean {
  return report.totals !== null && report.currency !== null;
}

function buildKpiGroups(report: ReportData): KpiGroupModel[] {
  if (report.totals && report.currency) {
    const keys: KpiKey[] = [
      ...TOTAL_KPIS,
      report.hubspotAvailable ? 'hubspotLeads' : 'impressions',
    ];

    return [{ title: null, cards: buildCards(report.totals, keys, report.currency, 'total') }];
  }

  return report.properties
    .filter((property) => property.availability === 'ok' && property.signals)
    .map((property, index) => ({
      title: `${cleanName(property.name)} (${property.currency})`,
      cards: buildCards(
        property.signals as EntitySignals,
        PROPERTY_KPIS,
        property.currency,
        `p${index + 1}`,
      ),
    }));
}

function buildCards(
  signals: EntitySignals,
  keys: KpiKey[],
  currency: string,
  prefix: string,
): KpiCardModel[] {
  return keys.flatMap((key) => {
    const signal = signals.kpis.find((kpi) => kpi.key === key);
    if (!signal) return [];

    return [
      {
        label: CARD_LABELS[key] ?? KPI_LABELS[key],
        value: formatKpiValueCompact(key, signal.value, currency),
        change: describeChange(signal),
        status: signal.status,
        chart: chartRequest(signal, currency, `${prefix}-${key}`),
      },
    ];
  });
}

function describeChange(signal: KpiSignal): string {
  if (signal.previous === null) return 'no prior week';
  const change = formatChange(signal.change);

  return change === '—' ? 'change —' : `${change} vs last week`;
}

function chartRequest(signal: KpiSignal, currency: string, name: string): ChartRequest {
  const values = signal.series.slice(-MAX_CHART_WEEKS);
  const known = values.filter((value) => value !== null && Number.isFinite(value));
  const label = KPI_LABELS[signal.key];
  const first = formatKpiValue(signal.key, known[0] ?? null, currency);
  const last = formatKpiValue(signal.key, known.at(-1) ?? null, currency);
  const alt =
    known.length === 0
      ? `${label} trend: no data`
      : `${label} trend over ${values.length} weeks, from ${first} to ${last}`;

  return {
    cid: `kpi-${name}@adreport`,
    filename: `kpi-${name}.png`,
    alt,
    values,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  };
}

function formatGeneratedAt(report: ReportData): string {
  const time = DateTime.fromISO(report.generatedAt, { zone: report.timeZone });

  return time.isValid ? time.toFormat('d LLL yyyy HH:mm ZZZZ') : report.generatedAt;
}

function buildFooter(report: ReportData): string[] {
  const { analysis } = report;
  const lines = [`Run ${report.runId} · generated ${formatGeneratedAt(report)}`];
  if (analysis.source === 'claude') {
    lines.push(`Analysis written by Claude (${analysis.model ?? 'model not recorded'}).`);
    if (analysis.droppedClaims > 0) {
      const claims = analysis.droppedClaims === 1 ? 'statement was' : 'statements were';
      lines.push(
        `${analysis.droppedClaims} ${claims} removed because the numbers matched no computed figure.`,
      );
    }
  } else {
    const reason = analysis.fallbackReason ? `: ${cleanLine(analysis.fallbackReason)}` : '';
    lines.push(`Analysis: offline narrative written by rules${reason}.`);
  }
  lines.push('Statuses come from fixed rules on the figures, not from the model.');

  return lines;
}
