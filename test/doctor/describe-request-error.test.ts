import { describe, expect, it } from 'vitest';
import {
  bodyExcerpt,
  describeRequestError,
  describeRequestFailure,
} from '../../src/doctor/describe-request-error.ts';

const URL = 'http://127.0.0.1:8080/v1/x';

function withCause(message: string, cause: object): Error {
  return new Error(message, { cause });
}

describe('describeRequestError', () => {
  it.each([
    {
      case: 'refused connection cause',
      error: withCause('fetch failed', { code: 'ECONNREFUSED' }),
      expected: `request to ${URL} failed: connection refused`,
    },
    {
      case: 'abort timeout',
      error: Object.assign(new Error('The operation was aborted'), { name: 'TimeoutError' }),
      expected: `request to ${URL} timed out after 2.5 s`,
    },
    {
      case: 'socket timeout code',
      error: Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' }),
      expected: `request to ${URL} timed out after 2.5 s`,
    },
    {
      case: 'unknown host',
      error: withCause('fetch failed', { code: 'ENOTFOUND' }),
      expected: `request to ${URL} failed: host not found`,
    },
    {
      case: 'other error',
      error: withCause('fetch failed', new Error('certificate has expired')),
      expected: `request to ${URL} failed: certificate has expired`,
    },
  ])('describes a $case', ({ error, expected }) => {
    expect(describeRequestError(error, URL, 2500)).toBe(expected);
  });
});

describe('describeRequestFailure', () => {
  const target = { url: URL, timeoutMs: 2500 };

  it.each([
    {
      case: 'bad response',
      failure: { kind: 'bad_response', status: 502, body: '<html>\n Bad gateway' } as const,
      expected: `HTTP 502 from ${URL}: <html> Bad gateway`,
    },
    {
      case: 'request with no response',
      failure: { kind: 'no_response', error: withCause('fetch failed', { code: 'ECONNRESET' }) },
      expected: `request to ${URL} failed: connection reset by the server`,
    },
    {
      case: 'failure of another kind',
      failure: { kind: 'other', error: new TypeError('Invalid URL') } as const,
      expected: `request to ${URL} failed: Invalid URL`,
    },
  ] as const)('describes a $case', ({ failure, expected }) => {
    expect(describeRequestFailure(target, failure)).toBe(expected);
  });
});

describe('bodyExcerpt', () => {
  it('joins lines and cuts long bodies', () => {
    const excerpt = bodyExcerpt(`<html>\n  ${'x'.repeat(200)}`);

    expect(excerpt.startsWith('<html> xxx')).toBe(true);
    expect(excerpt).toHaveLength(121);
  });

  it('names an empty body', () => {
    expect(bodyExcerpt('  ')).toBe('(empty body)');
  });
});
