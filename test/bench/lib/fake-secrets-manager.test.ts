import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from '../../../bench/lib/fake-secrets-manager.ts';
import { secretsFromSecretsManager } from '../../../src/config/secrets.ts';

describe('startFakeSecretsManager', () => {
  let fake: FakeSecretsManager;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    fake = await startFakeSecretsManager({
      'adreport/bench': {
        META_ACCESS_TOKEN: 'bench-meta-token-0001',
        SLACK_BOT_TOKEN: 'xoxb-bench',
      },
    });
    client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('returns the secret as a JSON SecretString', async () => {
    const output = await client.send(new GetSecretValueCommand({ SecretId: 'adreport/bench' }));

    expect(JSON.parse(output.SecretString ?? '')).toEqual({
      META_ACCESS_TOKEN: 'bench-meta-token-0001',
      SLACK_BOT_TOKEN: 'xoxb-bench',
    });
  });

  it('serves the secrets provider the worker uses', async () => {
    const provider = secretsFromSecretsManager(client, 'adreport/bench');

    const secrets = await provider.get();

    expect(secrets.META_ACCESS_TOKEN).toBe('bench-meta-token-0001');
  });

  it('throws ResourceNotFoundException for an unknown secret', async () => {
    const read = client.send(new GetSecretValueCommand({ SecretId: 'adreport/other' }));

    await expect(read).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('counts every GetSecretValue call', async () => {
    const before = fake.calls();

    await client.send(new GetSecretValueCommand({ SecretId: 'adreport/bench' }));

    expect(fake.calls()).toBe(before + 1);
  });
});
