import type { KnownBlock } from '@slack/types';
import { flattenText, joinNames, shortenName } from '../shared/display-text.ts';
import { adsetCampaignNames, campaignStatus, headlineKpi } from '../shared/headline-status.ts';
import { cplMinor } from '../shared/metrics.ts';
import { formatMoney } from '../shared/money.ts';
import type {
  EntitySignals,
  KpiKey,
  KpiSignal,
  PropertyReport,
  ReportData,
} from '../shared/types.ts';
import { formatWeek } from '../shared/week.ts';
import {
  contextBlock,
  fieldBlocks,
  headerBlock,
  packMessages,
  SLACK_LIMITS,
  type SlackMessage,
  sectionBlocks,
} from './blocks.ts';
import { createTextEscaper, type TextEscaper } from './escape-report-text.ts';
import {
  formatChange,
  formatKpiField,
  formatKpiValue,
  formatStatus,
  isMoneyKpi,
  KPI_LABELS,
} from './format-kpi.ts';
import { escapeInline, escapeName, truncateMrkdwn } from './mrkdwn.ts';

/** Campaigns listed by name in the summary; the rest are counted in a "+N more" line. */
export const TOP_CAMPAIGNS = 15;

/** Restatement lines listed before a "+N more" line. */
const TOP_RESTATEMENTS = 5;

const SUMMARY_KPIS: KpiKey[] = [
  'spend',
  'leads',
  'cpl',
  'ctr',
  'clicks',
  'impressions',
  'hubspotLeads',
  'landingPageViews',
  'cpc',
];

/**
 * Builds the weekly Slack summary: headline, KPI fields with statuses, alerts, the top campaigns
 * and an invitation to ask in the thread. Every source and model string is escaped. Content
 * beyond one message's Block Kit limits is split into several messages. The first one goes to
 * the channel and the others belong in its thread.
 */
export function buildSummaryMessage(report: ReportData): SlackMessage[] {
  const escapeText = createTextEscaper(report);
  const reportName = displayReportName(report);
  const blocks: KnownBlock[] = [
    headerBlock(`${reportName}: ${formatWeek(report.week)}`),
    ...headlineBlocks(report, escapeText),
    ...kpiBlocks(report),
    ...propertyBlocks(report, escapeText),
    ...alertBlocks(report, escapeText),
    ...restatementBlocks(report),
    ...campaignBlocks(report),
    ...noteBlocks(report, escapeText),
  ];
  const packed = packMessages(blocks, [contextBlock(inviteText())]);
  const title = `${escapeInline(reportName)}, ${formatWeek(report.week)}`;

  return packed.map((message, index) => ({
    text:
      index === 0
        ? firstFallback(report, title, escapeText)
        : `${title} (part ${index + 1} of ${packed.length})`,
    blocks: message.blocks,
  }));
}

/**
 * Returns the report name on one line, cut to the display length. The config allows 200
 * characters, so an uncut name would push the week out of the 150-character header.
 */
function displayReportName(report: ReportData): string {
  return shortenName(flattenText(report.reportName));
}

/**
 * Builds the notification text of the first message: report, week, headline and alert count, each
 * stated once. The offline headline often names the week ("No alerts for 9–15 Nov 2026: …") or the
 * alert count ("3 alerts in all need attention."), so those parts are left out when it does.
 */
function firstFallback(report: ReportData, title: string, escapeText: TextEscaper): string {
  const headline = escapeText(report.analysis.headline);
  const week = formatWeek(report.week);
  const lead = headline.includes(week) ? escapeInline(displayReportName(report)) : title;
  const count = /\b(\d+|no) alerts?\b/i.test(headline) ? 0 : report.alerts.length;
  let alerts = '';
  if (count === 1) alerts = ' 1 alert.';
  else if (count > 1) alerts = ` ${count} alerts.`;

  return truncateMrkdwn(`${lead}: ${headline}${alerts}`, SLACK_LIMITS.fallbackText);
}

function inviteText(): string {
  return (
    'Questions about these figures? Reply in this thread and mention the app, ' +
    'e.g. "which campaign drove the CPL change?"'
  );
}

function headlineBlocks(report: ReportData, escapeText: TextEscaper): KnownBlock[] {
  const lines = [`*${escapeText(report.analysis.headline)}*`];
  for (const line of report.analysis.weekSummary) lines.push(`• ${escapeText(line)}`);
  const blocks: KnownBlock[] = sectionBlocks(lines);
  if (report.analysis.source === 'offline') {
    const reason = report.analysis.fallbackReason
      ? `: ${escapeText(report.analysis.fallbackReason)}`
      : '';
    blocks.push(contextBlock(`Written by the offline narrative, not Claude${reason}`));
  }

  return blocks;
}

function kpiBlocks(report: ReportData): KnownBlock[] {
  if (!report.totals) {
    return sectionBlocks(['*No report totals this week.* See the properties below.']);
  }
  const kpis = pickKpis(report.totals, report).filter(
    (kpi) => report.currency !== null || !isMoneyKpi(kpi.key),
  );
  const blocks: KnownBlock[] = fieldBlocks(kpis.map((kpi) => formatKpiField(kpi, report.currency)));
  const coverage = describeTotalsCoverage(report);
  if (coverage) blocks.push(contextBlock(coverage));
  if (kpis.some((kpi) => kpi.key === 'cpl')) blocks.push(contextBlock(CPL_NOTE));
  if (report.currency === null) {
    blocks.push(
      contextBlock(
        'Spend, CPL and CPC are shown per property because the properties use different currencies.',
      ),
    );
  }

  return blocks;
}

/**
 * Describes which properties the report totals leave out because their Meta data is unavailable.
 * Totals sum the properties with data in the report week, and last week's figure sums the same
 * properties, so the change compares like with like.
 */
function describeTotalsCoverage(report: ReportData): string | null {
  const missing = report.properties.filter((property) => property.availability !== 'ok');
  const covered = report.properties.length - missing.length;
  if (missing.length === 0 || covered === 0) return null;
  const joined = joinNames(missing.map((property) => escapeName(property.name)));
  const single = missing.length === 1;

  return (
    `Totals and changes cover ${covered} of ${report.properties.length} properties in both ` +
    `weeks. ${joined} ${single ? 'is' : 'are'} left out because ${single ? 'its' : 'their'} Meta data ` +
    'is unavailable this week.'
  );
}

/** Footnote under the KPI fields, because total spend over total leads differs from the CPL. */
const CPL_NOTE =
  'CPL (lead campaigns) is the spend of lead-generating campaigns over their leads, ' +
  'so it leaves out the spend of brand and traffic campaigns.';

function pickKpis(signals: EntitySignals, report: ReportData): KpiSignal[] {
  const byKey = new Map(signals.kpis.map((kpi) => [kpi.key, kpi]));

  return SUMMARY_KPIS.filter((key) => key !== 'hubspotLeads' || report.hubspotAvailable)
    .map((key) => byKey.get(key))
    .filter((kpi): kpi is KpiSignal => kpi !== undefined);
}

function propertyBlocks(report: ReportData, escapeText: TextEscaper): KnownBlock[] {
  const showProperties = report.properties.length > 1 || report.currency === null;
  if (!showProperties) return [];
  const lines = [
    '*By property*',
    ...report.properties.map((property) => propertyLine(property, escapeText)),
  ];

  return sectionBlocks(lines);
}

function propertyLine(property: PropertyReport, escapeText: TextEscaper): string {
  const name = `*${escapeName(property.name)}*`;
  if (property.availability === 'unavailable') {
    const reason = property.unavailableReason ? ` (${escapeText(property.unavailableReason)})` : '';

    return `• ${name}: Meta data unavailable${reason}`;
  }
  const byKey = new Map(property.signals?.kpis.map((kpi) => [kpi.key, kpi]) ?? []);
  const parts = (['spend', 'leads', 'cpl'] as const).map((key) => {
    const kpi = byKey.get(key);
    const value = formatKpiValue(key, kpi?.value ?? null, property.currency);

    return kpi
      ? `${KPI_LABELS[key]} ${value} ${formatStatus(kpi.status)}`
      : `${KPI_LABELS[key]} ${value}`;
  });

  return `• ${name}: ${parts.join(' · ')}`;
}

function alertBlocks(report: ReportData, escapeText: TextEscaper): KnownBlock[] {
  if (report.alerts.length === 0) return [];
  const campaignNames = adsetCampaignNames(report);
  const lines = [`*Alerts (${report.alerts.length})*`];
  // Every reason names its KPI ("Leads per click lower…", "No leads this week…"), so the line
  // adds no KPI label of its own and rule and KPI alerts read alike.
  for (const alert of report.alerts) {
    const campaign = alert.level === 'adset' ? campaignNames.get(alert.id) : undefined;
    const where = campaign ? ` (campaign ${escapeName(campaign)})` : '';
    lines.push(
      `• ${formatStatus('ALERT')} *${escapeName(alert.name)}*${where}: ${escapeText(alert.reason)}`,
    );
  }

  return sectionBlocks(lines);
}

function restatementBlocks(report: ReportData): KnownBlock[] {
  if (report.restatements.length === 0) return [];
  const names = new Map(report.properties.map((property) => [property.propertyId, property]));
  const lines = ['*Earlier weeks restated by Meta*'];
  for (const item of report.restatements.slice(0, TOP_RESTATEMENTS)) {
    const property = names.get(item.propertyId);
    const currency = property?.currency ?? report.currency;
    const before = formatKpiValue(item.kpi, item.before, currency);
    const after = formatKpiValue(item.kpi, item.after, currency);
    const where = escapeName(property?.name ?? item.propertyId);
    lines.push(
      `• ${where}, week of ${item.weekStart}: ${KPI_LABELS[item.kpi]} ${before} → ${after}`,
    );
  }
  const more = report.restatements.length - TOP_RESTATEMENTS;
  if (more > 0) lines.push(`+${more} more restated figures: see the email`);

  return sectionBlocks(lines);
}

function campaignBlocks(report: ReportData): KnownBlock[] {
  const campaigns = report.properties.flatMap((property) =>
    property.campaigns.map((campaign) => ({ ...campaign, property })),
  );
  if (campaigns.length === 0) return [];
  campaigns.sort((a, b) => b.week.metrics.spendMinor - a.week.metrics.spendMinor);
  const showProperty = report.properties.length > 1;
  const lines = [
    `*Top campaigns by spend (${Math.min(TOP_CAMPAIGNS, campaigns.length)} of ${campaigns.length})*`,
  ];
  for (const { week, signals, property } of campaigns.slice(0, TOP_CAMPAIGNS)) {
    const spend = formatMoney(week.metrics.spendMinor, week.currency);
    const cpl = week.isLeadGen
      ? ` · CPL ${formatMoney(cplMinor(week.metrics), week.currency)}`
      : '';
    const where = showProperty ? ` _(${escapeName(property.name)})_` : '';
    const figures = `${spend} · ${leadCount(week.metrics.leads)}${cpl}`;
    const change = headlineChange(signals, week.isLeadGen);
    const status = formatStatus(campaignStatus(signals, week.isLeadGen));
    lines.push(`• *${escapeName(week.campaignName)}*${where}: ${figures}${change} ${status}`);
  }
  const more = campaigns.length - TOP_CAMPAIGNS;
  if (more > 0) {
    lines.push(`+${more} more campaigns: see the email, or run \`/adreport trend <campaign>\``);
  }

  return sectionBlocks(lines);
}

/** Names the KPI behind a campaign's status with its change, as the email's Change column does. */
function headlineChange(signals: EntitySignals, isLeadGen: boolean): string {
  const kpi = headlineKpi(signals, isLeadGen);
  if (!kpi) return '';

  return ` · ${formatChange(kpi.change) ?? '—'} ${CHANGE_LABELS[kpi.key]}`;
}

/** KPI names as they read after a change, e.g. `−20.0% leads`, `+96.0% CPL`. */
const CHANGE_LABELS: Record<KpiKey, string> = {
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  ctr: 'CTR',
  cpc: 'CPC',
  leads: 'leads',
  cpl: 'CPL',
  landingPageViews: 'landing page views',
  hubspotLeads: 'HubSpot leads',
};

function noteBlocks(report: ReportData, escapeText: TextEscaper): KnownBlock[] {
  const notes = [...report.notes];
  if (!report.hubspotAvailable && !notes.some((note) => /hubspot/i.test(note))) {
    notes.push('HubSpot leads are unavailable this week.');
  }
  if (notes.length === 0) return [];

  return sectionBlocks(['*Notes*', ...notes.map((note) => `• ${escapeText(note)}`)]);
}

function leadCount(leads: number): string {
  return leads === 1 ? '1 lead' : `${leads} leads`;
}
