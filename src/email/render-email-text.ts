import {
  type CampaignTableModel,
  type EmailModel,
  type LeadTableModel,
  TREND_HEADING,
} from './email-model.ts';

/** Renders the plain-text part: the same content as the HTML, statuses written as `[UP]`. */
export function renderEmailText(model: EmailModel): string {
  const sections = [
    [
      model.reportName,
      `Week ${model.weekLabel} (${model.timeZone})`,
      `Properties: ${model.properties}`,
      '',
      model.headline,
    ],
    renderKpis(model),
    section(
      'ALERTS',
      model.alerts.length === 0
        ? ['No alerts this week.']
        : model.alerts.map((alert) => `- [ALERT] ${alert.subject}: ${alert.reason}`),
    ),
    renderSummary(model),
    section(
      'RECOMMENDATIONS',
      model.recommendations.flatMap(({ department, items }) => [
        department,
        ...(items.length > 0
          ? items.map((item) => `- ${item}`)
          : ['- No recommendation this week.']),
        '',
      ]),
    ),
    section('CAMPAIGNS', [
      ...model.campaignTables.flatMap(renderCampaignTable),
      ...model.campaignNotes,
    ]),
    renderLeadActivity(model),
    model.allTime.length === 0
      ? []
      : section(
          'ALL-TIME TOTALS',
          model.allTime.map(
            (row) =>
              `${row.propertyName}: spend ${row.spend}, ${counted(row.leads, 'lead')}, CPL ${row.cpl}, ${counted(row.hubspotLeads, 'HubSpot lead')} (${row.since})`,
          ),
        ),
    model.restatements.length === 0
      ? []
      : section('RESTATED DATA', [
          'Meta restated earlier weeks. These figures changed since they were last reported:',
          ...model.restatements.map((line) => `- ${line}`),
        ]),
    model.notes.length === 0
      ? []
      : section(
          'NOTES',
          model.notes.map((note) => `- ${note}`),
        ),
    ['--', ...model.footer],
  ];

  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => trimBlankEnd(lines).join('\n'))
    .join('\n\n')}\n`;
}

/** Joins a formatted count and a noun, singular for exactly one: `1 lead`, `12 leads`. */
function counted(count: string, noun: string): string {
  return `${count} ${count === '1' ? noun : `${noun}s`}`;
}

function section(title: string, lines: string[]): string[] {
  return [title, ...lines];
}

function trimBlankEnd(lines: string[]): string[] {
  const result = [...lines];
  while (result.at(-1) === '') result.pop();

  return result;
}

function renderKpis(model: EmailModel): string[] {
  if (model.kpiGroups.length === 0) return section('KEY FIGURES', [model.kpiEmptyMessage ?? '']);
  const lines = model.kpiGroups.flatMap((group) => [
    ...(group.title ? [group.title] : []),
    ...group.cards.map((card) => `${card.label}: ${card.value} (${card.change}) [${card.status}]`),
  ]);
  if (model.kpiCoverage) lines.push(model.kpiCoverage);

  return section('KEY FIGURES', lines);
}

function renderSummary(model: EmailModel): string[] {
  if (model.weekSummary.length === 0 && model.trendSummary.length === 0) return [];
  const week = model.weekSummary.map((line) => `- ${line}`);
  const trend = model.trendSummary.flatMap((item) => [
    `- ${item.text}`,
    ...item.details.map((detail) => `    - ${detail}`),
  ]);

  return section('WHAT CHANGED', [
    ...week,
    ...(trend.length > 0 ? [`${TREND_HEADING}:`, ...trend] : []),
  ]);
}

function renderCampaignTable(table: CampaignTableModel): string[] {
  if (table.unavailableReason) return [table.propertyName, table.unavailableReason, ''];
  if (table.rows.length === 0) return [table.propertyName, 'No campaigns ran this week.', ''];
  const rows = table.rows.map(
    (row) =>
      `- ${row.name}: spend ${row.spend}, ${counted(row.leads, 'lead')}, CPL ${row.cpl}, CTR ${row.ctr}, ${row.change} [${row.status}]`,
  );

  return [table.propertyName, ...rows, ...(table.rest ? [`  ${table.rest}`] : []), ''];
}

function renderLeadActivity(model: EmailModel): string[] {
  const intro = model.hubspotAvailable
    ? ['Meta-reported and HubSpot (CRM) leads per campaign; ad sets indented.']
    : ['HubSpot data is unavailable this week, so only Meta-reported leads are shown.'];

  return section('LEAD ACTIVITY (HUBSPOT)', [
    ...intro,
    '',
    ...model.leadTables.flatMap(renderLeadTable),
  ]);
}

function renderLeadTable(table: LeadTableModel): string[] {
  if (table.unavailableReason) return [table.propertyName, table.unavailableReason, ''];
  if (table.rows.length === 0) return [table.propertyName, 'No lead activity this week.', ''];
  const rows = table.rows.map((row) => {
    const figures = `${counted(row.metaLeads, 'Meta lead')}, ${counted(row.hubspotLeads, 'HubSpot lead')}, CPL ${row.cpl}, ${counted(row.landingPageViews, 'landing page view')}`;
    if (row.level === 'campaign')
      return `- ${row.name}: ${figures}${row.hasLeads ? '' : ' (no leads this week)'}`;

    return `    ${row.name}: ${figures}`;
  });
  const extra = [
    ...(table.rest ? [`  ${table.rest}`] : []),
    ...(table.unattributed ? [table.unattributed] : []),
  ];

  return [table.propertyName, ...rows, ...extra, ''];
}
