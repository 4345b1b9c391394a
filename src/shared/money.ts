import { InputError } from './errors.ts';

/** Number of minor-unit digits of an ISO 4217 currency (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch (cause) {
    throw new InputError('invalid_currency', `Invalid currency code "${currency}"`, {
      fix: 'use an ISO 4217 code such as USD or EUR',
      cause,
    });
  }
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Converts a decimal string in major units ("412.37") to integer minor units (41237) without
 * floating-point rounding. Extra fraction digits are rounded half up. Throws on anything that is
 * not a non-negative decimal.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) {
    throw new InputError('invalid_amount', `Invalid money amount "${amount}"`, {
      fix: 'amounts must be non-negative decimal strings such as "412.37"',
    });
  }
  const digits = currencyDigits(currency);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(digits + 1, '0');
  const kept = fraction.slice(0, digits);
  const roundUp = Number(fraction[digits] ?? '0') >= 5 ? 1 : 0;
  const minor = Number(whole + kept) + roundUp;
  if (!Number.isSafeInteger(minor)) {
    throw new InputError('invalid_amount', `Money amount "${amount}" is too large`, {
      fix: 'check the source row; amounts above 2^53 minor units are not plausible ad spend',
    });
  }

  return minor;
}

/** Converts integer minor units back to a major-unit number for display and ratios. */
export function toMajorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** Formats minor units as money, e.g. `$1,234.50`; the em dash stands for an undefined value. */
export function formatMoney(minor: number | null, currency: string): string {
  if (minor === null || !Number.isFinite(minor)) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(
    toMajorUnits(minor, currency),
  );
}
