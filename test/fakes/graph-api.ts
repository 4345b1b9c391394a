/**
 * A loopback fake of the Meta Graph API: the two Marketing API reads that adreport makes.
 *
 * - `GET /{version}/act_{id}?fields=…` returns the requested ad account fields and `id`.
 * - `GET /{version}/act_{id}/insights?time_range={"since":…,"until":…}&limit=…` returns the rows
 *   stored for the week that starts on `since`, `limit` rows a page (25 when absent, as in Graph).
 *   Every non-empty page has `paging.cursors.before/after`. Every page but the last also has
 *   `paging.next`, a full URL back to this server.
 *
 * Like Graph it wants a token (`Authorization: Bearer …` or `access_token=`), answers every error
 * as `{"error":{message,type,code,error_subcode,is_transient,fbtrace_id}}`, and sends the usage
 * headers `x-app-usage`, `x-business-use-case-usage` and `x-ad-account-usage` on every response.
 * Tests script faults with `enqueue`: a status and body, a Graph error, a connection reset or a
 * hang. The server listens on 127.0.0.1 at a random port.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Ad account fields as Graph returns them. */
export interface FakeAdAccount {
  name: string;
  currency: string;
  timezone_name: string;
  account_status: number;
}

/** One insights row in Graph's shape: numbers are strings and empty metrics are left out. */
export type GraphInsightsRow = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v27.0/act_1/insights`. */
  path: string;
  query: Record<string, string>;
  authorization: string | null;
}

/** The fields of a Graph error body; `message`, `type` and `fbtrace_id` get defaults. */
export interface GraphErrorFields {
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  message?: string;
  type?: string;
  fbtrace_id?: string;
}

/** A scripted response to the next matching request. */
export type ScriptedResponse =
  /** A Graph error body with HTTP `status`, 400 by default. */
  | { kind: 'graph_error'; error: GraphErrorFields; status?: number; headers?: HeaderMap }
  /** Any status with any body, e.g. an HTML 502 page or a 200 that is not JSON. */
  | { kind: 'raw'; status: number; body: string; headers?: HeaderMap }
  /** The normal response with these headers added, e.g. usage and throttle headers. */
  | { kind: 'normal'; headers: HeaderMap }
  /** The server closes the connection without a response. */
  | { kind: 'reset' }
  /** The server never responds, so the client times out. */
  | { kind: 'hang' };

/** Chooses requests by a substring of `path?query`, a RegExp on it, or a predicate. */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

type HeaderMap = Record<string, string>;

export interface FakeGraphApiOptions {
  /** Token the fake accepts; `test-meta-token-0001` by default. */
  accessToken?: string;
  /** Version path segment the fake serves; `v27.0` by default. */
  apiVersion?: string;
}

export interface FakeGraphApi {
  /** Origin to use as the client's `baseUrl`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  accessToken: string;
  apiVersion: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  setAccount(accountId: string, account?: Partial<FakeAdAccount>): void;
  setRows(accountId: string, weekStart: string, rows: GraphInsightsRow[]): void;
  enqueue(matcher: RequestMatcher, response: ScriptedResponse): void;
  close(): Promise<void>;
}

/** Messages Graph sends with common error codes. */
const ERROR_MESSAGES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'An unexpected error has occurred. Please retry your request later.',
  4: '(#4) Application request limit reached',
  10: '(#10) Application does not have permission for this action',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  100: '(#100) Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  200: '(#200) Permissions error',
  270: '(#270) This Ads API request is not allowed for apps with development access level',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80000: 'There have been too many calls from this ad-account. Wait a bit and try again.',
  80004: 'There have been too many calls to this ad-account. Wait a bit and try again.',
};

const DEFAULT_ACCOUNT: FakeAdAccount = {
  name: 'Example Co',
  currency: 'USD',
  timezone_name: 'America/New_York',
  account_status: 1,
};

/** Starts the fake on 127.0.0.1 at a random port. */
export async function startFakeGraphApi(options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> {
  const accessToken = options.accessToken ?? 'test-meta-token-0001';
  const apiVersion = options.apiVersion ?? 'v27.0';
  const accounts = new Map<string, FakeAdAccount>();
  const rows = new Map<string, GraphInsightsRow[]>();
  const script: Array<{ matcher: RequestMatcher; response: ScriptedResponse }> = [];
  const requests: RecordedRequest[] = [];
  let origin = '';

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization ?? null,
    };
    requests.push(recorded);
    const index = script.findIndex((entry) => matches(entry.matcher, recorded, url));
    const scripted = index >= 0 ? script.splice(index, 1)[0]?.response : undefined;
    const accountId = url.pathname.split('/')[2] ?? '';
    const headers = usageHeaders(accountId);

    switch (scripted?.kind) {
      case 'reset':
        request.socket.destroy();
        break;
      case 'hang':
        break;
      case 'graph_error':
        sendGraphError(response, scripted.error, scripted.status ?? 400, {
          ...headers,
          ...scripted.headers,
        });
        break;
      case 'raw':
        response.writeHead(scripted.status, { 'content-type': 'text/html', ...scripted.headers });
        response.end(scripted.body);
        break;
      default: {
        const reply = buildReply(recorded, url);
        const allHeaders = { ...headers, ...(scripted?.headers ?? {}) };
        if (reply.ok) sendJson(response, 200, reply.body, allHeaders);
        else sendGraphError(response, reply.error, 400, allHeaders);
      }
    }
  });

  /** Builds the reply that Graph would send when no response is scripted. */
  function buildReply(request: RecordedRequest, url: URL): Reply {
    const match = /^\/(v\d+\.\d+)\/(act_\d+)(\/insights)?$/.exec(url.pathname);
    if (!hasValidToken(request, accessToken)) return failure({ code: 190 });
    if (!match || match[1] !== apiVersion || request.method !== 'GET') {
      return failure({ code: 2500, message: `Unknown path components: ${url.pathname}` });
    }
    const accountId = match[2] as string;
    const account = accounts.get(accountId);
    if (!account) return failure(accountNotFound(accountId));

    return match[3]
      ? insightsPage(accountId, url)
      : { ok: true, body: accountFields(accountId, account, request.query.fields) };
  }

  function insightsPage(accountId: string, url: URL): Reply {
    const range = parseTimeRange(url.searchParams.get('time_range'));
    if (!range) {
      return failure({ code: 100, message: '(#100) time_range must be {"since":…,"until":…}' });
    }
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const after = url.searchParams.get('after');
    const start = after === null ? 0 : decodeCursor(after);
    if (!Number.isInteger(limit) || limit < 1 || start === null) {
      return failure({ code: 100, message: '(#100) Invalid limit or cursor' });
    }
    // With time_increment=all_days every row covers the whole requested range.
    const weekRows = (rows.get(`${accountId}|${range.since}`) ?? []).map((row) => ({
      date_start: range.since,
      date_stop: range.until,
      ...row,
    }));

    return { ok: true, body: pageOf(weekRows, start, limit, url) };
  }

  function pageOf(all: GraphInsightsRow[], start: number, limit: number, url: URL) {
    const data = all.slice(start, start + limit);
    if (data.length === 0) return { data };
    const last = start + data.length - 1;
    const paging: Record<string, unknown> = {
      cursors: { before: encodeCursor(start), after: encodeCursor(last) },
    };
    if (last < all.length - 1) {
      const next = new URL(url.pathname, origin);
      for (const [name, value] of url.searchParams) next.searchParams.set(name, value);
      next.searchParams.set('after', encodeCursor(last));
      paging.next = next.toString();
    }

    return { data, paging };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    accessToken,
    apiVersion,
    requests,
    setAccount: (accountId, account = {}) => {
      accounts.set(accountId, { ...DEFAULT_ACCOUNT, ...account });
    },
    setRows: (accountId, weekStart, weekRows) => {
      rows.set(`${accountId}|${weekStart}`, weekRows);
    },
    enqueue: (matcher, response) => {
      script.push({ matcher, response });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Reply = { ok: true; body: Record<string, unknown> } | { ok: false; error: GraphErrorFields };

function failure(error: GraphErrorFields): Reply {
  return { ok: false, error };
}

/**
 * Builds an insights row the way Graph sends it: numbers become strings, and zero or absent
 * metrics are left out, so `actions` is missing when there are no actions.
 */
export function insightsRow(input: {
  campaignId: string;
  adsetId: string;
  campaignName?: string;
  adsetName?: string;
  objective?: string;
  spend?: string | number;
  impressions?: number;
  clicks?: number;
  actions?: Record<string, number>;
}): GraphInsightsRow {
  const row: GraphInsightsRow = {
    campaign_id: input.campaignId,
    campaign_name: input.campaignName ?? `Campaign ${input.campaignId}`,
    adset_id: input.adsetId,
    adset_name: input.adsetName ?? `Ad set ${input.adsetId}`,
  };
  if (input.objective) row.objective = input.objective;
  if (input.spend !== undefined && Number(input.spend) !== 0) row.spend = String(input.spend);
  if (input.impressions) row.impressions = String(input.impressions);
  if (input.clicks) row.clicks = String(input.clicks);
  const actions = Object.entries(input.actions ?? {}).filter(([, value]) => value !== 0);
  if (actions.length > 0) {
    row.actions = actions.map(([type, value]) => ({ action_type: type, value: String(value) }));
  }

  return row;
}

/**
 * Builds an `x-business-use-case-usage` header for one ad account. Graph keys it by the account
 * id without `act_`, with one entry per use case; `estimated_time_to_regain_access` is in minutes.
 */
export function businessUseCaseUsage(
  accountId: string,
  usage: { callCount?: number; regainAccessMinutes?: number; accessTier?: string } = {},
): HeaderMap {
  const entry = {
    type: 'ads_insights',
    call_count: usage.callCount ?? 2,
    total_cputime: 1,
    total_time: 1,
    estimated_time_to_regain_access: usage.regainAccessMinutes ?? 0,
    ads_api_access_tier: usage.accessTier ?? 'standard_access',
  };

  return { 'x-business-use-case-usage': JSON.stringify({ [numericId(accountId)]: [entry] }) };
}

/** Builds an `x-app-usage` header with every figure at `percent`. */
export function appUsage(percent: number): HeaderMap {
  const usage = { call_count: percent, total_cputime: percent, total_time: percent };

  return { 'x-app-usage': JSON.stringify(usage) };
}

function usageHeaders(accountId: string): HeaderMap {
  const accountUsage = {
    acc_id_util_pct: 1,
    reset_time_duration: 0,
    ads_api_access_tier: 'standard_access',
  };

  return {
    ...appUsage(1),
    ...businessUseCaseUsage(accountId),
    'x-ad-account-usage': JSON.stringify(accountUsage),
  };
}

function accountFields(
  accountId: string,
  account: FakeAdAccount,
  fields: string | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = { id: accountId };
  for (const field of (fields ?? 'name').split(',')) {
    if (field in account) body[field] = account[field as keyof FakeAdAccount];
  }

  return body;
}

function accountNotFound(accountId: string): GraphErrorFields {
  return {
    code: 100,
    error_subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported get request. Object with ID '${accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  };
}

function hasValidToken(request: RecordedRequest, accessToken: string): boolean {
  const bearer = request.authorization?.match(/^Bearer (.+)$/)?.[1];

  return (bearer ?? request.query.access_token) === accessToken;
}

function sendGraphError(
  response: ServerResponse,
  error: GraphErrorFields,
  status: number,
  headers: HeaderMap,
): void {
  const body = {
    error: {
      message: error.message ?? ERROR_MESSAGES[error.code] ?? 'An error occurred',
      type: error.type ?? 'OAuthException',
      code: error.code,
      ...(error.error_subcode === undefined ? {} : { error_subcode: error.error_subcode }),
      ...(error.is_transient === undefined ? {} : { is_transient: error.is_transient }),
      fbtrace_id: error.fbtrace_id ?? `A${randomBytes(9).toString('base64url')}`,
    },
  };
  sendJson(response, status, body, headers);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: HeaderMap,
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  response.end(JSON.stringify(body));
}

function matches(matcher: RequestMatcher, request: RecordedRequest, url: URL): boolean {
  const target = `${url.pathname}${url.search}`;
  if (typeof matcher === 'string') return decodeURIComponent(target).includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(decodeURIComponent(target));

  return matcher(request);
}

function parseTimeRange(value: string | null): { since: string; until: string } | null {
  try {
    const range = JSON.parse(value ?? '') as { since?: unknown; until?: unknown };
    const isDate = (date: unknown) => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date);

    return isDate(range.since) && isDate(range.until)
      ? { since: range.since as string, until: range.until as string }
      : null;
  } catch {
    return null;
  }
}

/** Cursors are opaque base64 strings in Graph; here each one encodes a row index. */
function encodeCursor(index: number): string {
  return Buffer.from(`row:${index}`).toString('base64url');
}

/** Returns the index of the first row after the cursor, or null for a cursor this fake never sent. */
function decodeCursor(cursor: string): number | null {
  const match = /^row:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());

  return match ? Number(match[1]) + 1 : null;
}

function numericId(accountId: string): string {
  return accountId.replace(/^act_/, '');
}
