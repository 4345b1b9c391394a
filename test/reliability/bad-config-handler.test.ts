/**
 * A deployed worker with an invalid config file rejects the weekly event with an error that names
 * the field and the fix, before it calls any API or writes anything.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from '../../bench/lib/fake-secrets-manager.ts';
import { handler } from '../../src/pipeline/handler.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { setEnvironment, workerEnvironment } from './worker-env.ts';

const SECRET_ID = 'adreport/bad-config';
const backend = useLocalBackend();
let secretsManager: FakeSecretsManager;
let restoreEnvironment: () => void;

const INVALID_CONFIG = {
  reports: [
    {
      id: 'weekly',
      name: 'Weekly ads',
      timeZone: 'America/New_York',
      recipients: ['team@example.com'],
      properties: [{ id: 'home', name: 'Home', metaAdAccountId: '1001' }],
    },
  ],
  email: { sender: 'reports@example.com' },
};

beforeAll(async () => {
  secretsManager = await startFakeSecretsManager({ [SECRET_ID]: { META_ACCESS_TOKEN: 'x' } });
  restoreEnvironment = setEnvironment(
    await workerEnvironment({
      backend: backend(),
      config: INVALID_CONFIG,
      secretId: SECRET_ID,
      secretsManagerUrl: secretsManager.url,
    }),
  );
});

afterAll(async () => {
  restoreEnvironment();
  await secretsManager.close();
});

async function itemCount(table: string): Promise<number> {
  const output = await backend().clients.dynamo.send(new ScanCommand({ TableName: table }));

  return output.Count ?? 0;
}

describe('handler with an invalid config file', () => {
  it('names the field and the fix', async () => {
    const error = (await handler({ kind: 'schedule', reportId: 'weekly' }).catch(
      (caught: unknown) => caught,
    )) as ConfigError;

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(
      'reports[0].properties[0].metaAdAccountId: must look like act_',
    );
    expect(error.fix).toMatch(/correct the named fields/);
  });

  it('writes nothing anywhere', async () => {
    await handler({ kind: 'schedule', reportId: 'weekly' }).catch(() => undefined);

    const objects = await backend().clients.s3.send(
      new ListObjectsV2Command({ Bucket: backend().bucket }),
    );
    expect(await itemCount(backend().metricsTable)).toBe(0);
    expect(await itemCount(backend().stateTable)).toBe(0);
    expect(objects.KeyCount ?? 0).toBe(0);
    expect(await backend().readSentEmails()).toEqual([]);
    expect(secretsManager.calls()).toBe(0);
  });
});
