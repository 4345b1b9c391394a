import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/emulators.ts';
import {
  type AwsClients,
  createAwsClients,
  destroyAwsClients,
} from '../../src/storage/aws-clients.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();

describe('createAwsClients', () => {
  const created: AwsClients[] = [];

  function create(options: Parameters<typeof createAwsClients>[0] = {}): AwsClients {
    const clients = createAwsClients(options);
    created.push(clients);

    return clients;
  }

  afterEach(() => {
    vi.unstubAllEnvs();
    for (const clients of created.splice(0)) destroyAwsClients(clients);
  });

  it('sends DynamoDB calls to the endpoint', async () => {
    const clients = create({
      endpoints: { dynamodb: backend().endpoints.dynamodb },
      credentials: LOCAL_CREDENTIALS,
    });

    const output = await clients.dynamoRaw.send(new ListTablesCommand({}));

    expect(output.TableNames).toContain(backend().metricsTable);
  });

  it('drops undefined attributes on write', async () => {
    const clients = create({
      endpoints: { dynamodb: backend().endpoints.dynamodb },
      credentials: LOCAL_CREDENTIALS,
    });
    const key = { pk: uniqueId('pk'), sk: 'x' };
    await clients.dynamo.send(
      new PutCommand({
        TableName: backend().stateTable,
        Item: { ...key, missing: undefined, kept: 1 },
      }),
    );

    const output = await clients.dynamo.send(
      new GetCommand({ TableName: backend().stateTable, Key: key }),
    );

    expect(output.Item).toEqual({ ...key, kept: 1 });
  });

  it('uses path-style S3 with an endpoint', () => {
    const clients = create({ endpoints: { s3: backend().endpoints.s3 } });

    expect(clients.s3.config.forcePathStyle).toBe(true);
  });

  it('computes checksums only when required', async () => {
    const clients = create({ endpoints: { s3: backend().endpoints.s3 } });

    expect(await clients.s3.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
  });

  it('applies S3 emulator settings from AWS_ENDPOINT_URL_S3', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', backend().endpoints.s3);

    const clients = create();

    expect(clients.s3.config.forcePathStyle).toBe(true);
  });

  it('keeps virtual-host S3 without an endpoint', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
    vi.stubEnv('AWS_ENDPOINT_URL', '');

    const clients = create({ region: 'eu-west-1' });

    expect(clients.s3.config.forcePathStyle).toBe(false);
  });

  it('uses the given region', async () => {
    const clients = create({ region: 'eu-central-1' });

    expect(await clients.ses.config.region()).toBe('eu-central-1');
  });
});
