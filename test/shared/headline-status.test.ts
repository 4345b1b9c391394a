import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import {
  adsetCampaignNames,
  campaignStatus,
  headlineKpi,
} from '../../src/shared/headline-status.ts';
import type { EntitySignals, KpiKey, ReportData, Status } from '../../src/shared/types.ts';
import { buildSummaryMessage } from '../../src/slack/build-summary-blocks.ts';
import { buildReportData } from '../helpers/report-data.ts';

function entity(statuses: Partial<Record<KpiKey, Status>>): EntitySignals {
  const kpis = Object.entries(statuses).map(([key, status]) => ({
    key: key as KpiKey,
    value: 1,
    previous: 1,
    change: 0,
    baseline: 1,
    noiseBand: 0.1,
    status: status as Status,
    reason: null,
    series: [1],
  }));

  return { level: 'campaign', id: 'c1', name: 'Campaign', propertyId: 'p1', kpis };
}

describe('headlineKpi', () => {
  it('returns leads for a lead campaign', () => {
    const signals = entity({ spend: 'UP', leads: 'DOWN', cpl: 'UP' });

    expect(headlineKpi(signals, true)?.key).toBe('leads');
  });

  it('returns spend for a brand campaign', () => {
    const signals = entity({ spend: 'UP', leads: 'DOWN' });

    expect(headlineKpi(signals, false)?.key).toBe('spend');
  });

  it('returns the KPI in ALERT', () => {
    const signals = entity({ spend: 'OK', leads: 'OK', cpl: 'ALERT' });

    expect(headlineKpi(signals, true)?.key).toBe('cpl');
  });

  it('prefers the main KPI among alerts', () => {
    const signals = entity({ spend: 'OK', cpl: 'ALERT', leads: 'ALERT' });

    expect(headlineKpi(signals, true)?.key).toBe('leads');
  });

  it('returns null without the main KPI', () => {
    expect(headlineKpi(entity({ ctr: 'UP' }), true)).toBeNull();
  });
});

describe('campaignStatus', () => {
  it.each<[Partial<Record<KpiKey, Status>>, boolean, Status]>([
    [{ spend: 'OK', leads: 'DOWN', cpl: 'UP' }, true, 'DOWN'],
    [{ spend: 'OK', leads: 'FLAT', cpl: 'OK' }, true, 'FLAT'],
    [{ spend: 'UP', leads: 'OK', cpl: 'ALERT' }, true, 'ALERT'],
    [{ spend: 'DOWN', leads: 'ALERT' }, false, 'ALERT'],
    [{ spend: 'DOWN', leads: 'UP' }, false, 'DOWN'],
    [{}, true, 'FLAT'],
  ])('returns the status for %j (lead generation %s)', (statuses, isLeadGen, expected) => {
    expect(campaignStatus(entity(statuses), isLeadGen)).toBe(expected);
  });
});

describe('adsetCampaignNames', () => {
  it('maps every ad set to its campaign', () => {
    const report = buildReportData({ campaigns: 3, properties: 1 });
    const campaign = report.properties[0]?.campaigns[0]?.week;
    const adset = campaign?.adsets[0];

    expect(adsetCampaignNames(report).get(adset?.adsetId ?? '')).toBe(campaign?.campaignName);
  });
});

/** Sets one campaign KPI's status, so the report has campaigns whose KPIs disagree. */
function setStatus(report: ReportData, index: number, key: KpiKey, status: Status): void {
  const campaign = report.properties[0]?.campaigns[index];
  const kpi = campaign?.signals.kpis.find((item) => item.key === key);
  if (!kpi) throw new Error(`Test report has no ${key} KPI on campaign ${index}`);
  kpi.status = status;
}

/** Builds a report whose campaigns differ in leads, CPL and spend status, with a CTR ALERT. */
function disagreeingReport(): ReportData {
  const report = buildReportData({ campaigns: 8, properties: 1, alerts: 0 });
  const campaigns = report.properties[0]?.campaigns ?? [];
  campaigns.forEach((campaign, index) => {
    const statuses: Status[] = ['UP', 'DOWN', 'FLAT', 'OK'];
    for (const kpi of campaign.signals.kpis) kpi.status = 'OK';
    setStatus(report, index, 'leads', statuses[index % 4] ?? 'OK');
    setStatus(report, index, 'cpl', statuses[(index + 1) % 4] ?? 'OK');
    setStatus(report, index, 'spend', statuses[(index + 2) % 4] ?? 'OK');
  });
  setStatus(report, 0, 'ctr', 'ALERT');

  return report;
}

function emailHtmlStatuses(html: string, names: string[]): Map<string, string | undefined> {
  const campaigns = html.slice(html.indexOf('>Campaigns</h2>'));

  return new Map(
    names.map((name) => {
      const row = campaigns.slice(campaigns.indexOf(`>${name}</td>`));
      const status = /font-weight:bold;padding:1px 5px">([A-Z]+)<\/span>/.exec(row)?.[1];

      return [name, status];
    }),
  );
}

function emailTextStatuses(text: string, names: string[]): Map<string, string | undefined> {
  const campaigns = text.slice(text.indexOf('\nCAMPAIGNS\n'));

  return new Map(
    names.map((name) => {
      const line = campaigns.split('\n').find((item) => item.startsWith(`- ${name}: `));

      return [name, /\[([A-Z]+)\]$/.exec(line ?? '')?.[1]];
    }),
  );
}

function slackStatuses(blocks: KnownBlock[], names: string[]): Map<string, string | undefined> {
  const text = blocks
    .map((block) => (block.type === 'section' && block.text ? block.text.text : ''))
    .join('\n');

  return new Map(
    names.map((name) => {
      const line = text.split('\n').find((item) => item.startsWith(`• *${name}*: `));

      return [name, /\[([A-Z]+)\]\*?$/.exec(line ?? '')?.[1]];
    }),
  );
}

describe('campaign status across renderers', () => {
  const report = disagreeingReport();
  const campaigns = report.properties[0]?.campaigns ?? [];
  const names = campaigns.map((campaign) => campaign.week.campaignName);
  const expected = new Map(
    campaigns.map((campaign) => [
      campaign.week.campaignName,
      campaignStatus(campaign.signals, campaign.week.isLeadGen),
    ]),
  );
  const email = renderReportEmail(report);
  const [message] = buildSummaryMessage(report);

  it('shows the ALERT of a side KPI', () => {
    expect(expected.get(names[0] ?? '')).toBe('ALERT');
  });

  it('matches in the email HTML', () => {
    expect(emailHtmlStatuses(email.html, names)).toEqual(expected);
  });

  it('matches in the email text', () => {
    expect(emailTextStatuses(email.text, names)).toEqual(expected);
  });

  it('matches in the Slack summary', () => {
    expect(slackStatuses(message?.blocks ?? [], names)).toEqual(expected);
  });
});
