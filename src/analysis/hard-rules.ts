import type { Thresholds } from '../config/schema.ts';
import type { EntityLevel, HardRule, Metrics } from '../shared/types.ts';
import { meanMetrics } from './kpis.ts';

/** A hard rule that fired, with the figures its reason quotes. */
export interface RuleHit {
  rule: HardRule;
  /** Lead-generating spend of the report week, in minor units (spend without leads). */
  spendMinor: number;
  /** Weekly leads before: the baseline mean, or the previous week when delivery stopped. */
  leadsBefore: number;
  /** Weeks behind `leadsBefore`. */
  weeksBefore: number;
}

/**
 * Checks the rules a reader always wants flagged, whatever the noise band, for a
 * lead-generating entity: lead spend of at least `minSpend` with no leads after every baseline
 * week brought leads (at least `minLeads` a week on average), and, above the ad-set level, a
 * week with no delivery right after a week with at least `minLeads` leads.
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

    return { rule: 'stopped_delivering', spendMinor: 0, leadsBefore, weeksBefore: 1 };
  }

  return spendWithoutLeads(current, points.slice(0, -1), input.scale, thresholds);
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
  current: Metrics | null,
  before: Array<Metrics | null>,
  scale: number,
  thresholds: Thresholds,
): RuleHit | null {
  if (current === null || current.cplLeads > 0) return null;
  if (current.cplSpendMinor / scale < thresholds.minSpend || current.cplSpendMinor === 0) {
    return null;
  }
  const baseline = before.slice(-thresholds.baselineWeeks);
  if (baseline.length < 2 || baseline.some((week) => week === null || week.cplLeads < 1)) {
    return null;
  }
  const leadsBefore = meanMetrics(baseline as Metrics[]).cplLeads;
  if (leadsBefore < Math.max(1, thresholds.minLeads)) return null;

  return {
    rule: 'spend_without_leads',
    spendMinor: current.cplSpendMinor,
    leadsBefore,
    weeksBefore: baseline.length,
  };
}
