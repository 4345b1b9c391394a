import { beforeEach, describe, expect, it } from 'vitest';
import { invokeLambdaEvent, lambdaTargetFromEnv } from '../../src/bot/invoke-lambda-event.ts';
import { AwsRequestError, type AwsTarget } from '../../src/bot/send-aws-request.ts';
import { useFake } from '../helpers/use-fake.ts';
import { startAwsFakes } from './aws-fakes.ts';

const PAYLOAD = Buffer.from(JSON.stringify({ kind: 'bot-job', job: { kind: 'help' } }));
const aws = useFake(startAwsFakes);
let sleeps: number[];

beforeEach(() => {
  aws().invokeStatus = 202;
  aws().invokeFailures = [];
  sleeps = [];
});

function target(secretAccessKey = 'test'): AwsTarget {
  return {
    endpoint: new URL(aws().endpoint),
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey, sessionToken: 'session-token' },
  };
}

const options = () => ({ sleep: async (ms: number) => void sleeps.push(ms) });

describe('invokeLambdaEvent', () => {
  it('returns 202 and the request id', async () => {
    const result = await invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    expect(result).toEqual({ status: 202, requestId: 'req-1' });
  });

  it('sends a request that passes signature checks', async () => {
    const before = aws().badSignatures;

    await invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    expect(aws().badSignatures).toBe(before);
  });

  it('is rejected when signed with another key', async () => {
    const invoke = invokeLambdaEvent(target('wrong'), 'adreport-worker', PAYLOAD, options());

    await expect(invoke).rejects.toMatchObject({
      status: 403,
      errorType: 'InvalidSignatureException',
    });
  });

  it('encodes a function ARN in the path', async () => {
    const arn = 'arn:aws:lambda:eu-central-1:123456789012:function:adreport-worker';

    await invokeLambdaEvent(target(), arn, PAYLOAD, options());

    expect(aws().invocations.at(-1)?.functionName).toBe(arn);
  });

  it('retries throttling with growing backoff', async () => {
    aws().invokeFailures = [429, 503];

    const result = await invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    expect(result.status).toBe(202);
    expect(sleeps).toEqual([100, 200]);
  });

  it('throws the last error after three attempts', async () => {
    aws().invokeFailures = [429, 429, 429];

    const invoke = invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    await expect(invoke).rejects.toBeInstanceOf(AwsRequestError);
    expect(sleeps).toHaveLength(2);
  });

  it('reads error type and message', async () => {
    aws().invokeStatus = 429;

    const invoke = invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    await expect(invoke).rejects.toMatchObject({
      status: 429,
      errorType: 'TooManyRequestsException',
      detail: 'Rate exceeded',
      requestId: 'req-1',
    });
  });

  it('does not retry a missing function', async () => {
    aws().invokeStatus = 404;

    const invoke = invokeLambdaEvent(target(), 'adreport-worker', PAYLOAD, options());

    await expect(invoke).rejects.toMatchObject({ status: 404 });
    expect(sleeps).toEqual([]);
  });

  it('retries a refused connection', async () => {
    const closed = await startAwsFakes();
    const endpoint = new URL(closed.endpoint);
    await closed.close();

    const invoke = invokeLambdaEvent(
      { ...target(), endpoint },
      'adreport-worker',
      PAYLOAD,
      options(),
    );

    await expect(invoke).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(sleeps).toEqual([100, 200]);
  });
});

describe('lambdaTargetFromEnv', () => {
  const LAMBDA_ENV = {
    AWS_ACCESS_KEY_ID: 'AKID',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'token',
    AWS_REGION: 'eu-central-1',
  };

  it('builds the regional endpoint', () => {
    const result = lambdaTargetFromEnv(LAMBDA_ENV);

    expect(result?.endpoint.href).toBe('https://lambda.eu-central-1.amazonaws.com/');
    expect(result?.credentials).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('uses the China partition domain', () => {
    const result = lambdaTargetFromEnv({ ...LAMBDA_ENV, AWS_REGION: 'cn-north-1' });

    expect(result?.endpoint.href).toBe('https://lambda.cn-north-1.amazonaws.com.cn/');
  });

  it.each([
    [
      'AWS_ENDPOINT_URL_LAMBDA',
      { AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:4000' },
      'http://127.0.0.1:4000/',
    ],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4001' }, 'http://127.0.0.1:4001/'],
    [
      'the service variable first',
      {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4001',
        AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:4000',
      },
      'http://127.0.0.1:4000/',
    ],
    [
      'no override when ignored',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4001', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://lambda.eu-central-1.amazonaws.com/',
    ],
  ])('reads the endpoint from %s', (_name, extra, expected) => {
    const result = lambdaTargetFromEnv({ ...LAMBDA_ENV, ...extra });

    expect(result?.endpoint.href).toBe(expected);
  });

  it.each([
    ['no access key', { AWS_ACCESS_KEY_ID: undefined }],
    ['no secret key', { AWS_SECRET_ACCESS_KEY: undefined }],
    ['no region', { AWS_REGION: undefined }],
    ['FIPS endpoints', { AWS_USE_FIPS_ENDPOINT: 'true' }],
    ['dual-stack endpoints', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
    ['an ISO partition region', { AWS_REGION: 'us-iso-east-1' }],
  ])('returns null for %s', (_name, extra) => {
    expect(lambdaTargetFromEnv({ ...LAMBDA_ENV, ...extra })).toBeNull();
  });
});
