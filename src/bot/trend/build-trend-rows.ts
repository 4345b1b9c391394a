import {
  computeEntitySignals,
  MAX_SERIES_WEEKS,
  type SeriesPoint,
} from '../../analysis/signals.ts';
import type { Thresholds } from '../../config/schema.ts';
import { cplMinor, ctr } from '../../shared/metrics.ts';
import type { CampaignWeek, Status, Week } from '../../shared/types.ts';
import { weeksEndingWith } from '../../shared/week.ts';
import { headlineStatus } from '../../slack/format-kpi.ts';

/** One week of a campaign's trend; null figures are weeks without data or undefined ratios. */
export interface TrendRow {
  weekStart: string;
  spendMinor: number | null;
  leads: number | null;
  cplMinor: number | null;
  ctr: number | null;
  status: Status | null;
}

/**
 * Builds the last `weeks` rows ending with `endWeek`. Each week's status comes from the same
 * deterministic signals as the report, computed over the weeks stored before it, so `history`
 * should reach `thresholds.baselineWeeks` weeks further back than the rows.
 */
export function buildTrendRows(input: {
  history: CampaignWeek[];
  endWeek: Week;
  weeks: number;
  thresholds: Thresholds;
}): TrendRow[] {
  const { history, endWeek, weeks, thresholds } = input;
  const byWeek = new Map(history.map((week) => [week.weekStart, week]));
  const latest = history.at(-1);
  const span = weeksEndingWith(endWeek, weeks + thresholds.baselineWeeks);
  const points: SeriesPoint[] = span.map((week) => ({
    weekStart: week.start,
    metrics: byWeek.get(week.start)?.metrics ?? null,
  }));

  return points.slice(-weeks).map((point, index) => {
    const position = points.length - weeks + index;
    const stored = byWeek.get(point.weekStart);
    if (!stored || !latest) return emptyRow(point.weekStart);
    const series = points.slice(Math.max(0, position - MAX_SERIES_WEEKS + 1), position + 1);
    const signals = computeEntitySignals({
      level: 'campaign',
      id: stored.campaignId,
      name: stored.campaignName,
      propertyId: stored.propertyId,
      currency: stored.currency,
      isLeadGen: latest.isLeadGen,
      series,
      thresholds,
    });

    return {
      weekStart: point.weekStart,
      spendMinor: stored.metrics.spendMinor,
      leads: stored.metrics.leads,
      cplMinor: latest.isLeadGen ? cplMinor(stored.metrics) : null,
      ctr: ctr(stored.metrics),
      status: headlineStatus(signals, latest.isLeadGen),
    };
  });
}

function emptyRow(weekStart: string): TrendRow {
  return { weekStart, spendMinor: null, leads: null, cplMinor: null, ctr: null, status: null };
}
