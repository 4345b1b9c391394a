import { describe, expect, it } from 'vitest';
import {
  findBodyProblem,
  findSignatureProblem,
  readSignedRequest,
} from '../../src/bot/check-slack-request.ts';
import { signedEvent, signSlackBody } from '../../src/bot/function-url-event.ts';
import { normaliseEvent } from '../../src/bot/rotating-receiver.ts';

const SECRET = 'check-request-secret-0123';
const NOW = 1_796_400_000;

describe('findSignatureProblem', () => {
  const body = 'command=%2Fadreport&text=help';
  const signature = signSlackBody(SECRET, NOW, body);

  it('accepts a valid signature', () => {
    expect(findSignatureProblem(SECRET, { rawBody: body, signature, ts: NOW }, NOW)).toBeNull();
  });

  it.each([
    {
      case: 'a missing signature',
      request: { rawBody: body, signature: undefined, ts: NOW },
      reason: 'the X-Slack-Signature header is missing',
    },
    {
      case: 'a missing timestamp',
      request: { rawBody: body, signature, ts: Number.NaN },
      reason: 'the X-Slack-Request-Timestamp header is missing or not a number',
    },
    {
      case: 'a stale timestamp',
      request: { rawBody: body, signature: signSlackBody(SECRET, NOW - 301, body), ts: NOW - 301 },
      reason: 'the request timestamp is more than 5 minutes old',
    },
    {
      case: 'another body',
      request: { rawBody: `${body}x`, signature, ts: NOW },
      reason: 'the signature does not match the signing secret',
    },
    {
      case: 'a truncated signature',
      request: { rawBody: body, signature: signature.slice(0, 20), ts: NOW },
      reason: 'the signature does not match the signing secret',
    },
  ])('rejects $case', ({ request, reason }) => {
    expect(findSignatureProblem(SECRET, request, NOW)).toBe(reason);
  });

  it('accepts a timestamp 5 minutes old', () => {
    const request = {
      rawBody: body,
      signature: signSlackBody(SECRET, NOW - 300, body),
      ts: NOW - 300,
    };

    expect(findSignatureProblem(SECRET, request, NOW)).toBeNull();
  });
});

describe('findBodyProblem', () => {
  it.each([
    { contentType: 'application/json', body: '{"type":"event_callback"}' },
    { contentType: 'application/x-www-form-urlencoded', body: 'command=%2Fadreport&text=' },
    { contentType: 'application/x-www-form-urlencoded', body: 'payload=%7B%22type%22%3A1%7D' },
    { contentType: 'application/x-www-form-urlencoded', body: 'ssl_check=1&token=x' },
  ])('accepts $contentType body $body', ({ contentType, body }) => {
    const event = normaliseEvent(signedEvent(SECRET, contentType, body) as never);

    expect(findBodyProblem(event)).toBeNull();
  });

  it.each([
    { contentType: 'application/json', body: '"text"', reason: 'not a JSON object' },
    { contentType: 'application/json', body: '42', reason: 'not a JSON object' },
    { contentType: 'application/json', body: '{"a":', reason: 'not valid JSON' },
    {
      contentType: 'application/x-www-form-urlencoded',
      body: 'payload=%5B%5D',
      reason: 'not a JSON object',
    },
  ])('rejects $contentType body $body', ({ contentType, body, reason }) => {
    const event = normaliseEvent(signedEvent(SECRET, contentType, body) as never);

    expect(findBodyProblem(event)).toContain(reason);
  });
});

describe('readSignedRequest', () => {
  it('reads headers in any case', () => {
    const event = signedEvent(SECRET, 'application/json', '{}', NOW);
    const headers = {
      'X-Slack-Signature': event.headers['x-slack-signature'] ?? '',
      'X-Slack-Request-Timestamp': String(NOW),
    };

    const request = readSignedRequest({ ...event, headers } as never);

    expect(request.signature).toBe(headers['X-Slack-Signature']);
    expect(request.ts).toBe(NOW);
    expect(request.rawBody).toBe('{}');
  });
});
