/**
 * Number formatting for the email. Every function returns "—" for a missing or non-finite value,
 * so NaN, Infinity and null never reach a reader.
 */
import { shortenName, stripBidiControls } from '../shared/display-text.ts';
import { currencyDigits } from '../shared/money.ts';
import type { KpiKey } from '../shared/types.ts';

export const UNDEFINED_VALUE = '—';

/** Building an `Intl.NumberFormat` costs far more than using one, so each is built once. */
const formatters = new Map<string, Intl.NumberFormat>();
const digitsByCurrency = new Map<string, number>();

function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat('en-US', options);
    formatters.set(key, cached);
  }

  return cached;
}

/** Returns the minor-unit digits of a currency, cached. Throws InputError for an unknown code. */
function digitsOf(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyDigits(currency);
    digitsByCurrency.set(currency, digits);
  }

  return digits;
}

const isKnown = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value);

/** Formats a count with thousands separators, e.g. `12,345`. */
export function formatCount(value: number | null | undefined): string {
  if (!isKnown(value)) return UNDEFINED_VALUE;

  return formatter('count', { maximumFractionDigits: 0 }).format(value);
}

/** Formats a count short enough for a narrow card: `12,345` below 100,000, then `123K`, `1.2M`. */
export function formatCompactCount(value: number | null | undefined): string {
  if (!isKnown(value)) return UNDEFINED_VALUE;
  if (Math.abs(value) < 100_000) return formatCount(value);

  return formatter('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** Formats a fraction as a percentage, e.g. 0.01551 → `1.55%`. */
export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (!isKnown(fraction)) return UNDEFINED_VALUE;

  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Formats a week-over-week change, e.g. 0.123 → `+12.3%`, -0.04 → `−4.0%` (with a minus sign). */
export function formatChange(fraction: number | null | undefined): string {
  if (!isKnown(fraction)) return UNDEFINED_VALUE;
  const percent = Math.abs(fraction * 100);
  const text = percent >= 100 ? percent.toFixed(0) : percent.toFixed(1);
  if (text === '0.0') return '0.0%';

  return `${fraction > 0 ? '+' : '−'}${text}%`;
}

/** Formats minor units as money, e.g. 123450 USD cents → `$1,234.50`. */
export function formatMinorMoney(minor: number | null | undefined, currency: string): string {
  if (!isKnown(minor)) return UNDEFINED_VALUE;
  const digits = digitsOf(currency);

  return formatter(`money:${currency}`, { style: 'currency', currency }).format(
    minor / 10 ** digits,
  );
}

/** Formats an amount in major units, e.g. 1234.5 USD → `$1,234.50`. */
export function formatMajorMoney(value: number | null | undefined, currency: string): string {
  if (!isKnown(value)) return UNDEFINED_VALUE;

  return formatMinorMoney(Math.round(value * 10 ** digitsOf(currency)), currency);
}

/** Formats an amount in major units for a narrow card: exact below 10,000, then `$48.2K`. */
export function formatCompactMoney(value: number | null | undefined, currency: string): string {
  if (!isKnown(value)) return UNDEFINED_VALUE;
  if (Math.abs(value) < 10_000) return formatMajorMoney(value, currency);

  return formatter(`compact-money:${currency}`, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(value);
}

/** Formats minor units rounded to whole major units, e.g. 123456 USD cents → `$1,235`. */
export function formatWholeMoney(minor: number | null | undefined, currency: string): string {
  if (!isKnown(minor)) return UNDEFINED_VALUE;

  return formatter(`whole-money:${currency}`, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(minor / 10 ** digitsOf(currency));
}

const MONEY_KPIS = new Set<KpiKey>(['spend', 'cpc', 'cpl']);

/** Formats a KPI display value (money in major units, CTR as a fraction) in full. */
export function formatKpiValue(key: KpiKey, value: number | null, currency: string): string {
  if (key === 'ctr') return formatPercent(value);
  if (MONEY_KPIS.has(key)) return formatMajorMoney(value, currency);

  return formatCount(value);
}

/** Formats a KPI display value short enough for a card a quarter of a phone screen wide. */
export function formatKpiValueCompact(key: KpiKey, value: number | null, currency: string): string {
  if (key === 'ctr') return formatPercent(value);
  if (MONEY_KPIS.has(key)) return formatCompactMoney(value, currency);

  return formatCompactCount(value);
}

export { KPI_LABELS } from '../shared/kpi-labels.ts';

/**
 * Replaces control characters (line breaks included) with spaces, so text stays on one line, and
 * removes bidirectional overrides, which would reorder the text after them.
 */
export function cleanLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the regex removes control characters
  return stripBidiControls(text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')).trim();
}

/** Cleans a campaign, ad set or property name like `cleanLine` and cuts it to the display length. */
export function cleanName(name: string): string {
  return shortenName(cleanLine(name));
}
