import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/emulators.ts';
import {
  ensureTables,
  METRICS_KEYS,
  metricsTableInput,
  STATE_KEYS,
  stateTableInput,
} from '../../src/storage/table-definitions.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();

describe('metricsTableInput', () => {
  it('keys campaign-weeks by campaign and week', () => {
    const input = metricsTableInput('metrics');

    expect(input.KeySchema).toEqual([
      { AttributeName: METRICS_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: METRICS_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('indexes campaigns by property week', () => {
    const input = metricsTableInput('metrics');

    expect(
      input.GlobalSecondaryIndexes?.map((index) => [
        index.IndexName,
        index.KeySchema?.map((k) => k.AttributeName),
      ]),
    ).toEqual([['by_property_week', ['property_week', 'campaign_id']]]);
  });
});

describe('stateTableInput', () => {
  it('keys items by pk and sk', () => {
    const input = stateTableInput('state');

    expect(input.KeySchema?.map((k) => k.AttributeName)).toEqual([
      STATE_KEYS.partitionKey,
      STATE_KEYS.sortKey,
    ]);
  });
});

describe('ensureTables', () => {
  function names() {
    return { metricsTable: uniqueId('metrics'), stateTable: uniqueId('state') };
  }

  it('creates both tables as ACTIVE', async () => {
    const client = backend().clients.dynamoRaw;
    const tables = names();

    await ensureTables(client, tables);

    const status = await client.send(new DescribeTableCommand({ TableName: tables.metricsTable }));
    expect(status.Table?.TableStatus).toBe('ACTIVE');
  });

  it('succeeds when the tables exist', async () => {
    const client = backend().clients.dynamoRaw;
    const tables = names();
    await ensureTables(client, tables);

    await expect(ensureTables(client, tables)).resolves.toBeUndefined();
  });

  it('survives two concurrent callers', async () => {
    const client = backend().clients.dynamoRaw;
    const tables = names();

    const results = await Promise.allSettled([
      ensureTables(client, tables),
      ensureTables(client, tables),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('waits for a table still CREATING', async () => {
    // A separate dynalite whose new tables stay CREATING for 300 ms, like a real new table.
    const { default: dynalite } = await import('dynalite');
    const server = dynalite({ createTableMs: 300 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: LOCAL_CREDENTIALS,
    });
    const sleeps: number[] = [];
    const tables = names();

    try {
      await ensureTables(client, tables, {
        sleep: (ms) => {
          sleeps.push(ms);
          return new Promise((r) => setTimeout(r, ms));
        },
      });
      const status = await client.send(new DescribeTableCommand({ TableName: tables.stateTable }));

      expect(status.Table?.TableStatus).toBe('ACTIVE');
      expect(sleeps.length).toBeGreaterThan(0);
    } finally {
      client.destroy();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  });

  it('times out on a table that never turns ACTIVE', async () => {
    const { default: dynalite } = await import('dynalite');
    const server = dynalite({ createTableMs: 60_000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: LOCAL_CREDENTIALS,
    });

    try {
      const error = await ensureTables(client, names(), {
        sleep: async () => {},
        timeoutMs: 100,
      }).catch((e: unknown) => e);

      expect((error as { code?: string }).code).toBe('table_not_active');
    } finally {
      client.destroy();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  });
});
