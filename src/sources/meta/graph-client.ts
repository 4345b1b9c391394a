import { InputError, SourceError } from '../../shared/errors.ts';
import { logger, maskSecrets, registerSecret } from '../../shared/logger.ts';
import { countRows, invalidPaging, nextCursor, readSince } from './graph-paging.ts';
import { parseAccountInfo } from './parse-account.ts';
import { type AttemptResult, readGraphResponse } from './read-graph-response.ts';
import { planRetry, type RetryReason, slowdownMs, WaitBudget } from './retry-policy.ts';
import { readUsage } from './usage-headers.ts';

export interface GraphClientOptions {
  /** Graph API origin, e.g. `https://graph.facebook.com`, or a loopback fake in tests. */
  baseUrl: string;
  /** Graph API version path segment, e.g. `v27.0`. */
  apiVersion: string;
  /** System user access token, sent only as `Authorization: Bearer`. */
  accessToken: string;
  /** Rows per insights page (`limit`). */
  pageSize: number;
  /** Waits between retries; the real timer by default. */
  sleep?: (ms: number) => Promise<void>;
  /** Time limit of one HTTP request in ms, 30 000 by default. */
  requestTimeoutMs?: number;
  /** Maximum total wait in ms (backoff and rate-limit pauses) of one call chain, 600 000 by default. */
  maxWaitMs?: number;
  fetch?: typeof fetch;
}

/** An ad account's settings that the report depends on. */
export interface AdAccountInfo {
  accountId: string;
  name: string;
  /** ISO 4217 code of the account currency: every money value of the account is in it. */
  currency: string;
  /** IANA zone in which Meta reads `time_range` dates for this account. */
  timeZone: string;
  /** Meta `account_status`: 1 active, 2 disabled, 3 unsettled, 101 closed, … */
  status: number;
}

/** One call chain (an account read, or every page of one insights query) and its wait budget. */
interface CallChain {
  accountId: string;
  budget: WaitBudget;
  retries: number;
}

const ACCOUNT_FIELDS = 'name,currency,timezone_name,account_status';
const ACCOUNT_ID = /^act_\d+$/;
/** Stops a server that keeps sending new cursors from paging forever. */
const MAX_PAGES = 10_000;

/**
 * Graph API client for ad account and insights reads, built on plain fetch. It pages through
 * cursors and retries rate limits and transient faults within the wait budget, waiting as long as
 * the usage headers request. Permanent faults become a `SourceError` with the fix.
 */
export class GraphClient {
  readonly #baseUrl: string;
  readonly #apiVersion: string;
  readonly #accessToken: string;
  readonly #pageSize: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #requestTimeoutMs: number;
  readonly #maxWaitMs: number;
  readonly #fetch: typeof fetch;
  /** Highest usage percentage in the last response; it sets the pause before the next request. */
  #usagePct: number | null = null;
  #accessTier: string | null = null;

  constructor(options: GraphClientOptions) {
    if (!options.accessToken) {
      throw new SourceError('meta_token_missing', 'The Meta access token is empty', {
        fix: 'store the system user token as META_ACCESS_TOKEN',
      });
    }
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
      throw new InputError('invalid_page_size', `Invalid Meta page size ${options.pageSize}`, {
        fix: 'set meta.pageSize to a positive integer such as 500',
      });
    }
    registerSecret(options.accessToken);
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiVersion = options.apiVersion;
    this.#accessToken = options.accessToken;
    this.#pageSize = options.pageSize;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#maxWaitMs = options.maxWaitMs ?? 600_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Reads the ad account's name, currency, time zone and status. */
  async getAccount(
    accountId: string,
  ): Promise<{ url: string; params: Record<string, string>; page: unknown; info: AdAccountInfo }> {
    const chain = this.#startChain(accountId);
    const url = this.#endpoint(accountId);
    const params = { fields: ACCOUNT_FIELDS };
    const started = Date.now();

    const page = await this.#request(url, params, chain);
    const info = parseAccountInfo(page, accountId);
    logger.info('Fetched Meta ad account', {
      accountId,
      currency: info.currency,
      timeZone: info.timeZone,
      status: info.status,
      accessTier: this.#accessTier,
      retries: chain.retries,
      durationMs: Date.now() - started,
    });

    return { url, params, page, info };
  }

  /**
   * Fetches every page of `GET /act_…/insights` with `params` (and `limit` set to the page size
   * unless `params` sets it). Returns the parsed pages in order, exactly as received.
   */
  async getInsightsPages(
    accountId: string,
    params: Record<string, string>,
  ): Promise<{ url: string; params: Record<string, string>; pages: unknown[] }> {
    const chain = this.#startChain(accountId);
    const url = this.#endpoint(`${accountId}/insights`);
    const firstParams = { limit: String(this.#pageSize), ...params };
    const started = Date.now();

    const pages = await this.#fetchAllPages(url, firstParams, chain);
    logger.info('Fetched Meta insights', {
      accountId,
      weekStart: readSince(firstParams),
      pages: pages.length,
      rows: countRows(pages),
      retries: chain.retries,
      accessTier: this.#accessTier,
      durationMs: Date.now() - started,
    });

    return { url, params: firstParams, pages };
  }

  #startChain(accountId: string): CallChain {
    if (!ACCOUNT_ID.test(accountId)) {
      throw new InputError('invalid_account_id', `Invalid Meta ad account id "${accountId}"`, {
        fix: 'use the ad account id with its act_ prefix, e.g. act_1234567890',
      });
    }

    return { accountId, budget: new WaitBudget(this.#maxWaitMs), retries: 0 };
  }

  #endpoint(path: string): string {
    return `${this.#baseUrl}/${this.#apiVersion}/${path}`;
  }

  // Each next page is requested from `baseUrl` with the cursor instead of by following
  // `paging.next`, so the token never goes to another host and a retry repeats the same cursor.
  async #fetchAllPages(
    url: string,
    params: Record<string, string>,
    chain: CallChain,
  ): Promise<unknown[]> {
    const pages: unknown[] = [];
    const seenCursors = new Set<string>();
    let after: string | null = null;
    do {
      const page = await this.#request(url, after === null ? params : { ...params, after }, chain);
      pages.push(page);
      after = nextCursor(page, chain.accountId);
      if (after !== null && (seenCursors.has(after) || pages.length >= MAX_PAGES)) {
        throw invalidPaging(
          chain.accountId,
          `paging does not end (cursor "${after}" on page ${pages.length})`,
        );
      }
      if (after !== null) seenCursors.add(after);
    } while (after !== null);

    return pages;
  }

  async #request(
    url: string,
    params: Record<string, string>,
    chain: CallChain,
  ): Promise<Record<string, unknown>> {
    const retries: Record<RetryReason, number> = { rate_limit: 0, transient: 0, invalid_body: 0 };
    for (;;) {
      await this.#pauseWhenBusy(chain);
      const result = await this.#attempt(`${url}?${new URLSearchParams(params)}`, chain.accountId);
      if (result.ok) return result.body;

      const { failure } = result;
      const waitMs = planRetry(failure, retries[failure.reason], chain.budget, chain.accountId);
      retries[failure.reason] += 1;
      chain.retries += 1;
      logger.warn('Retrying Meta request', {
        accountId: chain.accountId,
        reason: failure.reason,
        detail: failure.detail,
        fbtraceId: failure.fbtraceId,
        retry: retries[failure.reason],
        cursor: params.after ?? null,
        waitMs,
      });
      chain.budget.spend(waitMs);
      await this.#sleep(waitMs);
      // The usage that came with the error is what this wait was for, so no pause is added.
      this.#usagePct = null;
    }
  }

  async #pauseWhenBusy(chain: CallChain): Promise<void> {
    // A precaution, so it is clipped to the budget instead of failing the chain.
    const pauseMs = Math.min(slowdownMs(this.#usagePct), chain.budget.remainingMs);
    if (pauseMs <= 0) return;
    logger.info('Pausing before Meta request because usage is high', {
      accountId: chain.accountId,
      usagePct: this.#usagePct,
      pauseMs,
    });
    chain.budget.spend(pauseMs);
    await this.#sleep(pauseMs);
  }

  async #attempt(target: string, accountId: string): Promise<AttemptResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#requestTimeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(target, {
        headers: { authorization: `Bearer ${this.#accessToken}`, accept: 'application/json' },
        // Graph does not redirect, so a redirect is reported as an error instead of followed.
        redirect: 'manual',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const detail = controller.signal.aborted
        ? `timed out after ${this.#requestTimeoutMs} ms`
        : `network error (${describeNetworkError(error)})`;

      return {
        ok: false,
        failure: { reason: 'transient', detail, waitHintMs: null, fbtraceId: null },
      };
    } finally {
      clearTimeout(timer);
    }
    const usage = readUsage(response.headers);
    this.#usagePct = usage.maxPct;
    this.#accessTier = usage.accessTier ?? this.#accessTier;

    // An echoed token is masked here, so it reaches neither the raw archive nor an error message.
    return readGraphResponse(response.status, maskSecrets(text), usage.waitHintMs, accountId);
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;

  return error instanceof Error ? error.message : String(error);
}
