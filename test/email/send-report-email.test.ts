import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMimeMessage } from '../../src/email/build-mime-message.ts';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { SES_MAX_RAW_BYTES, sendReportEmail } from '../../src/email/send-report-email.ts';
import { DeliveryError } from '../../src/shared/errors.ts';
import { buildReportData } from '../helpers/report-data.ts';
import { type ScriptedReply, startFakeSesQueryApi } from './fake-ses-query-api.ts';

const FROM = 'reports@example.com';
const TO = ['marketing@example.com', 'leadership@example.org'];
const email = renderReportEmail(buildReportData());
const raw = await buildMimeMessage(email, { from: FROM, to: TO });

/** Creates a client with the SDK's own retries off, so every attempt reaches the server once. */
function sesClient(endpoint: string, region = 'us-east-1'): SESClient {
  return new SESClient({
    region,
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'test-key', secretAccessKey: 'test-secret' },
  });
}

function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];

  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

const NOT_VERIFIED: ScriptedReply = {
  kind: 'error',
  status: 400,
  code: 'MessageRejected',
  message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${FROM}`,
};
const THROTTLED: ScriptedReply = {
  kind: 'error',
  status: 400,
  code: 'Throttling',
  message: 'Maximum sending rate exceeded.',
};
type StartEmulator = (config: { host: string; port: number }) => Promise<Server>;

const SENT: ScriptedReply = { kind: 'success', messageId: '0100018c-test-message' };

describe('sendReportEmail with the SES emulator', () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // The CommonJS default export arrives as the function under vitest and as the module object
    // under plain Node ESM. Either way it leads to the emulator's start function.
    const imported: unknown = (await import('aws-ses-v2-local')).default;
    const start = (
      typeof imported === 'function' ? imported : (imported as { default: StartEmulator }).default
    ) as StartEmulator;
    server = await start({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers the message with its charts', async () => {
    const result = await sendReportEmail(sesClient(endpoint), { raw, from: FROM, to: TO });

    const store = (await (await fetch(`${endpoint}/store`)).json()) as {
      emails: Array<{
        messageId: string;
        subject: string;
        destination: { to: string[] };
        attachments: Array<{ contentType: string }>;
      }>;
    };
    const stored = store.emails.find((item) => item.messageId === result.messageId);
    expect(stored?.subject).toBe(email.subject);
    // The emulator lists the parsed To header, one entry for the whole address list.
    expect(stored?.destination.to.join(', ')).toBe(TO.join(', '));
    expect(stored?.attachments.map((item) => item.contentType)).toEqual(
      email.images.map(() => 'image/png'),
    );
  });
});

describe('sendReportEmail with SES faults', () => {
  async function send(
    replies: ScriptedReply[],
    options: { maxAttempts?: number; region?: string; raw?: Buffer } = {},
  ) {
    const fake = await startFakeSesQueryApi(replies);
    const { sleep, delays } = recordingSleep();
    try {
      const result = await sendReportEmail(
        sesClient(fake.url, options.region),
        { raw: options.raw ?? raw, from: FROM, to: TO },
        { sleep, maxAttempts: options.maxAttempts },
      ).catch((error: unknown) => error);

      return { result, delays, requests: fake.requests };
    } finally {
      await fake.close();
    }
  }

  it('sends the raw bytes, sender and recipients', async () => {
    const { requests } = await send([SENT]);

    expect(requests[0]?.Action).toBe('SendRawEmail');
    expect(Buffer.from(requests[0]?.['RawMessage.Data'] ?? '', 'base64').equals(raw)).toBe(true);
    expect(requests[0]?.Source).toBe(FROM);
    expect([
      requests[0]?.['Destinations.member.1'],
      requests[0]?.['Destinations.member.2'],
    ]).toEqual(TO);
  });

  it('returns the SES message id', async () => {
    const { result } = await send([SENT]);

    expect(result).toEqual({ messageId: '0100018c-test-message' });
  });

  it('explains an unverified identity', async () => {
    const { result } = await send([NOT_VERIFIED]);

    expect(result).toBeInstanceOf(DeliveryError);
    expect(result).toMatchObject({ code: 'ses_identity_not_verified' });
    expect((result as DeliveryError).message).toContain(`${FROM} not verified in region us-east-1`);
    expect((result as DeliveryError).fix).toMatch(
      /verify reports@example\.com in SES in region us-east-1.*request production access/,
    );
  });

  it('does not retry a rejected message', async () => {
    const { requests, delays } = await send([NOT_VERIFIED, SENT]);

    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('names the client region when SES names none', async () => {
    const reply: ScriptedReply = {
      ...NOT_VERIFIED,
      message: 'Email address is not verified.',
    } as ScriptedReply;

    const { result } = await send([reply], { region: 'eu-west-1' });

    expect((result as DeliveryError).message).toContain('not verified in region eu-west-1');
  });

  it.each(['Throttling', 'TooManyRequests'])('retries %s with backoff', async (code) => {
    const throttled: ScriptedReply = { ...THROTTLED, code } as ScriptedReply;

    const { result, delays, requests } = await send([throttled, throttled, SENT]);

    expect(result).toEqual({ messageId: '0100018c-test-message' });
    expect(delays).toEqual([1000, 2000]);
    expect(requests).toHaveLength(3);
  });

  it('gives up after the last attempt', async () => {
    const { result, delays, requests } = await send([THROTTLED], { maxAttempts: 3 });

    expect(result).toMatchObject({ code: 'ses_throttled' });
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);
  });

  it('caps the backoff at 20 seconds', async () => {
    const { delays } = await send([THROTTLED], { maxAttempts: 8 });

    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 20000, 20000]);
  });

  it('does not retry an exhausted daily quota', async () => {
    const quota: ScriptedReply = {
      ...THROTTLED,
      message: 'Daily message quota exceeded.',
    } as ScriptedReply;

    const { result, requests } = await send([quota, SENT]);

    expect(result).toMatchObject({ code: 'ses_daily_quota_exceeded' });
    expect(requests).toHaveLength(1);
  });

  it('wraps other SES errors with their message', async () => {
    const invalid: ScriptedReply = {
      kind: 'error',
      status: 400,
      code: 'InvalidParameterValue',
      message: 'Missing final @domain',
    };

    const { result } = await send([invalid]);

    expect(result).toMatchObject({ code: 'ses_send_failed' });
    expect((result as DeliveryError).message).toBe(
      'SES SendRawEmail failed: InvalidParameterValue: Missing final @domain',
    );
  });

  it('rejects a message over 10 MB before sending', async () => {
    const { result, requests } = await send([SENT], { raw: Buffer.alloc(SES_MAX_RAW_BYTES + 1) });

    expect(result).toMatchObject({ code: 'email_too_large' });
    expect(requests).toHaveLength(0);
  });
});
