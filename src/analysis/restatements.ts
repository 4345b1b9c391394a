import type { Thresholds } from '../config/schema.ts';
import type { KpiKey, Metrics, ReplacedValue, Restatement } from '../shared/types.ts';

/**
 * Counts that Meta restates after the fact. Spend is left out because a restated amount would
 * need the currency to be shown in major units, and HubSpot leads because re-fetched Meta weeks
 * do not re-attribute contacts.
 */
const RESTATED_COUNTS: ReadonlyArray<{
  kpi: KpiKey;
  pick: (metrics: Metrics) => number;
  minimum: (thresholds: Thresholds) => number;
}> = [
  { kpi: 'leads', pick: (m) => m.leads, minimum: (t) => t.minLeads },
  { kpi: 'clicks', pick: (m) => m.clicks, minimum: (t) => t.minClicks },
  { kpi: 'impressions', pick: (m) => m.impressions, minimum: (t) => t.minImpressions },
  { kpi: 'landingPageViews', pick: (m) => m.landingPageViews, minimum: (t) => t.minClicks },
];

/**
 * Lists earlier weeks whose stored counts moved beyond the noise band since the last run. A
 * count is restated when it changed by more than `bandFloor` of the old value and by more than
 * `bandSigma` Poisson errors (√ of the old value), and the larger of the two values meets the
 * minimum volume. `current` maps `${kind}:${id}:${weekStart}` to the newly stored metrics.
 */
export function detectRestatements(
  replaced: ReplacedValue[],
  current: Map<string, Metrics>,
  thresholds: Thresholds,
): Restatement[] {
  const restatements: Restatement[] = [];
  for (const old of replaced) {
    const stored = current.get(`${old.kind}:${old.id}:${old.weekStart}`);
    if (!stored) continue;
    for (const count of RESTATED_COUNTS) {
      const before = count.pick(old.metrics);
      const after = count.pick(stored);
      if (!movedBeyondBand(before, after, count.minimum(thresholds), thresholds)) continue;
      restatements.push({
        propertyId: old.propertyId,
        campaignId: old.kind === 'campaign' ? old.id : null,
        weekStart: old.weekStart,
        kpi: count.kpi,
        before,
        after,
      });
    }
  }

  return restatements.sort(compareRestatements);
}

function movedBeyondBand(
  before: number,
  after: number,
  minimum: number,
  thresholds: Thresholds,
): boolean {
  if (Math.max(before, after) < Math.max(1, minimum)) return false;
  const band = Math.max(
    thresholds.bandFloor * before,
    thresholds.bandSigma * Math.sqrt(Math.max(before, 1)),
  );

  return Math.abs(after - before) > band;
}

function compareRestatements(a: Restatement, b: Restatement): number {
  return (
    a.weekStart.localeCompare(b.weekStart) ||
    a.propertyId.localeCompare(b.propertyId) ||
    (a.campaignId ?? '').localeCompare(b.campaignId ?? '')
  );
}
