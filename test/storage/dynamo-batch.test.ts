import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/emulators.ts';
import { createAwsClients, destroyAwsClients } from '../../src/storage/aws-clients.ts';
import {
  backoffMs,
  batchGetAll,
  batchWriteAll,
  keyText,
  queryAll,
} from '../../src/storage/dynamo-batch.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { DynamoFaultProxy } from './dynamo-fault-proxy.ts';

const backend = useLocalBackend();

describe('backoffMs', () => {
  it.each([
    [1, 50],
    [2, 100],
    [7, 3_200],
    [20, 3_200],
  ])('waits after attempt %i for %i ms', (attempt, ms) => {
    expect(backoffMs(attempt)).toBe(ms);
  });
});

describe('keyText', () => {
  it('ignores attribute order', () => {
    expect(keyText({ sk: 'b', pk: 'a' })).toBe(keyText({ pk: 'a', sk: 'b' }));
  });
});

describe('with a counting proxy', () => {
  let proxy: DynamoFaultProxy;
  let clients: ReturnType<typeof createAwsClients>;
  const retry = { sleep: async () => {}, maxAttempts: 4 };
  const keyOf = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk });

  beforeAll(async () => {
    proxy = new DynamoFaultProxy(backend().endpoints.dynamodb, ['pk', 'sk']);
    clients = createAwsClients({
      endpoints: { dynamodb: await proxy.start() },
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    destroyAwsClients(clients);
    await proxy.stop();
  });

  async function seedPartition(count: number): Promise<string> {
    const pk = uniqueId('part');
    for (let i = 0; i < count; i += 1) {
      await clients.dynamo.send(
        new PutCommand({ TableName: backend().stateTable, Item: { pk, sk: `s${i}` } }),
      );
    }

    return pk;
  }

  function query(pk: string) {
    return {
      TableName: backend().stateTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    };
  }

  it('follows LastEvaluatedKey across pages', async () => {
    const pk = await seedPartition(5);
    proxy.calls.clear();

    const items = await queryAll(clients.dynamo, { ...query(pk), Limit: 2 });

    expect(items.map((item) => item.sk)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(proxy.count('Query')).toBe(3);
  });

  it('stops at the maximum', async () => {
    const pk = await seedPartition(5);
    proxy.calls.clear();

    const items = await queryAll(clients.dynamo, query(pk), 3);

    expect(items).toHaveLength(3);
    expect(proxy.count('Query')).toBe(1);
  });

  it('sends no duplicate keys in a batch', async () => {
    const pk = uniqueId('dup');
    const items = [
      { pk, sk: 'a', v: 1 },
      { pk, sk: 'a', v: 2 },
      { pk, sk: 'b', v: 3 },
    ];
    proxy.writeFaults.length = 0;

    await batchWriteAll(clients.dynamo, backend().stateTable, items, keyOf, retry);
    const read = await batchGetAll(
      clients.dynamo,
      backend().stateTable,
      [
        { pk, sk: 'a' },
        { pk, sk: 'b' },
      ],
      keyOf,
      retry,
    );

    expect(read.map((item) => item.v)).toEqual([2, 3]);
  });

  it('gets the ValidationException when sending duplicates', async () => {
    // Shows that the proxy, like DynamoDB, rejects what batchWriteAll avoids.
    const pk = uniqueId('dup');
    const put = { PutRequest: { Item: { pk, sk: 'a' } } };

    const error = await clients.dynamo
      .send(
        new BatchWriteCommand({
          RequestItems: { [backend().stateTable]: [put, put] },
        }),
      )
      .catch((e: unknown) => e);

    expect((error as Error).name).toBe('ValidationException');
  });
});
