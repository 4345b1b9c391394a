import { DateTime } from 'luxon';
import { AdreportError, InputError, SourceError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, RawPayloadKey, Week } from '../shared/types.ts';
import { isComplete, weekContaining } from '../shared/week.ts';
import type { AdAccountInfo, GraphClient } from '../sources/meta/graph-client.ts';
import type { WeekFailure } from './sources.ts';

/** Ids and names to group by, the additive metrics, and `actions` for the lead rule. */
const INSIGHTS_FIELDS =
  'campaign_id,campaign_name,adset_id,adset_name,objective,spend,impressions,clicks,actions';

/** Meta `account_status` of an active account. */
const ACCOUNT_ACTIVE = 1;

/** Errors that fail every request of the account alike, so no later week is tried. */
const ACCOUNT_WIDE_CODES = new Set([
  'meta_token_invalid',
  'meta_token_missing',
  'meta_permission_denied',
  'meta_access_tier',
  'meta_account_not_found',
]);

/**
 * Fetches the ad account and then one insights query per week (ad-set rows, whole week), after
 * checking in the account's time zone that every week has ended. Returns the account and the raw
 * payloads to archive: an `account` payload under the latest week and one `insights` per week.
 * `onPayload` receives each payload as soon as it is complete, so a caller can archive the ones
 * fetched before a later request fails. A failed earlier week is returned in `failedWeeks`, so the
 * report week is still fetched. A failed report week or an account-wide error is thrown.
 */
export async function fetchMetaInsights(
  client: GraphClient,
  input: {
    accountId: string;
    weeks: Week[];
    runId: string;
    now?: () => Date;
    onPayload?: (payload: RawPayload) => Promise<void>;
  },
): Promise<{ account: AdAccountInfo; payloads: RawPayload[]; failedWeeks: WeekFailure[] }> {
  const now = input.now ?? (() => new Date());
  const weeks = sortedWeeks(input.weeks);
  const latestWeek = weeks[weeks.length - 1] as Week;
  const keyOf = (week: Week, name: string): RawPayloadKey => ({
    source: 'meta',
    account: input.accountId,
    weekStart: week.start,
    runId: input.runId,
    name,
  });

  const account = await client.getAccount(input.accountId);
  if (account.info.status !== ACCOUNT_ACTIVE) {
    // A disabled or closed account still has past insights, so the fetch goes on.
    logger.warn('Meta ad account is not active', {
      accountId: input.accountId,
      status: account.info.status,
    });
  }
  checkWeeksEnded(weeks, now(), account.info);
  const payloads: RawPayload[] = [];
  const collect = async (payload: RawPayload) => {
    payloads.push(payload);
    await input.onPayload?.(payload);
  };
  await collect({
    key: keyOf(latestWeek, 'account'),
    fetchedAt: now().toISOString(),
    request: { url: account.url, params: account.params },
    pages: [account.page],
  });

  const failedWeeks: WeekFailure[] = [];
  for (const week of weeks) {
    let insights: Awaited<ReturnType<GraphClient['getInsightsPages']>>;
    try {
      insights = await client.getInsightsPages(input.accountId, insightsParams(week));
    } catch (error) {
      if (week === latestWeek || !isWeekFailure(error)) throw error;
      logger.error('Meta insights of an earlier week failed', {
        accountId: input.accountId,
        weekStart: week.start,
        code: error.code,
        error,
      });
      failedWeeks.push({ weekStart: week.start, reason: error.message });
      continue;
    }
    await collect({
      key: keyOf(week, 'insights'),
      fetchedAt: now().toISOString(),
      request: { url: insights.url, params: insights.params },
      pages: insights.pages,
    });
  }

  return { account: account.info, payloads, failedWeeks };
}

/** Returns true for a source error that may spare the other weeks, such as exhausted retries. */
function isWeekFailure(error: unknown): error is AdreportError {
  return (
    error instanceof AdreportError &&
    error.name === 'SourceError' &&
    !ACCOUNT_WIDE_CODES.has(error.code)
  );
}

/** Query parameters of one week's insights request; the client adds `limit`. */
export function insightsParams(week: Week): Record<string, string> {
  return {
    level: 'adset',
    fields: INSIGHTS_FIELDS,
    time_range: JSON.stringify({ since: week.start, until: week.end }),
    time_increment: 'all_days',
    use_unified_attribution_setting: 'true',
  };
}

/** Checks that each week runs Monday to Sunday; returns them oldest first without repeats. */
function sortedWeeks(weeks: Week[]): Week[] {
  if (weeks.length === 0) {
    throw new InputError('no_weeks', 'No weeks to fetch from Meta', {
      fix: 'pass at least the report week',
    });
  }
  for (const week of weeks) {
    const expected = weekContaining(week.start);
    if (expected.start !== week.start || expected.end !== week.end) {
      throw new InputError('invalid_week', `Invalid week ${week.start} to ${week.end}`, {
        fix: `weeks run Monday to Sunday, e.g. ${expected.start} to ${expected.end}`,
      });
    }
  }
  const byStart = new Map(weeks.map((week) => [week.start, week]));

  return [...byStart.keys()].sort().map((start) => byStart.get(start) as Week);
}

// Meta reads `time_range` dates in the ad account's time zone, so a week that has ended in UTC
// can still be running for the account, and its figures would be partial.
// NOTE: this matches Ads Manager, but the Graph API reference does not state it.
function checkWeeksEnded(weeks: Week[], instant: Date, account: AdAccountInfo): void {
  const running = weeks.find((week) => !isComplete(week, instant, account.timeZone));
  if (!running) return;

  const endsAt = DateTime.fromISO(running.end, { zone: account.timeZone })
    .plus({ days: 1 })
    .startOf('day');
  throw new SourceError(
    'meta_week_incomplete',
    `Week ${running.start} to ${running.end} has not ended yet in ${account.timeZone}, the time zone of ad account ${account.accountId}`,
    {
      fix: `run the report after ${endsAt.toUTC().toISO()} (midnight after ${running.end} in ${account.timeZone})`,
    },
  );
}
