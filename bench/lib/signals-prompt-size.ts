/** Prompt size of the analysis for reports of simulated campaigns, for the signals benchmark. */
import { buildUserMessage, SYSTEM_PROMPT } from '../../src/analysis/analysis-prompt.ts';
import { buildFacts } from '../../src/analysis/facts.ts';
import { thresholdsSchema } from '../../src/config/schema.ts';
import { computeSignals } from '../../src/pipeline/compute-signals.ts';
import { addMetrics } from '../../src/shared/metrics.ts';
import type { CampaignWeek, History, Metrics, PropertyWeek } from '../../src/shared/types.ts';
import { shiftWeek, weekContaining } from '../../src/shared/week.ts';
import {
  logUniform,
  MARKETS,
  type Market,
  type Scenario,
  seededRandom,
  simulateCampaign,
  WEEK_STARTS,
} from './simulate-campaigns.ts';

const PROMPT_PROPERTIES = ['harbor-view', 'elm-court', 'riverside'];

/**
 * Characters of the analysis prompt (system prompt and facts) for a report of `count`
 * simulated campaigns over 12 weeks, a tenth of them declining, spread over three properties.
 */
export function promptSize(seed: number, count: number): number {
  const random = seededRandom(seed);
  const market = MARKETS[1] as Market;
  const week = {
    start: WEEK_STARTS[11] as string,
    end: shiftWeek(weekContaining(WEEK_STARTS[11] as string), 0).end,
  };
  const history: History = { campaigns: new Map(), properties: new Map(), allTime: new Map() };
  const campaignWeeks: CampaignWeek[] = [];
  for (let index = 0; index < count; index += 1) {
    const scenario: Scenario =
      index % 10 === 0 ? { kind: 'decline', onset: 9, factor: 0.6 } : { kind: 'stationary' };
    const weeks = simulateCampaign(random, market, logUniform(random, 3, 300), 12, scenario);
    const items = weeks.map((metrics, weekIndex) =>
      benchCampaignWeek(index, metrics, WEEK_STARTS[weekIndex] as string),
    );
    campaignWeeks.push(items.at(-1) as CampaignWeek);
    history.campaigns.set(String(index), items.slice(0, -1));
  }
  const propertyWeeks = PROMPT_PROPERTIES.map((propertyId) => {
    const weeks = WEEK_STARTS.slice(0, 12).map((weekStart) =>
      benchPropertyWeek(propertyId, weekStart, [...history.campaigns.values(), campaignWeeks]),
    );
    history.properties.set(propertyId, weeks.slice(0, -1));

    return weeks.at(-1) as PropertyWeek;
  });
  const signals = computeSignals({
    reportId: 'bench',
    reportName: 'Benchmark report',
    currency: 'USD',
    week,
    campaignWeeks,
    propertyWeeks,
    history,
    replaced: [],
    thresholds: thresholdsSchema.parse({}),
  });
  const facts = buildFacts({
    reportName: 'Benchmark report',
    week,
    currency: 'USD',
    signals,
    campaignWeeks,
    propertyNames: new Map(PROMPT_PROPERTIES.map((id) => [id, id.replace('-', ' ')])),
    notes: [],
  });

  return SYSTEM_PROMPT.length + buildUserMessage(facts).length;
}

function benchCampaignWeek(index: number, metrics: Metrics, weekStart: string): CampaignWeek {
  const id = String(index);

  return {
    campaignId: id,
    campaignName: `Campaign ${index} – ${index % 3 === 0 ? 'open house' : 'lead form'}`,
    reportId: 'bench',
    propertyId: PROMPT_PROPERTIES[index % PROMPT_PROPERTIES.length] as string,
    accountId: 'act_1',
    currency: 'USD',
    weekStart,
    objective: 'OUTCOME_LEADS',
    isLeadGen: true,
    metrics,
    adsets: [
      { adsetId: `${id}-a`, adsetName: 'Broad', metrics: halve(metrics, Math.floor) },
      { adsetId: `${id}-b`, adsetName: 'Lookalike', metrics: halve(metrics, Math.ceil) },
    ],
    runId: 'bench',
    fetchedAt: '2026-03-30T06:00:00Z',
  };
}

function halve(metrics: Metrics, round: (value: number) => number): Metrics {
  const half = { ...metrics };
  for (const key of Object.keys(half) as Array<keyof Metrics>) half[key] = round(metrics[key] / 2);

  return half;
}

function benchPropertyWeek(
  propertyId: string,
  weekStart: string,
  weeks: CampaignWeek[][],
): PropertyWeek {
  const parts = weeks
    .flat()
    .filter((item) => item.propertyId === propertyId && item.weekStart === weekStart);

  return {
    reportId: 'bench',
    propertyId,
    weekStart,
    currency: 'USD',
    metrics: addMetrics(...parts.map((part) => part.metrics)),
    campaignCount: parts.length,
    unattributedHubspotLeads: 0,
    runId: 'bench',
    fetchedAt: '2026-03-30T06:00:00Z',
  };
}
