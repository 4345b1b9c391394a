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
 * Explains a sustained ALERT: how long, how far, and against which weeks. The reference is
 * "typical" because its highest and lowest weeks may have been set aside.
 */
export function describeSustainedMove(key: KpiKey, move: SustainedMove, currency: string | null) {
  const worse = key === 'cpl' || key === 'cpc' ? 'higher' : 'lower';

  return (
    `${KPI_LABELS[key]} ${worse} for ${move.weeks} weeks running: ` +
    `${formatKpiValue(key, move.windowValue, currency)} a week against a typical ` +
    `${formatKpiValue(key, move.referenceValue, currency)} in the ${move.referenceWeeks} weeks ` +
    `before (${formatPercent(move.change, 0, true)})`
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
