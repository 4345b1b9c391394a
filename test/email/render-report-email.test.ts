import { describe, expect, it } from 'vitest';
import { HTML_BUDGET_BYTES, renderReportEmail } from '../../src/email/render-report-email.ts';
import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import type { ReportData } from '../../src/shared/types.ts';
import { buildReportData } from '../helpers/report-data.ts';

/** Returns the rendered text, with tags removed and entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<\/?(strong|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#8226;/g, '•')
    .replace(/&#9702;/g, '◦')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function section(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start);

  return html.slice(start, end === -1 ? undefined : end);
}

const baseReport = buildReportData();
const base = renderReportEmail(baseReport);
const baseText = visibleText(base.html);

describe('renderReportEmail', () => {
  it('names report, week and alerts in the subject', () => {
    expect(base.subject).toBe('Acme Residential weekly ads · 23–29 Nov 2026 · 2 alerts');
  });

  it('says no alerts in the subject when none', () => {
    const email = renderReportEmail(buildReportData({ alerts: 0 }));

    expect(email.subject).toMatch(/· no alerts$/);
  });

  it('keeps the subject on one line', () => {
    const report = { ...baseReport, reportName: 'Acme\r\nBcc: attacker@example.com' };

    const email = renderReportEmail(report);

    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('shows the week and time zone', () => {
    expect(baseText).toContain('Week 23–29 Nov 2026 (America/New_York)');
  });

  it('heads the trend without a week count', () => {
    const firstTrend = baseReport.analysis.trendSummary[0] as string;

    expect(baseText).toContain(`Trend against earlier weeks • ${firstTrend}`);
    expect(baseText).not.toContain('Four-week');
  });

  it('groups trend lines about one campaign', () => {
    const report = structuredClone(baseReport);
    const name = report.properties[0]?.campaigns[0]?.week.campaignName as string;
    report.analysis.trendSummary = [
      `${name} [ALERT]: Leads per click lower for 3 weeks running.`,
      `${name} [UP]: Clicks 1,297 against a 4-week average of 1,092.`,
    ];

    const email = renderReportEmail(report);

    expect(visibleText(email.html)).toContain(
      `Trend against earlier weeks • ${name} ◦ [ALERT] Leads per click lower for 3 weeks running. ◦ [UP] Clicks`,
    );
    expect(email.text).toContain(
      `- ${name}\n    - [ALERT] Leads per click lower for 3 weeks running.\n    - [UP] Clicks`,
    );
  });

  it('names both years of a New Year week', () => {
    const report = buildReportData({ week: { start: '2019-12-30', end: '2020-01-05' } });

    const email = renderReportEmail(report);

    expect(email.subject).toContain('· 30 Dec 2019–5 Jan 2020 ·');
    expect(visibleText(email.html)).toContain('Week 30 Dec 2019–5 Jan 2020 (America/New_York)');
  });

  it('lists the covered properties', () => {
    expect(baseText).toContain(
      'Properties: Maple Grove Apartments, Riverside Lofts, Harbor View Residences',
    );
  });

  it('shows the analysis headline', () => {
    expect(baseText).toContain(baseReport.analysis.headline);
  });

  it('shows the spend KPI compactly', () => {
    const spend = baseReport.totals?.kpis.find((kpi) => kpi.key === 'spend')?.value ?? 0;

    expect(baseText).toContain(`Spend $${(spend / 1000).toFixed(1)}K`);
  });

  it('labels each KPI with its status', () => {
    const statuses = ['spend', 'leads', 'cpl', 'ctr'].map(
      (key) => baseReport.totals?.kpis.find((kpi) => kpi.key === key)?.status,
    );
    const cards = section(base.html, 'width="25%"', '>Alerts<');

    const labels = [...cards.matchAll(/color:#ffffff;[^>]*>(UP|DOWN|FLAT|ALERT|OK)</g)].map(
      (match) => match[1],
    );

    expect(labels.slice(0, 4)).toEqual(statuses);
  });

  it('embeds one chart per KPI card', () => {
    const cids = [...base.html.matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]);

    expect(cids).toEqual(base.images.map((image) => image.cid));
    expect(cids).toHaveLength(8);
  });

  it('gives every chart an alt text with its range', () => {
    expect(base.html).toMatch(/alt="Spend trend over 8 weeks, from \$[\d,.]+ to \$[\d,.]+"/);
  });

  it('lists each alert with its reason', () => {
    const alerts = section(baseText, 'Alerts', 'What changed');

    for (const alert of baseReport.alerts)
      expect(alerts).toContain(`${alert.name} (campaign): ${alert.reason}`);
    expect(alerts.match(/ALERT/g)).toHaveLength(baseReport.alerts.length);
  });

  it('says so when there are no alerts', () => {
    const email = renderReportEmail(buildReportData({ alerts: 0 }));

    expect(visibleText(email.html)).toContain('No alerts this week.');
  });

  it('orders recommendations by department', () => {
    const recommendations = section(baseText, 'Recommendations', 'Campaigns');

    const order = ['Marketing', 'Digital/Dev', 'Leadership'].map((name) =>
      recommendations.indexOf(name),
    );

    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
  });

  it('sorts campaigns by spend, largest first', () => {
    const property = baseReport.properties[0];
    const expected = [...(property?.campaigns ?? [])]
      .sort((a, b) => b.week.metrics.spendMinor - a.week.metrics.spendMinor)
      .map((campaign) => campaign.week.campaignName);
    const table = section(baseText, 'Maple Grove Apartments Campaign', 'Riverside Lofts');

    const positions = expected.map((name) => table.indexOf(name));

    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('summarises campaigns past the row budget', () => {
    const property = baseReport.properties[0];
    const hidden = [...(property?.campaigns ?? [])]
      .sort((a, b) => b.week.metrics.spendMinor - a.week.metrics.spendMinor)
      .slice(4);
    const spend = Math.round(
      hidden.reduce((sum, item) => sum + item.week.metrics.spendMinor, 0) / 100,
    );
    const leads = hidden.reduce((sum, item) => sum + item.week.metrics.leads, 0);

    const email = renderReportEmail(baseReport, { maxCampaignRows: 4 });

    expect(visibleText(email.html)).toContain(
      `and 6 more, $${spend.toLocaleString('en-US')} spend, ${leads.toLocaleString('en-US')} leads`,
    );
  });

  it('shows unavailable Meta data instead of zeros', () => {
    const report = buildReportData({ unavailableProperties: 1 });

    const text = visibleText(renderReportEmail(report).html);

    const campaigns = section(text, 'Harbor View Residences', 'Lead activity');
    expect(campaigns).toContain('Meta data unavailable: the Graph API rejected the access token');
    expect(campaigns).not.toMatch(/\$0\b/);
  });

  it('says when HubSpot data is unavailable', () => {
    const email = renderReportEmail(buildReportData({ hubspotAvailable: false }));

    expect(visibleText(email.html)).toContain('HubSpot data is unavailable this week');
  });

  it('shows no HubSpot zeros when HubSpot is unavailable', () => {
    const email = renderReportEmail(buildReportData({ hubspotAvailable: false }));
    const leads = section(email.html, '>Lead activity', '>All-time totals');

    const hubspotCells = [
      ...leads.matchAll(
        /<tr[^>]*><td[^>]*>.*?<\/td><td align="right">[^<]*<\/td><td align="right">([^<]*)<\/td>/g,
      ),
    ].map((match) => match[1]);

    expect(new Set(hubspotCells)).toEqual(new Set(['—']));
  });

  it('marks campaigns with leads green and idle ones yellow', () => {
    const report = structuredClone(baseReport);
    const idle = report.properties[0]?.leadActivity[0];
    if (idle) Object.assign(idle, { metaLeads: 0, hubspotLeads: 0 });

    const { html } = renderReportEmail(report);

    expect(html).toContain(
      `bgcolor="#fef9c3" style="border-bottom:1px solid #e5e7eb"><td style="word-break:break-word"><strong>${idle?.campaignName}</strong> <span style="font-weight:normal;color:#4b5563">(no leads this week)</span>`,
    );
    expect(html).toMatch(/bgcolor="#dcfce7"/);
  });

  it('counts unattributed HubSpot leads', () => {
    const count = baseReport.properties[0]?.unattributedHubspotLeads;

    expect(baseText).toContain(
      `${count} HubSpot leads could not be matched to a campaign or ad set`,
    );
  });

  it('shows all-time totals per property', () => {
    const totals = section(baseText, 'All-time totals', 'Restated data');

    expect(totals).toMatch(
      /Maple Grove Apartments \$[\d,]+ [\d,]+ \$[\d.]+ [\d,]+ since 16 Mar 2026, 37 weeks/,
    );
  });

  it('notes restated data', () => {
    const restated = section(baseText, 'Restated data', 'Notes');

    expect(restated).toMatch(/Maple Grove Apartments · .+ · week of 16 Nov 2026: Leads \d+ → \d+/);
  });

  it('omits the restatement note without restatements', () => {
    const email = renderReportEmail(buildReportData({ restatements: 0 }));

    expect(email.html).not.toContain('Restated data');
  });

  it('lists degradation notes', () => {
    const report = { ...baseReport, notes: ['Charts missing: the renderer timed out.'] };

    expect(visibleText(renderReportEmail(report).html)).toContain(
      'Notes • Charts missing: the renderer timed out.',
    );
  });

  it('names run and model in the footer', () => {
    expect(baseText).toContain(`Run ${baseReport.runId} · generated 30 Nov 2026 07:00 EST`);
    expect(baseText).toContain('Analysis written by Claude (claude-sonnet-5-5).');
  });

  it('explains an offline narrative in the footer', () => {
    const email = renderReportEmail(buildReportData({ analysisSource: 'offline' }));

    expect(visibleText(email.html)).toContain(
      'Analysis: offline narrative written by rules: the Anthropic API timed out after 90 s.',
    );
  });

  it('shows KPI cards per property with mixed currencies', () => {
    const text = visibleText(renderReportEmail(buildReportData({ mixedCurrencies: true })).html);

    expect(text).toContain('Riverside Lofts (EUR) Spend €');
    expect(text).toContain('Maple Grove Apartments (USD) Spend $');
  });

  it('explains missing KPIs when every property is unavailable', () => {
    const email = renderReportEmail(buildReportData({ unavailableProperties: 3 }));

    expect(visibleText(email.html)).toContain(
      'No KPI figures this week: Meta data is unavailable for every property.',
    );
    expect(email.images).toEqual([]);
  });

  it('never shows NaN or Infinity', () => {
    const report: ReportData = structuredClone(baseReport);
    const campaign = report.properties[0]?.campaigns[0];
    if (campaign) campaign.week.metrics = { ...ZERO_METRICS };
    for (const kpi of report.totals?.kpis ?? [])
      Object.assign(kpi, { value: Number.NaN, change: Number.POSITIVE_INFINITY });

    const email = renderReportEmail(report);

    expect(`${email.html}${email.text}`).not.toMatch(/NaN|Infinity/);
  });

  it('shows an em dash for an undefined CPL', () => {
    const report: ReportData = structuredClone(baseReport);
    const campaign = report.properties[0]?.campaigns[0];
    if (campaign)
      campaign.week.metrics = { ...campaign.week.metrics, cplLeads: 0, cplSpendMinor: 0 };

    const text = visibleText(renderReportEmail(report).html);

    expect(text).toMatch(new RegExp(`${campaign?.week.campaignName} \\$[\\d,]+ [\\d,]+ — `));
  });

  it('renders identical output for identical input', () => {
    const again = renderReportEmail(buildReportData());

    expect(again.html).toBe(base.html);
    expect(again.text).toBe(base.text);
    expect(again.images.map((image) => image.content.toString('base64'))).toEqual(
      base.images.map((image) => image.content.toString('base64')),
    );
  });

  it('renders no images when charts are off', () => {
    const email = renderReportEmail(baseReport, { charts: false });

    expect(email.images).toEqual([]);
    expect(email.html).not.toContain('cid:');
  });

  it('keeps 1,000 campaigns under the HTML budget', () => {
    const email = renderReportEmail(buildReportData({ campaigns: 1000 }));

    expect(Buffer.byteLength(email.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });

  it('keeps the most rows that fit the budget', () => {
    const report = buildReportData({ campaigns: 600, properties: 6 });
    const rowsOf = (html: string) =>
      section(html, '>Campaigns<', '>Lead activity').match(/<tr bgcolor|<tr style/g)?.length ?? 0;
    const shrunk = renderReportEmail(report, { maxCampaignRows: 100 });
    const perProperty = rowsOf(shrunk.html) / 6;

    const oneMore = renderReportEmail(report, { maxCampaignRows: perProperty + 1 });

    expect(Number.isInteger(perProperty)).toBe(true);
    expect(rowsOf(oneMore.html)).toBe(rowsOf(shrunk.html));
  });

  it('shrinks tables when the HTML would exceed the budget', () => {
    const report = buildReportData({ campaigns: 600, properties: 6 });

    const email = renderReportEmail(report, { maxCampaignRows: 100 });

    expect(Buffer.byteLength(email.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(visibleText(email.html)).toMatch(/and \d+ more, \$[\d,]+ spend/);
  });
});

describe('renderReportEmail escaping', () => {
  const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];

  it.each(HOSTILE)('escapes the campaign name %s', (name) => {
    const email = renderReportEmail(buildReportData({ campaignNames: [name] }));

    expect(email.html).not.toContain(name);
    expect(visibleText(email.html)).toContain(name);
  });

  it('cuts a 3,000-character campaign name', () => {
    const email = renderReportEmail(buildReportData({ campaignNames: ['L'.repeat(3000)] }));

    expect(email.html).toContain(`${'L'.repeat(79)}…`);
    expect(email.html).not.toContain('L'.repeat(80));
    expect(email.text).not.toContain('L'.repeat(80));
  });

  it.each([
    { case: 'right-to-left override', mark: '\u202e' },
    { case: 'left-to-right isolate', mark: '\u2066' },
  ])('removes a $case from names', ({ mark }) => {
    const report = buildReportData({ campaignNames: [`Sale ${mark}override RTL`] });
    report.alerts[0] = { ...(report.alerts[0] as ReportData['alerts'][number]), name: `A${mark}B` };

    const email = renderReportEmail(report);

    expect(email.html).not.toContain(mark);
    expect(email.text).not.toContain(mark);
    expect(visibleText(email.html)).toContain('Sale override RTL');
  });

  it.each([
    {
      field: 'report name',
      change: (report: ReportData) => Object.assign(report, { reportName: HOSTILE[0] }),
    },
    {
      field: 'property name',
      change: (report: ReportData) =>
        Object.assign(report.properties[0] ?? {}, { name: HOSTILE[1] }),
    },
    {
      field: 'headline',
      change: (report: ReportData) => Object.assign(report.analysis, { headline: HOSTILE[0] }),
    },
    {
      field: 'recommendation',
      change: (report: ReportData) =>
        report.analysis.recommendations.marketing.push(HOSTILE[1] ?? ''),
    },
    {
      field: 'alert reason',
      change: (report: ReportData) => Object.assign(report.alerts[0] ?? {}, { reason: HOSTILE[0] }),
    },
    { field: 'note', change: (report: ReportData) => report.notes.push(HOSTILE[1] ?? '') },
    {
      field: 'ad set name',
      change: (report: ReportData) =>
        Object.assign(report.properties[0]?.leadActivity[0]?.adsets[0] ?? {}, {
          adsetName: HOSTILE[0],
        }),
    },
    {
      field: 'unavailable reason',
      change: (report: ReportData) =>
        Object.assign(report.properties[2] ?? {}, {
          availability: 'unavailable',
          unavailableReason: HOSTILE[1],
        }),
    },
  ])('escapes the $field', ({ change }) => {
    const report = structuredClone(baseReport);
    change(report);

    const { html } = renderReportEmail(report);

    expect(html).not.toMatch(/<script|<img src=x/);
  });
});

describe('renderReportEmail report name', () => {
  const longName = 'N'.repeat(200);

  it('keeps week and alerts after a 200-character name', () => {
    const email = renderReportEmail({ ...baseReport, reportName: longName });

    expect(email.subject).toBe(`${'N'.repeat(59)}… · 23–29 Nov 2026 · 2 alerts`);
  });

  it.each([
    { length: 60, shown: 'N'.repeat(60) },
    { length: 61, shown: `${'N'.repeat(59)}…` },
  ])('cuts a $length-character name in the subject to $shown.length', ({ length, shown }) => {
    const email = renderReportEmail({ ...baseReport, reportName: 'N'.repeat(length) });

    expect(email.subject).toBe(`${shown} · 23–29 Nov 2026 · 2 alerts`);
  });

  it('cuts a 200-character name in the header', () => {
    const email = renderReportEmail({ ...baseReport, reportName: longName });

    expect(visibleText(email.html)).toContain(`${'N'.repeat(79)}… Week 23–29 Nov 2026`);
    expect(email.html).not.toContain('N'.repeat(80));
  });
});

describe('renderReportEmail degraded totals', () => {
  /** Returns the visible text from the first KPI card to the alerts. */
  function kpiSection(report: ReportData): string {
    return section(visibleText(renderReportEmail(report).html), 'Spend', 'No alerts this week');
  }

  it('says which properties the totals cover', () => {
    const report = buildReportData({ unavailableProperties: 1, alerts: 0 });

    expect(kpiSection(report)).toContain(
      'Totals and changes cover 2 of 3 properties in every week shown. Harbor View Residences ' +
        'is left out because its Meta data is unavailable this week.',
    );
  });

  it.each([
    {
      properties: 3,
      unavailable: 2,
      expected:
        'cover 1 of 3 properties in every week shown. Riverside Lofts and Harbor View ' +
        'Residences are left out because their Meta data',
    },
    {
      properties: 4,
      unavailable: 3,
      expected:
        'cover 1 of 4 properties in every week shown. Riverside Lofts, Harbor View Residences ' +
        'and Cedar Park Townhomes are left out because their Meta data',
    },
  ])('names all $unavailable unavailable properties', ({ properties, unavailable, expected }) => {
    const report = buildReportData({ properties, unavailableProperties: unavailable, alerts: 0 });

    expect(kpiSection(report)).toContain(expected);
  });

  it('names properties without cards with mixed currencies', () => {
    const report = buildReportData({ mixedCurrencies: true, unavailableProperties: 1, alerts: 0 });

    const text = kpiSection(report);

    expect(text).toContain(
      'Harbor View Residences has no KPI cards because its Meta data is unavailable this week.',
    );
    expect(text).not.toContain('Totals and changes cover');
  });

  it.each([
    { case: 'every property has data', unavailable: 0 },
    { case: 'no property has data', unavailable: 3 },
  ])('states no coverage when $case', ({ unavailable }) => {
    const email = renderReportEmail(buildReportData({ unavailableProperties: unavailable }));

    expect(email.text).not.toContain('Totals and changes cover');
    expect(visibleText(email.html)).not.toContain('Totals and changes cover');
  });
});
