import {
  type CampaignTableModel,
  type EmailModel,
  type KpiCardModel,
  type KpiGroupModel,
  type LeadRowModel,
  type LeadTableModel,
  TREND_HEADING,
} from './email-model.ts';
import type { TrendItemModel } from './group-trend-lines.ts';
import {
  bullets,
  COLORS,
  type Column,
  dataRow,
  dataTableStart,
  escapeHtml,
  heading2,
  heading3,
  paragraph,
  sectionRow,
  spanRow,
  statusLabel,
  warningLine,
} from './html-blocks.ts';

const FONT_STACK = 'Arial,Helvetica,sans-serif';

/**
 * Outlook's Word engine does not pass a font from a cell into a nested table, so only Outlook
 * (inside the conditional comment) gets a style block that sets it on every element.
 */
const MSO_HEAD = `<!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><style>table,td,th,div,p,span,h1,h2,h3{font-family:${FONT_STACK}!important}.d td,.d th{font-size:12px}</style><![endif]-->`;

/** Renders the whole HTML document, minified (no whitespace between tags). */
export function renderEmailHtml(model: EmailModel): string {
  const rows = [
    renderHeader(model),
    renderKpis(model),
    renderAlerts(model),
    renderSummary(model),
    renderRecommendations(model),
    renderCampaigns(model.campaignTables, model.campaignNotes),
    renderLeadActivity(model),
    renderAllTime(model),
    renderRestatements(model.restatements),
    renderNotes(model.notes),
    renderFooter(model.footer),
  ].join('');

  return wrapDocument(model, rows);
}

function wrapDocument(model: EmailModel, rows: string): string {
  const head = `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="x-apple-disable-message-reformatting"><meta name="color-scheme" content="light"><meta name="supported-color-schemes" content="light"><title>${escapeHtml(model.subject)}</title>${MSO_HEAD}</head>`;
  const container = `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;color:${COLORS.text}">${rows}</table>`;
  const ghostOpen = `<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`;
  const ghostClose = '<!--[if mso]></td></tr></table><![endif]-->';
  const outer = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${COLORS.page}"><tr><td align="center" style="padding:12px 0">${ghostOpen}${container}${ghostClose}</td></tr></table>`;
  const body = `<body style="margin:0;padding:0;background-color:${COLORS.page};font-family:${FONT_STACK}">${outer}</body>`;

  return `<!DOCTYPE html><html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:o="urn:schemas-microsoft-com:office:office">${head}${body}</html>`;
}

function renderHeader(model: EmailModel): string {
  const banner = [
    `<h1 style="margin:0 0 4px;font-size:21px;line-height:27px;color:#ffffff">${escapeHtml(model.reportName)}</h1>`,
    `<p style="margin:0;font-size:14px;line-height:20px;color:#dbeafe">Week ${escapeHtml(model.weekLabel)} (${escapeHtml(model.timeZone)})</p>`,
    `<p style="margin:0;font-size:13px;line-height:19px;color:#dbeafe">Properties: ${escapeHtml(model.properties)}</p>`,
  ].join('');
  const headline = `<p style="margin:0;font-size:16px;line-height:23px;font-weight:bold;color:${COLORS.text}">${escapeHtml(model.headline)}</p>`;

  return `<tr><td style="padding:18px 16px;background-color:${COLORS.brand}">${banner}</td></tr>${sectionRow(headline, '14px 16px 6px')}`;
}

function renderKpis(model: EmailModel): string {
  if (model.kpiGroups.length === 0) {
    return sectionRow(warningLine(model.kpiEmptyMessage ?? 'No KPI figures this week.'));
  }

  const coverage = model.kpiCoverage
    ? sectionRow(paragraph(escapeHtml(model.kpiCoverage), `color:${COLORS.muted}`), '0 16px 8px')
    : '';

  return model.kpiGroups.map(renderKpiGroup).join('') + coverage;
}

/** Renders four cards per row as flat `td width="25%"` cells. A card never contains a table. */
function renderKpiGroup(group: KpiGroupModel): string {
  const title = group.title ? heading3(group.title) : '';
  const rows: string[] = [];
  for (let start = 0; start < group.cards.length; start += 4) {
    const cards = group.cards.slice(start, start + 4).map(renderKpiCard);
    while (cards.length < 4) cards.push('<td width="25%"></td>');
    rows.push(`<tr>${cards.join('')}</tr>`);
  }
  const table = `<table role="presentation" width="100%" cellpadding="0" cellspacing="4" border="0">${rows.join('')}</table>`;

  return sectionRow(`${title}${table}`, '4px 8px 8px');
}

function renderKpiCard(card: KpiCardModel): string {
  const chart = card.chart
    ? `<img src="cid:${escapeHtml(card.chart.cid)}" width="${card.chart.width}" height="${card.chart.height}" alt="${escapeHtml(card.chart.alt)}" style="display:block;width:100%;max-width:${card.chart.width}px;height:auto;border:0;margin-top:6px">`
    : '';

  return [
    `<td width="25%" valign="top" style="padding:6px;border:1px solid ${COLORS.border};background-color:${COLORS.card}">`,
    `<p style="margin:0;font-size:11px;line-height:14px;color:${COLORS.muted}">${escapeHtml(card.label)}</p>`,
    `<p style="margin:0;font-size:18px;line-height:24px;font-weight:bold;color:${COLORS.text}">${escapeHtml(card.value)}</p>`,
    `<p style="margin:0 0 4px;font-size:11px;line-height:14px;color:${COLORS.muted}">${escapeHtml(card.change)}</p>`,
    statusLabel(card.status),
    chart,
    '</td>',
  ].join('');
}

function renderAlerts(model: EmailModel): string {
  const items =
    model.alerts.length === 0
      ? paragraph('No alerts this week.')
      : model.alerts
          .map((alert) =>
            paragraph(
              `${statusLabel('ALERT')} <strong>${escapeHtml(alert.subject)}</strong>: ${escapeHtml(alert.reason)}`,
            ),
          )
          .join('');

  return sectionRow(`${heading2('Alerts')}${items}`);
}

/** Renders a trend bullet, with the details about one campaign indented below its name. */
function renderTrendItem(item: TrendItemModel): string {
  const details = item.details.map((detail) =>
    paragraph(`&#9702;&nbsp;${escapeHtml(detail)}`, 'padding-left:16px'),
  );

  return bullets([item.text]) + details.join('');
}

function renderSummary(model: EmailModel): string {
  if (model.weekSummary.length === 0 && model.trendSummary.length === 0) return '';
  const week =
    model.weekSummary.length > 0 ? `${heading3('This week')}${bullets(model.weekSummary)}` : '';
  const trend =
    model.trendSummary.length > 0
      ? `${heading3(TREND_HEADING)}${model.trendSummary.map(renderTrendItem).join('')}`
      : '';

  return sectionRow(`${heading2('What changed')}${week}${trend}`);
}

function renderRecommendations(model: EmailModel): string {
  const blocks = model.recommendations.map(({ department, items }) => {
    const lines = items.length > 0 ? bullets(items) : paragraph('No recommendation this week.');

    return `${heading3(department)}${lines}`;
  });

  return sectionRow(`${heading2('Recommendations')}${blocks.join('')}`);
}

const CAMPAIGN_COLUMNS: Column[] = [
  { title: 'Campaign', align: 'left' },
  { title: 'Spend', align: 'right', width: 10 },
  { title: 'Leads', align: 'right', width: 7 },
  { title: 'CPL', align: 'right', width: 10 },
  { title: 'CTR', align: 'right', width: 8 },
  { title: 'Change', align: 'right', width: 16 },
  { title: 'Status', align: 'right', width: 10 },
];

function renderCampaigns(tables: CampaignTableModel[], notes: string[]): string {
  const blocks = tables.map((table) => {
    if (table.unavailableReason)
      return `${heading3(table.propertyName)}${warningLine(table.unavailableReason)}`;
    if (table.rows.length === 0)
      return `${heading3(table.propertyName)}${paragraph('No campaigns ran this week.')}`;
    const rows = table.rows.map((row) =>
      dataRow(
        [row.name, row.spend, row.leads, row.cpl, row.ctr, row.change, statusLabel(row.status)].map(
          (cell, index) => (index === 6 ? cell : escapeHtml(cell)),
        ),
        {},
      ),
    );
    const rest = table.rest ? spanRow(table.rest, CAMPAIGN_COLUMNS.length) : '';

    return `${heading3(table.propertyName)}${dataTableStart(CAMPAIGN_COLUMNS)}${rows.join('')}${rest}</table>`;
  });

  const footnotes = notes
    .map((note) => paragraph(escapeHtml(note), `font-size:11px;color:${COLORS.muted}`))
    .join('');

  return sectionRow(`${heading2('Campaigns')}${blocks.join('')}${footnotes}`);
}

const LEAD_COLUMNS: Column[] = [
  { title: 'Campaign / ad set', align: 'left' },
  { title: 'Meta leads', align: 'right', width: 11 },
  { title: 'HubSpot leads', align: 'right', width: 12 },
  { title: 'CPL', align: 'right', width: 11 },
  { title: 'LP views', align: 'right', width: 11 },
];

function renderLeadActivity(model: EmailModel): string {
  const intro = model.hubspotAvailable
    ? paragraph(
        'Green: the campaign has leads this week. Yellow: no leads this week. Meta-reported and HubSpot (CRM) leads side by side.',
        `font-size:12px;color:${COLORS.muted}`,
      )
    : warningLine('HubSpot data is unavailable this week, so only Meta-reported leads are shown.');
  const blocks = model.leadTables.map(renderLeadTable).join('');

  return sectionRow(`${heading2('Lead activity (HubSpot)')}${intro}${blocks}`);
}

function renderLeadTable(table: LeadTableModel): string {
  if (table.unavailableReason)
    return `${heading3(table.propertyName)}${warningLine(table.unavailableReason)}`;
  if (table.rows.length === 0)
    return `${heading3(table.propertyName)}${paragraph('No lead activity this week.')}`;
  const rows = table.rows.map(renderLeadRow).join('');
  const rest = table.rest ? spanRow(table.rest, LEAD_COLUMNS.length) : '';
  const unattributed = table.unattributed
    ? paragraph(escapeHtml(table.unattributed), 'font-size:12px;margin-top:4px')
    : '';

  return `${heading3(table.propertyName)}${dataTableStart(LEAD_COLUMNS)}${rows}${rest}</table>${unattributed}`;
}

function renderLeadRow(row: LeadRowModel): string {
  const numbers = [row.metaLeads, row.hubspotLeads, row.cpl, row.landingPageViews].map(escapeHtml);
  if (row.level === 'campaign') {
    const flag = row.hasLeads
      ? ''
      : ` <span style="font-weight:normal;color:${COLORS.muted}">(no leads this week)</span>`;
    const background = row.hasLeads ? COLORS.hasLeads : COLORS.noLeads;

    return dataRow([`<strong>${escapeHtml(row.name)}</strong>${flag}`, ...numbers], { background });
  }
  const style =
    row.level === 'summary'
      ? `padding-left:16px;font-style:italic;color:${COLORS.muted}`
      : 'padding-left:16px';

  return dataRow([escapeHtml(row.name), ...numbers], { nameStyle: style });
}

const ALL_TIME_COLUMNS: Column[] = [
  { title: 'Property', align: 'left' },
  { title: 'Spend', align: 'right', width: 12 },
  { title: 'Leads', align: 'right', width: 9 },
  { title: 'CPL', align: 'right', width: 9 },
  { title: 'HubSpot leads', align: 'right', width: 11 },
  { title: 'Period', align: 'right', width: 24 },
];

function renderAllTime(model: EmailModel): string {
  if (model.allTime.length === 0) return '';
  const rows = model.allTime
    .map((row) =>
      dataRow(
        [row.propertyName, row.spend, row.leads, row.cpl, row.hubspotLeads, row.since].map(
          escapeHtml,
        ),
        {},
      ),
    )
    .join('');

  return sectionRow(
    `${heading2('All-time totals')}${dataTableStart(ALL_TIME_COLUMNS)}${rows}</table>`,
  );
}

function renderRestatements(lines: string[]): string {
  if (lines.length === 0) return '';
  const intro = paragraph(
    'Meta restated earlier weeks. These figures changed since they were last reported:',
  );

  return sectionRow(`${heading2('Restated data')}${intro}${bullets(lines)}`);
}

function renderNotes(notes: string[]): string {
  if (notes.length === 0) return '';

  return sectionRow(`${heading2('Notes')}${bullets(notes)}`);
}

function renderFooter(lines: string[]): string {
  const text = lines.map(escapeHtml).join('<br>');

  return `<tr><td style="padding:14px 16px;border-top:1px solid ${COLORS.border};font-size:11px;line-height:16px;color:${COLORS.muted}">${text}</td></tr>`;
}
