import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../../src/shared/errors.ts';
import { parseAccountInfo } from '../../../src/sources/meta/parse-account.ts';

const PAGE = {
  id: 'act_1',
  name: 'Example Co',
  currency: 'JPY',
  timezone_name: 'Asia/Tokyo',
  account_status: 1,
};

describe('parseAccountInfo', () => {
  it('returns the account settings', () => {
    expect(parseAccountInfo(PAGE, 'act_1')).toEqual({
      accountId: 'act_1',
      name: 'Example Co',
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      status: 1,
    });
  });

  it.each([
    { case: 'another account id', page: { ...PAGE, id: 'act_2' }, field: 'act_2' },
    { case: 'a missing name', page: { ...PAGE, name: undefined }, field: 'name' },
    { case: 'a lowercase currency', page: { ...PAGE, currency: 'usd' }, field: 'currency' },
    { case: 'an unknown currency', page: { ...PAGE, currency: 'ZZZ' }, field: 'currency' },
    {
      case: 'an unknown zone',
      page: { ...PAGE, timezone_name: 'Mars/Olympus' },
      field: 'timezone_name',
    },
    {
      case: 'a missing status',
      page: { ...PAGE, account_status: undefined },
      field: 'account_status',
    },
    { case: 'a string body', page: 'ok', field: 'not a JSON object' },
  ])('throws meta_payload_invalid for $case', ({ page, field }) => {
    const error = (() => {
      try {
        parseAccountInfo(page, 'act_1');
      } catch (caught) {
        return caught as SourceError;
      }
      throw new Error('expected an error');
    })();

    expect(error.code).toBe('meta_payload_invalid');
    expect(error.message).toContain('act_1');
    expect(error.message).toContain(field);
  });
});
