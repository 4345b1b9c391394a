import type { KpiKey } from '../shared/types.ts';

export { KPI_LABELS } from '../shared/kpi-labels.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/** Returns a cached en-US number formatter, because building one costs far more than using it. */
function formatter(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat('en-US', options);
    formatters.set(key, cached);
  }

  return cached;
}

const MONEY_KPIS = new Set<KpiKey>(['spend', 'cpc', 'cpl']);

/** True for KPIs shown as money. */
export function isMoneyKpi(key: KpiKey): boolean {
  return MONEY_KPIS.has(key);
}

/**
 * Formats a money amount in major units, e.g. `$1,234.50`, with the currency's own decimals
 * unless `digits` is given; "—" when undefined.
 */
export function formatMoneyMajor(
  value: number | null,
  currency: string | null,
  digits?: number,
): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (currency === null) return formatNumber(value, digits ?? 2);
  const options: Intl.NumberFormatOptions = { style: 'currency', currency };
  if (digits !== undefined) {
    options.minimumFractionDigits = digits;
    options.maximumFractionDigits = digits;
  }

  return formatter(options).format(value);
}

/** Formats a number with grouping and at most `digits` decimals; "—" when undefined. */
export function formatNumber(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '—';

  return formatter({ maximumFractionDigits: digits }).format(value);
}

/** Formats a fraction as a percentage, e.g. 0.1234 → `12.3%` (`+12.3%` when signed). */
export function formatPercent(fraction: number | null, digits = 0, signed = false): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const text = formatter({
    style: 'percent',
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(fraction);

  return text.replace('-', '−');
}

/** Formats a KPI value for a reader: money, a CTR percentage or a count. */
export function formatKpiValue(key: KpiKey, value: number | null, currency: string | null) {
  if (isMoneyKpi(key)) return formatMoneyMajor(value, currency);
  if (key === 'ctr') return formatPercent(value, 2);

  return formatNumber(value, value !== null && Math.abs(value) < 10 ? 1 : 0);
}
