import { IANAZone } from 'luxon';
import { SourceError } from '../../shared/errors.ts';
import type { AdAccountInfo } from './graph-client.ts';

/** ISO 4217 codes this runtime can format; `Intl` would accept any three letters. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Validates the body of `GET /act_…?fields=name,currency,timezone_name,account_status` and
 * returns the account's name, currency, time zone and status. Throws `meta_payload_invalid`
 * naming the field when the body is not an ad account.
 */
export function parseAccountInfo(page: unknown, accountId: string): AdAccountInfo {
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    throw invalidAccount(accountId, 'the response is not a JSON object');
  }
  const body = page as Record<string, unknown>;
  if (body.id !== undefined && body.id !== accountId) {
    throw invalidAccount(accountId, `the response is for "${String(body.id)}"`);
  }

  return {
    accountId,
    name: readName(body, accountId),
    currency: readCurrency(body, accountId),
    timeZone: readTimeZone(body, accountId),
    status: readStatus(body, accountId),
  };
}

function readName(body: Record<string, unknown>, accountId: string): string {
  if (typeof body.name !== 'string') throw invalidAccount(accountId, 'name is missing');

  return body.name;
}

function readCurrency(body: Record<string, unknown>, accountId: string): string {
  const currency = body.currency;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw invalidAccount(accountId, `currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
  }
  if (!KNOWN_CURRENCIES.has(currency)) {
    throw invalidAccount(accountId, `currency "${currency}" is unknown`);
  }

  return currency;
}

function readTimeZone(body: Record<string, unknown>, accountId: string): string {
  const zone = body.timezone_name;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw invalidAccount(accountId, `timezone_name ${JSON.stringify(zone)} is not an IANA zone`);
  }

  return zone;
}

function readStatus(body: Record<string, unknown>, accountId: string): number {
  const status = Number(body.account_status);
  if (body.account_status === undefined || !Number.isInteger(status)) {
    throw invalidAccount(
      accountId,
      `account_status ${JSON.stringify(body.account_status)} is invalid`,
    );
  }

  return status;
}

function invalidAccount(accountId: string, reason: string): SourceError {
  return new SourceError(
    'meta_payload_invalid',
    `Invalid Meta ad account response for ${accountId}: ${reason}`,
    {
      fix: 'check that meta.baseUrl points at the Graph API and that the fields name, currency, timezone_name and account_status were requested',
    },
  );
}
