import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../../src/doctor/check-result.ts';
import { checkSes } from '../../src/doctor/check-ses.ts';
import { createDoctorSesClient } from '../../src/doctor/create-ses-client.ts';
import { sesClientFor, testContext } from './doctor-test-context.ts';
import {
  type LoopbackServer,
  startHtmlServer,
  startLoopbackServer,
  startSilentServer,
} from './fakes/loopback-server.ts';
import { type SesFakeOptions, startSesFake } from './fakes/ses-fake.ts';

const AWS_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_REGION: 'eu-west-1',
};

let ses: LoopbackServer | null = null;

afterEach(async () => {
  vi.unstubAllEnvs();
  await ses?.close();
  ses = null;
});

async function checkWith(options: Partial<SesFakeOptions>) {
  ses = await startSesFake({ max24HourSend: 50_000, identities: {}, ...options });
  const section = await checkSes(testContext({ ses: sesClientFor(ses.origin) }));

  return section;
}

function find(results: CheckResult[], prefix: string): CheckResult | undefined {
  return results.find((result) => result.subject.startsWith(prefix));
}

describe('checkSes', () => {
  it('passes a verified sender with production access', async () => {
    const section = await checkWith({ identities: { 'reports@acme.example': 'Success' } });

    expect(section.title).toBe('Amazon SES (eu-west-1)');
    expect(section.results.map((result) => result.status)).toEqual(['pass', 'pass']);
  });

  it('accepts a verified sender domain', async () => {
    const section = await checkWith({ identities: { 'acme.example': 'Success' } });

    expect(find(section.results, 'Sender')?.status).toBe('pass');
  });

  it('fails a pending sender with the link fix', async () => {
    const section = await checkWith({ identities: { 'reports@acme.example': 'Pending' } });

    expect(find(section.results, 'Sender')?.status).toBe('fail');
    expect(find(section.results, 'Sender')?.fix).toContain('verification link');
  });

  it('fails a pending domain with the DKIM fix', async () => {
    const section = await checkWith({ identities: { 'acme.example': 'Pending' } });

    expect(find(section.results, 'Sender')?.fix).toContain('DKIM');
  });

  it('fails an unknown sender', async () => {
    const section = await checkWith({});

    expect(find(section.results, 'Sender')?.detail).toContain('neither the address nor its domain');
  });

  it.each([
    { case: 'at the sandbox quota', quota: 200, sandbox: true },
    { case: 'above the sandbox quota', quota: 201, sandbox: false },
  ])('detects the sandbox $case', async ({ quota, sandbox }) => {
    const section = await checkWith({
      max24HourSend: quota,
      identities: { 'acme.example': 'Success', 'globex.example': 'Success' },
    });

    expect(find(section.results, 'Sandbox') !== undefined).toBe(sandbox);
  });

  it('fails unverified recipients in the sandbox', async () => {
    const section = await checkWith({
      max24HourSend: 200,
      identities: { 'acme.example': 'Success', 'team@globex.example': 'Pending' },
    });

    const recipient = find(section.results, 'Recipient team@globex.example');
    expect(recipient?.status).toBe('fail');
    expect(recipient?.fix).toContain('leave the sandbox');
    expect(find(section.results, 'Recipient marketing@acme.example')).toBeUndefined();
  });

  it('passes verified recipients in the sandbox', async () => {
    const section = await checkWith({
      max24HourSend: 200,
      identities: { 'acme.example': 'Success', 'team@globex.example': 'Success' },
    });

    expect(find(section.results, 'Recipients')?.detail).toBe('all 3 verified');
  });

  it('fails an access-denied answer with the credentials fix', async () => {
    const section = await checkWith({
      failWith: { status: 403, code: 'AccessDenied', message: 'User is not authorized' },
    });

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.detail).toContain('not authorized');
    expect(section.results[0]?.fix).toContain('AWS credentials');
  });

  it('times out on a silent server', async () => {
    ses = await startSilentServer();
    for (const [name, value] of Object.entries(AWS_TEST_ENV)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_ENDPOINT_URL_SES', ses.origin);
    const client = createDoctorSesClient({ region: 'eu-west-1', timeoutMs: 300 });

    const section = await checkSes(
      testContext({ ses: client, env: { AWS_ENDPOINT_URL_SES: ses.origin }, timeoutMs: 300 }),
    );

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.detail).toContain(`request to ${ses.origin}`);
    expect(section.results[0]?.detail).toContain('timed out after 0.3 s');
  });

  it('fails without an AWS region', async () => {
    const section = await checkSes(testContext({ ses: null }));

    expect(section.results[0]?.status).toBe('fail');
    expect(section.results[0]?.subject).toBe('AWS region');
    expect(section.results[0]?.fix).toContain('export AWS_REGION=');
  });

  it('names a refused connection and the endpoint', async () => {
    const section = await checkSes(testContext());

    expect(section.results[0]?.detail).toContain('request to http://127.0.0.1:9/ failed');
    expect(section.results[0]?.detail).toContain('connection refused');
    expect(section.results[0]?.fix).toContain('AWS_ENDPOINT_URL_SES');
  });

  it('names the code of a JSON error body', async () => {
    ses = await startLoopbackServer(() => ({
      status: 401,
      body: { __type: 'UnrecognizedClientException', message: 'The security token is invalid.' },
    }));

    const section = await checkSes(testContext({ ses: sesClientFor(ses.origin) }));

    expect(section.results[0]?.detail).toBe(
      `HTTP 401 from ${ses.origin}/: UnrecognizedClientException: The security token is invalid.`,
    );
    expect(section.results[0]?.fix).toContain('AWS credentials');
  });

  it('hides SDK internals for an unreadable body', async () => {
    ses = await startLoopbackServer(() => ({ status: 401, body: { unexpected: true } }));

    const section = await checkSes(testContext({ ses: sesClientFor(ses.origin) }));

    expect(section.results[0]?.detail).toBe(
      `HTTP 401 from ${ses.origin}/: not an SES response: {"unexpected":true}`,
    );
    expect(section.results[0]?.detail).not.toContain('$response');
  });

  it.each([200, 500])('fails an HTML page with status %i', async (status) => {
    ses = await startHtmlServer(status);

    const section = await checkSes(testContext({ ses: sesClientFor(ses.origin) }));

    expect(section.results.map((result) => result.status)).toEqual(['fail']);
    expect(section.results[0]?.detail).toContain(`HTTP ${status} from ${ses.origin}`);
    expect(section.results[0]?.fix).toContain('AWS_ENDPOINT_URL_SES');
  });
});
