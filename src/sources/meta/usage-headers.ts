/**
 * Reads the Graph API rate-limit headers. Each header value is a JSON string:
 *
 * - `x-app-usage`: `{"call_count":3,"total_cputime":1,"total_time":2}`
 * - `x-business-use-case-usage`: `{"<account id>":[{"type":"ads_insights","call_count":12,
 *   "total_cputime":8,"total_time":10,"estimated_time_to_regain_access":0,
 *   "ads_api_access_tier":"standard_access"}]}`
 * - `x-ad-account-usage`: `{"acc_id_util_pct":4.5,"reset_time_duration":0,"ads_api_access_tier":…}`
 * - `x-fb-ads-insights-throttle`: `{"app_id_util_pct":0.5,"acc_id_util_pct":2.1,…}`
 *
 * Usage figures are percentages of the quota, and Meta throttles at 100.
 * `estimated_time_to_regain_access` is in minutes, `reset_time_duration` and `Retry-After` in seconds.
 */

/** Quota state reported by the usage headers of one response. */
export interface Usage {
  /** Highest usage percentage in any header, or null when no header reports one. */
  maxPct: number | null;
  /** Wait in ms that Meta requests before the next call, or null when the headers name none. */
  waitHintMs: number | null;
  /** Marketing API access tier, e.g. `standard_access` or `development_access`. */
  accessTier: string | null;
}

type JsonObject = Record<string, unknown>;

/** Reads the usage percentages, the requested wait and the access tier from the headers. */
export function readUsage(headers: Headers): Usage {
  const percentages: number[] = [];
  const waits: number[] = [];
  const tiers: string[] = [];

  const app = parseHeader(headers, 'x-app-usage');
  if (app) percentages.push(...numbers(app, ['call_count', 'total_cputime', 'total_time']));

  for (const entry of businessUseCaseEntries(headers)) {
    percentages.push(...numbers(entry, ['call_count', 'total_cputime', 'total_time']));
    waits.push(...numbers(entry, ['estimated_time_to_regain_access']).map((min) => min * 60_000));
    tiers.push(...strings(entry, ['ads_api_access_tier']));
  }

  const account = parseHeader(headers, 'x-ad-account-usage');
  if (account) {
    percentages.push(...numbers(account, ['acc_id_util_pct']));
    waits.push(...numbers(account, ['reset_time_duration']).map((seconds) => seconds * 1000));
    tiers.push(...strings(account, ['ads_api_access_tier']));
  }

  const throttle = parseHeader(headers, 'x-fb-ads-insights-throttle');
  if (throttle) {
    percentages.push(...numbers(throttle, ['app_id_util_pct', 'acc_id_util_pct']));
    tiers.push(...strings(throttle, ['ads_api_access_tier']));
  }

  waits.push(...retryAfterMs(headers));
  const positiveWaits = waits.filter((ms) => ms > 0);

  return {
    maxPct: percentages.length > 0 ? Math.max(...percentages) : null,
    waitHintMs: positiveWaits.length > 0 ? Math.max(...positiveWaits) : null,
    accessTier: tiers[0] ?? null,
  };
}

function businessUseCaseEntries(headers: Headers): JsonObject[] {
  const usage = parseHeader(headers, 'x-business-use-case-usage');
  if (!usage) return [];

  // Keyed by the business object id; each value lists one entry per use case (ads_insights, …).
  return Object.values(usage)
    .flatMap((value) => (Array.isArray(value) ? value : []))
    .filter(isObject);
}

function retryAfterMs(headers: Headers): number[] {
  const seconds = Number(headers.get('retry-after'));

  return Number.isFinite(seconds) && seconds > 0 ? [seconds * 1000] : [];
}

function parseHeader(headers: Headers, name: string): JsonObject | null {
  const value = headers.get(name);
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);

    return isObject(parsed) ? parsed : null;
  } catch {
    // A malformed usage header says nothing about the quota, so it is ignored.
    return null;
  }
}

function numbers(object: JsonObject, keys: string[]): number[] {
  return keys
    .map((key) => Number(object[key]))
    .filter((value) => Number.isFinite(value) && value >= 0);
}

function strings(object: JsonObject, keys: string[]): string[] {
  return keys
    .map((key) => object[key])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
