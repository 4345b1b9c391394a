import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from '../shared/errors.ts';

/** Key attribute names of the metrics table. The CDK stack builds the same table from these. */
export const METRICS_KEYS = {
  partitionKey: 'campaign_id',
  sortKey: 'week_start_date',
  propertyWeekIndex: 'by_property_week',
} as const;

/** Partition key of the `by_property_week` index: `<propertyId>#<weekStart>`. */
export const PROPERTY_WEEK_ATTRIBUTE = 'property_week';

/** Key attribute names of the state table (runs, delivery claims, event claims, conversations). */
export const STATE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expires_at',
} as const;

/** CreateTable input of the metrics table, with the property-week index. */
export function metricsTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: METRICS_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: METRICS_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: PROPERTY_WEEK_ATTRIBUTE, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: METRICS_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: METRICS_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: METRICS_KEYS.propertyWeekIndex,
        KeySchema: [
          { AttributeName: PROPERTY_WEEK_ATTRIBUTE, KeyType: 'HASH' },
          { AttributeName: METRICS_KEYS.partitionKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** CreateTable input of the state table. TTL on `expires_at` is set by the CDK stack. */
export function stateTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: STATE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: STATE_KEYS.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: STATE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: STATE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
  };
}

/**
 * Creates both tables unless they exist and waits until they are ACTIVE. Safe to call on every
 * start and from two processes at once.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: { metricsTable: string; stateTable: string },
  options: { sleep?: (ms: number) => Promise<void>; timeoutMs?: number } = {},
): Promise<void> {
  await Promise.all([
    ensureTable(client, metricsTableInput(names.metricsTable), options),
    ensureTable(client, stateTableInput(names.stateTable), options),
  ]);
}

async function ensureTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
  options: { sleep?: (ms: number) => Promise<void>; timeoutMs?: number },
): Promise<void> {
  const name = input.TableName as string;
  try {
    // Creating first saves a round trip on a fresh start, the common local case.
    const output = await client.send(new CreateTableCommand(input));
    if (output.TableDescription?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    // The table exists already, or another process created it a moment ago.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilActive(client, name, options);
}

async function tableStatus(client: DynamoDBClient, name: string): Promise<string | null> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: name }));

    return output.Table?.TableStatus ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

async function waitUntilActive(
  client: DynamoDBClient,
  name: string,
  options: { sleep?: (ms: number) => Promise<void>; timeoutMs?: number },
): Promise<void> {
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 120_000;
  let waitedMs = 0;
  let delayMs = 20;
  for (;;) {
    const status = await tableStatus(client, name);
    if (status === 'ACTIVE') return;
    if (waitedMs >= timeoutMs) {
      throw new StoreError(
        'table_not_active',
        `Table ${name} did not become ACTIVE within ${timeoutMs} ms ` +
          `(status ${status ?? 'missing'})`,
        { fix: 'check the table in the DynamoDB console, then start again' },
      );
    }
    await sleep(delayMs);
    waitedMs += delayMs;
    delayMs = Math.min(delayMs * 2, 2_000);
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
