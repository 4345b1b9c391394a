import { currencyDigits } from '../shared/money.ts';
import type { KpiKey } from '../shared/types.ts';
import {
  formatKpiValue,
  formatMoneyMajor,
  formatNumber,
  formatPercent,
  KPI_LABELS,
} from './format.ts';
import type { RuleHit } from './hard-rules.ts';
import type { KpiDefinition } from './kpis.ts';
import type { SustainedMove } from './sustained-move.ts';

/** Explains an UP or DOWN: the value against its baseline and the width of the normal range. */
export function describeMove(input: {
  key: KpiKey;
  value: number;
  baseline: number;
  baselineWeeks: number;
  noiseBand: number | null;
  currency: string | null;
}): string {
  const { key, currency } = input;
  const change = input.baseline === 0 ? null : (input.value - input.baseline) / input.baseline;
  const changeText = change === null ? '' : ` (${formatPercent(change, 0, true)})`;
  const range =
    input.noiseBand === null ? '' : `; normal range ±${formatPercent(input.noiseBand, 0)}`;

  return (
    `${KPI_LABELS[key]} ${formatKpiValue(key, input.value, currency)} against a ` +
    `${input.baselineWeeks}-week average of ${formatKpiValue(key, input.baseline, currency)}` +
    `${changeText}${range}`
  );
}

/**
 * Explains a sustained ALERT: which rate fell, for how long, how far, and against which weeks.
 * The quoted rate is the whole window's, not the latest week's, and the reason states it.
 * A KPI whose bad direction is up (CPL) is the cost of one event, the inverse of its alert rate,
 * and is quoted as such. The reference is "typical" because its highest and lowest weeks may
 * have been set aside.
 */
export function describeSustainedMove(
  definition: KpiDefinition,
  move: SustainedMove,
  currency: string | null,
): string {
  const { key, alertRate } = definition;
  const figures = (window: string, reference: string, change: number) =>
    `${window} over the last ${move.weeks} weeks against a typical ${reference} in the ` +
    `${move.referenceWeeks} weeks before them` +
    (Number.isFinite(change) ? ` (${formatPercent(change, 0, true)})` : '');
  if (definition.badDirection === 'up') {
    const cost = (rate: number) => (rate > 0 ? 1 / rate : null);
    const change = move.referenceRate / move.windowRate - 1;

    return (
      `${KPI_LABELS[key]} higher for ${move.weeks} weeks running: ` +
      figures(
        formatKpiValue(key, cost(move.windowRate), currency),
        formatKpiValue(key, cost(move.referenceRate), currency),
        change,
      )
    );
  }
  const digits = move.referenceRate < 0.01 ? 2 : 1;

  return (
    `${alertRate?.label ?? KPI_LABELS[key]} lower for ${move.weeks} weeks running: ` +
    figures(
      formatPercent(move.windowRate, digits),
      formatPercent(move.referenceRate, digits),
      move.change,
    )
  );
}

/** Explains a hard-rule ALERT in one line, with the figures behind it. */
export function describeRuleHit(hit: RuleHit, currency: string | null): string {
  const leadsBefore = formatNumber(hit.leadsBefore, hit.leadsBefore < 10 ? 1 : 0);
  if (hit.rule === 'stopped_delivering') {
    return `Stopped delivering this week, after ${leadsBefore} leads the week before`;
  }
  const scale = currency === null ? 1 : 10 ** currencyDigits(currency);
  const spent = formatMoneyMajor(hit.spendMinor / scale, currency, 0);
  const period = hit.weeksWithoutLeads > 1 ? `for ${hit.weeksWithoutLeads} weeks` : 'this week';

  return (
    `No leads ${period} while ${spent} was spent, after ${leadsBefore} leads a week in the ` +
    `${hit.weeksBefore} weeks before`
  );
}
