import { InputError } from '../../src/shared/errors.ts';

/** Median, minimum and maximum of repeated measurements of one figure. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/**
 * Returns the median of `values` (the mean of the two middle values for an even count).
 *
 * @throws InputError when `values` is empty or contains a value that is not finite.
 */
export function median(values: number[]): number {
  checkValues(values);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;

  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Summarises repeated measurements of one figure. */
export function summarise(values: number[]): Summary {
  const center = median(values);

  return {
    median: center,
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** Returns `numerator / denominator`, or null when the denominator is zero or either is not finite. */
export function ratio(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    return null;
  }

  return numerator / denominator;
}

/** Rounds to `digits` decimals, keeping null. */
export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;

  return Math.round(value * factor) / factor;
}

function checkValues(values: number[]): void {
  if (values.length === 0) {
    throw new InputError('no_measurements', 'No measurements to summarise', {
      fix: 'run the measurement at least once before summarising it',
    });
  }
  const bad = values.find((value) => !Number.isFinite(value));
  if (bad !== undefined) {
    throw new InputError('invalid_measurement', `Invalid measurement ${bad}`, {
      fix: 'record only finite numbers; a failed run must be reported, not averaged',
    });
  }
}
