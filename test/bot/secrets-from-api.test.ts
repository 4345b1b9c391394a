import { beforeEach, describe, expect, it } from 'vitest';
import { secretsFromApi } from '../../src/bot/secrets-from-api.ts';
import type { AwsTarget } from '../../src/bot/send-aws-request.ts';
import { useFake } from '../helpers/use-fake.ts';
import { startAwsFakes } from './aws-fakes.ts';

const SECRET_ID = 'adreport/secret';
const aws = useFake(startAwsFakes);
let clock: number;

beforeEach(() => {
  aws().secrets.set(SECRET_ID, JSON.stringify({ SLACK_SIGNING_SECRET: 'signing-1234' }));
  aws().secretReads = { api: 0, extension: 0 };
  clock = 0;
});

function target(secretAccessKey = 'test'): AwsTarget {
  return {
    endpoint: new URL(aws().endpoint),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey },
  };
}

function provider(secretId = SECRET_ID, key = 'test') {
  return secretsFromApi(target(key), secretId, {
    maxAgeMs: 1_000,
    now: () => clock,
    request: { sleep: async () => {} },
  });
}

describe('secretsFromApi', () => {
  it('reads the secret', async () => {
    const secrets = await provider().get();

    expect(secrets.SLACK_SIGNING_SECRET).toBe('signing-1234');
  });

  it.each([
    { name: 'caches within the maximum age', elapsedMs: 999, reads: 1 },
    { name: 'reads again after the maximum age', elapsedMs: 1_000, reads: 2 },
  ])('$name', async ({ elapsedMs, reads }) => {
    const secrets = provider();
    await secrets.get();
    clock = elapsedMs;

    await secrets.get();

    expect(aws().secretReads.api).toBe(reads);
  });

  it('refreshes past the cache', async () => {
    const secrets = provider();
    await secrets.get();
    aws().secrets.set(SECRET_ID, JSON.stringify({ SLACK_SIGNING_SECRET: 'signing-5678' }));

    const fresh = await secrets.refresh();

    expect(fresh.SLACK_SIGNING_SECRET).toBe('signing-5678');
  });

  it('names a missing secret', async () => {
    const read = provider('adreport/missing').get();

    await expect(read).rejects.toMatchObject({
      code: 'secret_unreadable',
      message: expect.stringContaining('adreport/missing'),
    });
    await expect(read).rejects.toThrow('ResourceNotFoundException');
  });

  it('is rejected when signed with another key', async () => {
    const read = provider(SECRET_ID, 'wrong').get();

    await expect(read).rejects.toThrow('InvalidSignatureException');
  });
});
