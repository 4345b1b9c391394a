import type { GraphError } from '../sources/meta/graph-errors.ts';
import { permanentGraphError } from '../sources/meta/graph-errors.ts';
import { parseAccountInfo } from '../sources/meta/parse-account.ts';
import { readUsage } from '../sources/meta/usage-headers.ts';
import { type CheckResult, errorMessage, fail, pass, warn } from './check-result.ts';
import type { DoctorContext } from './doctor-context.ts';
import { describeGraphError, graphGet } from './graph-get.ts';

interface MetaCall {
  context: DoctorContext;
  baseUrl: string;
  token: string;
}

/** Meta `account_status` of an account whose ads run. */
const ACTIVE_STATUS = 1;

/** Names of the other `account_status` values; ads do not run in any of them. */
const BLOCKED_STATUSES = new Map([
  [2, 'disabled'],
  [3, 'unsettled'],
  [7, 'pending risk review'],
  [8, 'pending settlement'],
  [9, 'in grace period'],
  [100, 'pending closure'],
  [101, 'closed'],
]);

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);

/**
 * The fix for codes 100/33 and 200–299 on an account the token should see. Both are what Meta
 * returns while the app is in Development mode, as well as when the token lacks the account.
 */
const NOT_VISIBLE_FIX =
  'check the ad account id; if it is right, the token cannot see the account. An app in ' +
  'Development mode sees only data of people with a role on the app, so switch the app to Live ' +
  '(App Dashboard > App Mode), and assign the system user to the ad account with ads_read ' +
  '(Business Settings > Ad accounts > Assign people)';

/** Reads each configured ad account once and reports whether the token can see it and ads run. */
export async function checkAdAccounts(call: MetaCall): Promise<CheckResult[]> {
  const accounts = new Set(
    call.context.config.reports.flatMap((report) =>
      report.properties.map((property) => property.metaAdAccountId),
    ),
  );
  const results = await Promise.all(
    [...accounts].map((accountId) => checkAdAccount(call, accountId)),
  );

  return results.flat();
}

async function checkAdAccount(call: MetaCall, accountId: string): Promise<CheckResult[]> {
  const subject = `Ad account ${accountId}`;
  let response: Awaited<ReturnType<typeof graphGet>>;
  try {
    response = await graphGet(
      call.context,
      call.baseUrl,
      accountId,
      { fields: 'name,currency,timezone_name,account_status' },
      call.token,
    );
  } catch (error) {
    return [fail(subject, errorMessage(error), 'check the network and run doctor again')];
  }
  if (response.error) return [accountError(subject, accountId, response.error)];

  const results = [describeAccount(subject, accountId, response.body)];
  const tier = readUsage(response.headers).accessTier;
  if (tier === 'development_access') {
    results.push(
      warn(
        `${subject} access tier`,
        'the app has development access to the Marketing API, with low rate limits',
        'request Standard (Limited) access for the app in the App Dashboard',
      ),
    );
  }

  return results;
}

function describeAccount(subject: string, accountId: string, body: unknown): CheckResult {
  let account: ReturnType<typeof parseAccountInfo>;
  try {
    account = parseAccountInfo(body, accountId);
  } catch (error) {
    return fail(
      subject,
      errorMessage(error),
      'check meta.baseUrl and meta.apiVersion in the config',
    );
  }
  const summary = `"${account.name}", ${account.currency}, ${account.timeZone}`;
  if (account.status === ACTIVE_STATUS) return pass(subject, `${summary}, active`);

  const blocked = BLOCKED_STATUSES.get(account.status) ?? `status ${account.status}`;

  return fail(
    subject,
    `${summary}, ${blocked}: its ads do not run`,
    'resolve the account status in Ads Manager > Account overview',
  );
}

function accountError(subject: string, accountId: string, error: GraphError): CheckResult {
  const detail = `not readable (${describeGraphError(error)})`;
  const isRateLimit =
    RATE_LIMIT_CODES.has(error.code) || (error.code >= 80_000 && error.code <= 80_014);
  if (isRateLimit)
    return fail(
      subject,
      detail,
      'Meta is rate limiting this app; run doctor again in a few minutes',
    );
  const notVisible =
    (error.code === 100 && error.subcode === 33) ||
    (error.code >= 200 && error.code <= 299 && error.code !== 270);
  if (notVisible) return fail(subject, detail, NOT_VISIBLE_FIX);

  return fail(
    subject,
    detail,
    permanentGraphError(error, accountId).fix ?? 'check the ad account id',
  );
}
