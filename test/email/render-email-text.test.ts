import { describe, expect, it } from 'vitest';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { buildReportData } from '../helpers/report-data.ts';

const report = buildReportData();
const { text } = renderReportEmail(report);

describe('renderEmailText', () => {
  it('starts with report name, week and headline', () => {
    const lines = text.split('\n');

    expect(lines.slice(0, 3)).toEqual([
      'Acme Residential weekly ads',
      'Week 23–29 Nov 2026 (America/New_York)',
      'Properties: Maple Grove Apartments, Riverside Lofts, Harbor View Residences',
    ]);
    expect(lines[4]).toBe(report.analysis.headline);
  });

  it('heads the trend without a week count', () => {
    const firstTrend = report.analysis.trendSummary[0] as string;

    expect(text).toContain(`Trend against earlier weeks:\n- ${firstTrend}`);
    expect(text).not.toContain('Four-week');
  });

  it('lists KPIs with change and status', () => {
    expect(text).toMatch(
      /^Spend: \$[\d.]+K \([+−][\d.]+% vs last week\) \[(UP|DOWN|FLAT|ALERT|OK)\]$/m,
    );
  });

  it.each([
    'Leads',
    'CPL \\(lead campaigns\\)',
    'CTR',
    'Clicks',
    'CPC',
    'Landing page views',
    'HubSpot leads',
  ])('includes the %s KPI', (label) => {
    expect(text).toMatch(new RegExp(`^${label}: .+ \\[(UP|DOWN|FLAT|ALERT|OK)\\]$`, 'm'));
  });

  it('lists alerts with their reasons', () => {
    for (const alert of report.alerts) {
      expect(text).toContain(`- [ALERT] ${alert.name} (campaign): ${alert.reason}`);
    }
  });

  it('names the campaign of an ad-set alert', () => {
    const adsetReport = buildReportData();
    const campaign = adsetReport.properties[0]?.campaigns[0]?.week;
    const adset = campaign?.adsets[0];
    if (!campaign || !adset) throw new Error('buildReportData has no ad set');
    adsetReport.alerts = [
      { level: 'adset', id: adset.adsetId, name: adset.adsetName, kpi: 'leads', reason: 'Fell' },
    ];

    const adsetText = renderReportEmail(adsetReport).text;

    expect(adsetText).toContain(
      `- [ALERT] ${adset.adsetName} (ad set in campaign ${campaign.campaignName}): Fell`,
    );
  });

  it('explains the statuses under the campaigns', () => {
    expect(text).toContain('OK: within normal variance, checked against a full 4-week baseline');
  });

  it('explains the CPL under the campaigns', () => {
    expect(text).toContain('CPL (lead campaigns): spend of lead-generating campaigns');
  });

  it('lists recommendations by department', () => {
    const item = report.analysis.recommendations.digital[0];

    expect(text).toContain(
      `RECOMMENDATIONS\nMarketing\n- ${report.analysis.recommendations.marketing[0]}`,
    );
    expect(text).toContain(`Digital/Dev\n- ${item}`);
    expect(text).toMatch(/\nLeadership\n- /);
  });

  it('lists top campaigns with figures and status', () => {
    expect(text).toMatch(
      /^- .+: spend \$[\d,]+, [\d,]+ leads, CPL (\$[\d.,]+|—), CTR [\d.]+%, .+ \[(UP|DOWN|FLAT|ALERT|OK)\]$/m,
    );
  });

  it('summarises lead activity with both sources', () => {
    expect(text).toMatch(
      /^- .+: [\d,]+ Meta leads, [\d,]+ HubSpot leads, CPL .+, [\d,]+ landing page views$/m,
    );
    expect(text).toMatch(/HubSpot leads could not be matched to a campaign or ad set/);
  });

  it('ends with the footer', () => {
    expect(text.trimEnd().split('\n').slice(-4)).toEqual([
      `Run ${report.runId} · generated 30 Nov 2026 07:00 EST`,
      'Analysis written by Claude (claude-sonnet-5-5).',
      '1 statement was removed because the numbers matched no computed figure.',
      'Statuses come from fixed rules on the figures, not from the model.',
    ]);
  });

  it('includes restatements and notes', () => {
    const degraded = renderReportEmail(buildReportData({ hubspotAvailable: false })).text;

    expect(degraded).toContain('RESTATED DATA\n');
    expect(degraded).toContain('NOTES\n- HubSpot data is unavailable this week');
  });

  it('says when HubSpot data is unavailable', () => {
    const degraded = renderReportEmail(buildReportData({ hubspotAvailable: false })).text;

    expect(degraded).toContain(
      'HubSpot data is unavailable this week, so only Meta-reported leads are shown.',
    );
  });

  it('says when Meta data is unavailable', () => {
    const degraded = renderReportEmail(buildReportData({ unavailableProperties: 1 })).text;

    expect(degraded).toContain(
      'Harbor View Residences\nMeta data unavailable: the Graph API rejected',
    );
  });

  it('states the totals coverage under the cards', () => {
    const degraded = renderReportEmail(buildReportData({ unavailableProperties: 1 })).text;

    expect(degraded).toMatch(
      /^HubSpot leads: .+\nTotals and changes cover 2 of 3 properties in every week shown\. Harbor View Residences is left out because its Meta data is unavailable this week\.\n\nALERTS$/m,
    );
  });

  it('cuts a 200-character report name', () => {
    const named = renderReportEmail({ ...report, reportName: 'N'.repeat(200) }).text;

    expect(named.split('\n')[0]).toBe(`${'N'.repeat(79)}…`);
  });

  it('keeps hostile names as plain text', () => {
    const hostile = renderReportEmail(
      buildReportData({ campaignNames: ['<script>alert(1)</script>'] }),
    ).text;

    expect(hostile).toContain('- <script>alert(1)</script>: spend');
  });

  it('contains no HTML', () => {
    expect(text).not.toMatch(/<\/?(td|tr|table|span|p|strong)\b|&amp;|&lt;|&#/);
  });
});
