import { InputError } from '../../shared/errors.ts';
import { toMinorUnits } from '../../shared/money.ts';
import type { Week } from '../../shared/types.ts';
import { leadCount, leadSourceTypes } from './lead-rule.ts';

/** One ad set's figures for one week, read from an insights row at `level=adset`. */
export interface AdSetRow {
  campaignId: string;
  campaignName: string;
  adsetId: string;
  adsetName: string;
  objective: string | null;
  spendMinor: number;
  impressions: number;
  clicks: number;
  leads: number;
  landingPageViews: number;
}

export type RowProblemCode = 'missing_id' | 'invalid_value' | 'date_mismatch';

/** Reason a row was skipped, with a message that names the field and its value. */
export interface RowProblem {
  code: RowProblemCode;
  message: string;
}

export interface ParseRowOptions {
  /** Account currency: `spend` is a decimal string in its major units. */
  currency: string;
  leadActionType: string;
  /** The week the row was requested for; `date_start` and `date_stop` must match it. */
  week: Week;
}

/** Counts above this (a trillion) are not plausible for one ad set in one week. */
export const MAX_COUNT = 1e12;
/** Spend above this many minor units is not plausible for one ad set in one week. */
export const MAX_SPEND_MINOR = 1e15;

const LANDING_PAGE_VIEW = 'landing_page_view';
const COUNT = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

class RowRejection extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.message);
  }
}

/**
 * Parses one insights row. Meta sends numbers as strings and leaves out metrics that have no
 * value, so a missing metric is 0. Meta documents no null metric, so a null is a problem like
 * any other bad value rather than a silent 0. A row without ids, for another week, or with a
 * value that is null, negative, not a number or implausibly large is returned as a problem and
 * never as NaN.
 */
export function parseInsightsRow(
  row: unknown,
  options: ParseRowOptions,
): { row: AdSetRow } | { problem: RowProblem } {
  try {
    return { row: readRow(row, options) };
  } catch (error) {
    if (error instanceof RowRejection) return { problem: error.problem };
    throw error;
  }
}

function readRow(row: unknown, options: ParseRowOptions): AdSetRow {
  if (!isObject(row)) reject('invalid_value', `the row is ${describe(row)}, not an object`);
  const campaignId = readId(row, 'campaign_id');
  const adsetId = readId(row, 'adset_id');
  checkDates(row, options.week);
  const actions = readActions(row, leadSourceTypes(options.leadActionType));

  return {
    campaignId,
    campaignName: readName(row, 'campaign_name', campaignId),
    adsetId,
    adsetName: readName(row, 'adset_name', adsetId),
    objective: typeof row.objective === 'string' && row.objective !== '' ? row.objective : null,
    spendMinor: readSpend(row.spend, options.currency),
    impressions: readCount(row.impressions, 'impressions'),
    clicks: readCount(row.clicks, 'clicks'),
    leads: leadCount(actions, options.leadActionType),
    landingPageViews: actions.get(LANDING_PAGE_VIEW) ?? 0,
  };
}

function readId(row: Record<string, unknown>, field: string): string {
  const value = row[field];
  if (typeof value !== 'string' || value.trim() === '') {
    reject('missing_id', `${field} is ${describe(value)}`);
  }

  return value;
}

function readName(row: Record<string, unknown>, field: string, fallback: string): string {
  const value = row[field];

  return typeof value === 'string' && value !== '' ? value : fallback;
}

function checkDates(row: Record<string, unknown>, week: Week): void {
  const stopMatches = row.date_stop === undefined || row.date_stop === week.end;
  if (row.date_start !== week.start || !stopMatches) {
    const range = `${describe(row.date_start)} to ${describe(row.date_stop)}`;
    reject(
      'date_mismatch',
      `date_start to date_stop is ${range}, not the requested week ${week.start} to ${week.end}`,
    );
  }
}

/** Reads only the action types the lead rule and landing page views need. */
function readActions(row: Record<string, unknown>, leadTypes: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  if (row.actions === undefined) return counts;
  if (!Array.isArray(row.actions))
    reject('invalid_value', `actions is ${describe(row.actions)}, not a list`);

  const neededTypes = new Set([...leadTypes, LANDING_PAGE_VIEW]);
  for (const action of row.actions) {
    if (!isObject(action) || typeof action.action_type !== 'string') {
      reject('invalid_value', `actions contains ${describe(action)}, which has no action_type`);
    }
    if (neededTypes.has(action.action_type)) {
      counts.set(action.action_type, readCount(action.value, `actions ${action.action_type}`));
    }
  }

  return counts;
}

function readCount(value: unknown, field: string): number {
  if (value === undefined) return 0;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !COUNT.test(text.trim())) {
    reject('invalid_value', `${field} is ${describe(value)}, not a non-negative integer`);
  }
  const count = Number(text);
  if (count > MAX_COUNT) {
    reject(
      'invalid_value',
      `${field} is ${describe(value)}, above the plausible maximum ${MAX_COUNT}`,
    );
  }

  return count;
}

function readSpend(value: unknown, currency: string): number {
  if (value === undefined) return 0;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text.trim())) {
    reject('invalid_value', `spend is ${describe(value)}, not a non-negative decimal`);
  }
  const minor = toMinorUnitsOrNull(text, currency);
  if (minor === null || minor > MAX_SPEND_MINOR) {
    reject(
      'invalid_value',
      `spend is ${describe(value)}, above the plausible maximum of ${MAX_SPEND_MINOR} minor units`,
    );
  }

  return minor;
}

function toMinorUnitsOrNull(amount: string, currency: string): number | null {
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    // toMinorUnits rejects amounts beyond 2^53 minor units; such a row is skipped, not fatal.
    if (error instanceof InputError) return null;
    throw error;
  }
}

function reject(code: RowProblemCode, message: string): never {
  throw new RowRejection({ code, message });
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);

  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
