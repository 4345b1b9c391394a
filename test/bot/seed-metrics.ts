import type { AdreportConfig } from '../../src/config/schema.ts';
import { secretsFromEnv } from '../../src/config/secrets.ts';
import type { LocalBackend } from '../../src/local/emulators.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import type { CampaignWeek, Metrics, PropertyWeek } from '../../src/shared/types.ts';
import { weekContaining, weeksEndingWith } from '../../src/shared/week.ts';
import type { MetricsStore } from '../../src/storage/metrics-store.ts';

/** A campaign to store: its weekly spend (minor units) and leads, oldest week first. */
export interface SeedCampaign {
  id: string;
  name: string;
  propertyId: string;
  spend: number[];
  leads: number[];
  adsets?: Array<{ id: string; name: string; share: number }>;
}

function metricsOf(spendMinor: number, leads: number): Metrics {
  return {
    ...ZERO_METRICS,
    spendMinor,
    impressions: spendMinor * 2,
    clicks: Math.round(spendMinor / 40),
    leads,
    landingPageViews: leads * 5,
    hubspotLeads: Math.floor(leads / 2),
    cplSpendMinor: spendMinor,
    cplLeads: leads,
  };
}

/**
 * Stores campaigns, their property totals, the all-time totals and the report catalog for the
 * weeks ending with `lastWeekStart`, the way the pipeline does.
 */
export async function seedMetrics(
  metrics: MetricsStore,
  input: { reportId: string; lastWeekStart: string; campaigns: SeedCampaign[] },
): Promise<void> {
  const count = Math.max(...input.campaigns.map((campaign) => campaign.spend.length));
  const weeks = weeksEndingWith(weekContaining(input.lastWeekStart), count);
  const campaignWeeks: CampaignWeek[] = input.campaigns.flatMap((campaign) =>
    campaign.spend.map((spend, index) => {
      const week = weeks[weeks.length - campaign.spend.length + index] as { start: string };
      const leads = campaign.leads[index] ?? 0;

      return {
        campaignId: campaign.id,
        campaignName: campaign.name,
        reportId: input.reportId,
        propertyId: campaign.propertyId,
        accountId: 'act_1234567890',
        currency: 'USD',
        weekStart: week.start,
        objective: 'OUTCOME_LEADS',
        isLeadGen: true,
        metrics: metricsOf(spend, leads),
        adsets: (campaign.adsets ?? []).map((adset) => ({
          adsetId: adset.id,
          adsetName: adset.name,
          metrics: metricsOf(Math.round(spend * adset.share), Math.round(leads * adset.share)),
        })),
        runId: 'seed',
        fetchedAt: '2026-11-30T07:00:00Z',
      };
    }),
  );
  await metrics.putCampaignWeeks(campaignWeeks);
  for (const propertyWeek of propertyWeeksOf(input.reportId, campaignWeeks)) {
    await metrics.putPropertyWeeks([propertyWeek]);
    await metrics.applyAllTime(propertyWeek);
  }
  const latest = new Map(campaignWeeks.map((week) => [week.campaignId, week]));
  await metrics.putCatalog(
    input.reportId,
    [...latest.values()].map((week) => ({
      campaignId: week.campaignId,
      campaignName: week.campaignName,
      propertyId: week.propertyId,
      lastWeek: week.weekStart,
    })),
  );
}

function propertyWeeksOf(reportId: string, campaignWeeks: CampaignWeek[]): PropertyWeek[] {
  const groups = new Map<string, CampaignWeek[]>();
  for (const week of campaignWeeks) {
    const key = `${week.propertyId}|${week.weekStart}`;
    groups.set(key, [...(groups.get(key) ?? []), week]);
  }

  return [...groups.values()]
    .map((group) => {
      const first = group[0] as CampaignWeek;
      const total = { ...ZERO_METRICS };
      for (const week of group) {
        for (const key of Object.keys(total) as Array<keyof Metrics>)
          total[key] += week.metrics[key];
      }

      return {
        reportId,
        propertyId: first.propertyId,
        weekStart: first.weekStart,
        currency: 'USD',
        metrics: total,
        campaignCount: group.length,
        unattributedHubspotLeads: 0,
        runId: 'seed',
        fetchedAt: '2026-11-30T07:00:00Z',
      };
    })
    .sort((a, b) => a.weekStart.localeCompare(b.weekStart));
}

/** Builds pipeline dependencies on the local backend; Meta and HubSpot are never called here. */
export function pipelineDeps(
  backend: LocalBackend,
  config: AdreportConfig,
  now: Date,
): PipelineDeps {
  return {
    config,
    secrets: secretsFromEnv({}),
    dynamo: backend.clients.dynamo,
    s3: backend.clients.s3,
    ses: backend.clients.ses,
    metricsTable: backend.metricsTable,
    stateTable: backend.stateTable,
    archiveBucket: backend.bucket,
    outDir: null,
    now: () => now,
    sleep: async () => {},
  };
}
