import { describe, expect, it } from 'vitest';
import {
  classifyGraphError,
  type GraphError,
  parseGraphError,
  permanentGraphError,
} from '../../../src/sources/meta/graph-errors.ts';

function graphError(code: number, extra: Partial<GraphError> = {}): GraphError {
  return {
    message: `(#${code}) message`,
    code,
    subcode: null,
    isTransient: null,
    fbtraceId: null,
    ...extra,
  };
}

describe('parseGraphError', () => {
  it('reads every field of a Graph error body', () => {
    const body = {
      error: {
        message: '(#17) User request limit reached',
        type: 'OAuthException',
        code: 17,
        error_subcode: 2446079,
        is_transient: true,
        fbtrace_id: 'ATrace1',
      },
    };

    expect(parseGraphError(body)).toEqual({
      message: '(#17) User request limit reached',
      code: 17,
      subcode: 2446079,
      isTransient: true,
      fbtraceId: 'ATrace1',
    });
  });

  it.each([
    { name: 'a data page', body: { data: [] } },
    { name: 'a string error', body: { error: 'boom' } },
    { name: 'null', body: null },
    { name: 'an array', body: [] },
  ])('returns null for $name', ({ body }) => {
    expect(parseGraphError(body)).toBeNull();
  });
});

describe('classifyGraphError', () => {
  it.each([4, 17, 32, 613, 80000, 80004, 80014])('treats code %i as a rate limit', (code) => {
    expect(classifyGraphError(graphError(code), 400)).toBe('rate_limit');
  });

  it.each([1, 2])('treats code %i as transient', (code) => {
    expect(classifyGraphError(graphError(code), 500)).toBe('transient');
  });

  it('treats the insights sync timeout as transient', () => {
    expect(classifyGraphError(graphError(100, { subcode: 1504018 }), 400)).toBe('transient');
  });

  it('treats is_transient on another code as transient', () => {
    expect(classifyGraphError(graphError(9007, { isTransient: true }), 400)).toBe('transient');
  });

  it('treats an unknown code with HTTP 500 as transient', () => {
    expect(classifyGraphError(graphError(9007), 500)).toBe('transient');
  });

  it.each([
    { code: 190, subcode: null },
    { code: 10, subcode: null },
    { code: 200, subcode: null },
    { code: 299, subcode: null },
    { code: 270, subcode: null },
    { code: 100, subcode: 33 },
    { code: 100, subcode: null },
    { code: 80015, subcode: null },
  ])('treats code $code/$subcode as permanent', ({ code, subcode }) => {
    expect(classifyGraphError(graphError(code, { subcode }), 400)).toBe('permanent');
  });

  it('keeps a token error permanent even when marked transient', () => {
    expect(classifyGraphError(graphError(190, { isTransient: true }), 500)).toBe('permanent');
  });
});

describe('permanentGraphError', () => {
  it.each([
    { code: 190, subcode: null, expected: 'meta_token_invalid' },
    { code: 10, subcode: null, expected: 'meta_permission_denied' },
    { code: 200, subcode: null, expected: 'meta_permission_denied' },
    { code: 270, subcode: null, expected: 'meta_access_tier' },
    { code: 100, subcode: 33, expected: 'meta_account_not_found' },
    { code: 100, subcode: null, expected: 'meta_request_failed' },
  ])('maps code $code/$subcode to $expected', ({ code, subcode, expected }) => {
    const error = permanentGraphError(graphError(code, { subcode }), 'act_1');

    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(false);
    expect(error.fix).not.toBeNull();
  });

  it('names the account and the fbtrace_id', () => {
    const error = permanentGraphError(graphError(200, { fbtraceId: 'ATrace9' }), 'act_42');

    expect(error.message).toContain('act_42');
    expect(error.message).toContain('fbtrace_id ATrace9');
    expect(error.fix).toContain('act_42');
  });
});
