import type { AnalysisFacts } from '../../src/analysis/facts.ts';
import { buildFacts } from '../../src/analysis/facts.ts';
import { type Thresholds, thresholdsSchema } from '../../src/config/schema.ts';
import { computeSignals, type SignalSet } from '../../src/pipeline/compute-signals.ts';
import { addMetrics } from '../../src/shared/metrics.ts';
import type { CampaignWeek, History, Metrics, PropertyWeek, Week } from '../../src/shared/types.ts';
import { shiftWeek, weekContaining } from '../../src/shared/week.ts';

/** The report week of every fixture: Monday 23 November 2026. */
export const REPORT_WEEK: Week = weekContaining('2026-11-23');
export const THRESHOLDS: Thresholds = thresholdsSchema.parse({});

/** Returns a lead campaign's week: `leads` leads for `spendMajor` of spend, plausible volumes. */
export function leadMetrics(leads: number, spendMajor: number): Metrics {
  const spendMinor = Math.round(spendMajor * 100);
  const clicks = Math.round(spendMajor * 1.5);

  return {
    spendMinor,
    impressions: clicks * 80,
    clicks,
    leads,
    landingPageViews: Math.round(clicks * 0.7),
    hubspotLeads: Math.round(leads * 0.6),
    cplSpendMinor: spendMinor,
    cplLeads: leads,
  };
}

export interface CampaignPlan {
  id: string;
  name: string;
  propertyId?: string;
  isLeadGen?: boolean;
  /** Metrics per week, oldest first, the last one in the report week (null: no data). */
  weeks: Array<Metrics | null>;
}

/** Builds campaign-weeks, property-weeks and history for `plans`, ending in the report week. */
export function buildInputs(plans: CampaignPlan[]) {
  const length = Math.max(...plans.map((plan) => plan.weeks.length));
  const weekStart = (index: number) => shiftWeek(REPORT_WEEK, index - length + 1).start;
  const campaignWeeks: CampaignWeek[] = [];
  const history: History = { campaigns: new Map(), properties: new Map(), allTime: new Map() };
  for (const plan of plans) {
    const offset = length - plan.weeks.length;
    plan.weeks.forEach((metrics, index) => {
      if (!metrics) return;
      const week = campaignWeek(plan, metrics, weekStart(index + offset));
      if (week.weekStart === REPORT_WEEK.start) campaignWeeks.push(week);
      else history.campaigns.set(plan.id, [...(history.campaigns.get(plan.id) ?? []), week]);
    });
  }
  const propertyWeeks: PropertyWeek[] = [];
  const properties = new Set(plans.map((plan) => plan.propertyId ?? 'property-a'));
  for (const propertyId of properties) {
    for (let index = 0; index < length; index += 1) {
      const start = weekStart(index);
      const parts = [...history.campaigns.values(), campaignWeeks]
        .flat()
        .filter((week) => week.propertyId === propertyId && week.weekStart === start);
      if (parts.length === 0) continue;
      const item = propertyWeek(
        propertyId,
        start,
        addMetrics(...parts.map((part) => part.metrics)),
        parts.length,
      );
      if (start === REPORT_WEEK.start) propertyWeeks.push(item);
      else
        history.properties.set(propertyId, [...(history.properties.get(propertyId) ?? []), item]);
    }
  }

  return { campaignWeeks, propertyWeeks, history };
}

/** Computes the signals and facts of `plans` with the default thresholds. */
export function buildScenario(
  plans: CampaignPlan[],
  notes: string[] = [],
): {
  signals: SignalSet;
  facts: AnalysisFacts;
  campaignWeeks: CampaignWeek[];
} {
  const inputs = buildInputs(plans);
  const signals = computeSignals({
    reportId: 'weekly',
    reportName: 'Weekly ads',
    currency: 'USD',
    week: REPORT_WEEK,
    ...inputs,
    replaced: [],
    thresholds: THRESHOLDS,
  });
  const facts = buildFacts({
    reportName: 'Weekly ads',
    week: REPORT_WEEK,
    currency: 'USD',
    signals,
    campaignWeeks: inputs.campaignWeeks,
    propertyNames: new Map([
      ['property-a', 'Harbor View'],
      ['property-b', 'Elm Court'],
    ]),
    notes,
  });

  return { signals, facts, campaignWeeks: inputs.campaignWeeks };
}

/** Returns `count` steady weeks of about `leads` leads a week at $20 a lead. */
export function steadyWeeks(leads: number, count = 12): Metrics[] {
  const pattern = [1, 1.04, 0.97, 1.02, 0.98, 1.01, 0.99, 1.03, 0.96, 1.02, 1, 0.98];

  return Array.from({ length: count }, (_, index) => {
    const factor = pattern[index % pattern.length] as number;

    return leadMetrics(Math.round(leads * factor), leads * 20);
  });
}

function campaignWeek(plan: CampaignPlan, metrics: Metrics, weekStart: string): CampaignWeek {
  return {
    campaignId: plan.id,
    campaignName: plan.name,
    reportId: 'weekly',
    propertyId: plan.propertyId ?? 'property-a',
    accountId: 'act_1001',
    currency: 'USD',
    weekStart,
    objective: plan.isLeadGen === false ? 'OUTCOME_AWARENESS' : 'OUTCOME_LEADS',
    isLeadGen: plan.isLeadGen ?? true,
    metrics,
    adsets: [{ adsetId: `${plan.id}01`, adsetName: `${plan.name} – broad`, metrics }],
    runId: 'run-1',
    fetchedAt: '2026-11-30T06:00:00Z',
  };
}

function propertyWeek(
  propertyId: string,
  weekStart: string,
  metrics: Metrics,
  count: number,
): PropertyWeek {
  return {
    reportId: 'weekly',
    propertyId,
    weekStart,
    currency: 'USD',
    metrics,
    campaignCount: count,
    unattributedHubspotLeads: 0,
    runId: 'run-1',
    fetchedAt: '2026-11-30T06:00:00Z',
  };
}
