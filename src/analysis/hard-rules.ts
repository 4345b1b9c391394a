import type { Thresholds } from '../config/schema.ts';
import type { EntityLevel, HardRule, Metrics } from '../shared/types.ts';
import { meanMetrics } from './kpis.ts';

/**
 * Most consecutive weeks of lead spend with no leads that the spend rule looks back past. After
 * that many weeks the baseline is over a month old and the rule has raised an ALERT every week.
 */
export const MAX_WEEKS_WITHOUT_LEADS = 4;

/** A hard rule that fired, with the figures its reason quotes. */
export interface RuleHit {
  rule: HardRule;
  /** Lead-generating spend of the weeks without leads, in minor units (0 when delivery stopped). */
  spendMinor: number;
  /** Consecutive weeks with lead spend and no leads, ending with the report week (0 when stopped). */
  weeksWithoutLeads: number;
  /** Weekly leads before: the baseline mean, or the previous week when delivery stopped. */
  leadsBefore: number;
  /** Weeks behind `leadsBefore`. */
  weeksBefore: number;
}

/**
 * Checks the rules a reader always wants flagged, whatever the noise band, for a
 * lead-generating entity. The spend rule fires on lead spend of at least `minSpend` with no
 * leads this week, in a run of at most `MAX_WEEKS_WITHOUT_LEADS` such weeks. It needs every
 * baseline week before the run to have brought leads, at least `minLeads` a week on average.
 * The delivery rule fires, above the ad-set level, on a week with no delivery right after a
 * week with at least `minLeads` leads.
 */
export function checkHardRules(input: {
  level: EntityLevel;
  isLeadGen: boolean;
  points: Array<Metrics | null>;
  scale: number;
  thresholds: Thresholds;
}): RuleHit | null {
  const { points, thresholds } = input;
  if (!input.isLeadGen || points.length < 2) return null;
  const current = points.at(-1) ?? null;
  const previous = points.at(-2) ?? null;
  if (input.level !== 'adset' && stoppedDelivering(current, previous, thresholds)) {
    const leadsBefore = (previous as Metrics).cplLeads;

    return {
      rule: 'stopped_delivering',
      spendMinor: 0,
      weeksWithoutLeads: 0,
      leadsBefore,
      weeksBefore: 1,
    };
  }

  return spendWithoutLeads(points, input.scale, thresholds);
}

function stoppedDelivering(
  current: Metrics | null,
  previous: Metrics | null,
  thresholds: Thresholds,
): boolean {
  const silent = current === null || current.impressions === 0;

  return silent && previous !== null && previous.cplLeads >= Math.max(1, thresholds.minLeads);
}

function spendWithoutLeads(
  points: Array<Metrics | null>,
  scale: number,
  thresholds: Thresholds,
): RuleHit | null {
  const current = points.at(-1) ?? null;
  if (current === null || current.cplLeads > 0) return null;
  if (current.cplSpendMinor / scale < thresholds.minSpend || current.cplSpendMinor === 0) {
    return null;
  }
  const run = weeksWithoutLeads(points);
  if (run > MAX_WEEKS_WITHOUT_LEADS) return null;
  // The baseline is the weeks before the run, so a second week without leads is judged against
  // the same steady weeks as the first.
  const baseline = points.slice(0, -run).slice(-thresholds.baselineWeeks);
  if (baseline.length < 2 || baseline.some((week) => week === null || week.cplLeads < 1)) {
    return null;
  }
  const leadsBefore = meanMetrics(baseline as Metrics[]).cplLeads;
  if (leadsBefore < Math.max(1, thresholds.minLeads)) return null;
  const spendMinor = points
    .slice(-run)
    .reduce((sum, week) => sum + (week as Metrics).cplSpendMinor, 0);

  return {
    rule: 'spend_without_leads',
    spendMinor,
    weeksWithoutLeads: run,
    leadsBefore,
    weeksBefore: baseline.length,
  };
}

/**
 * Counts the weeks at the end of the series with lead spend and no leads, up to one more than
 * `MAX_WEEKS_WITHOUT_LEADS`. A week with no data or no lead spend ends the run.
 */
function weeksWithoutLeads(points: Array<Metrics | null>): number {
  let run = 0;
  for (let index = points.length - 1; index >= 0 && run <= MAX_WEEKS_WITHOUT_LEADS; index -= 1) {
    const week = points[index];
    if (!week || week.cplLeads > 0 || week.cplSpendMinor === 0) break;
    run += 1;
  }

  return run;
}
