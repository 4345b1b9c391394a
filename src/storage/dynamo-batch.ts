import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { forEachLimited } from './for-each-limited.ts';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

/** DynamoDB's limits: 25 writes per BatchWriteItem and 100 keys per BatchGetItem. */
export const BATCH_WRITE_SIZE = 25;
export const BATCH_GET_SIZE = 100;

/** Batch requests sent in parallel by one call. */
const CONCURRENCY = 4;

export interface RetryOptions {
  sleep: (ms: number) => Promise<void>;
  /** Requests per chunk, the first included, before the leftover keys are reported. */
  maxAttempts: number;
}

/** Waits 50 ms, 100 ms, 200 ms … capped at 3.2 s before the retry after attempt `attempt`. */
export function backoffMs(attempt: number): number {
  return Math.min(50 * 2 ** (attempt - 1), 3_200);
}

/**
 * Writes `items` with BatchWriteItem in chunks of 25, resending `UnprocessedItems` with
 * exponential backoff. Items with the same key are merged first (the last one wins), because
 * DynamoDB rejects a whole batch that names a key twice.
 *
 * @throws StoreError `batch_write_incomplete` listing the keys still unwritten after
 * `maxAttempts` requests.
 */
export async function batchWriteAll(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  items: Item[],
  keyOf: (item: Item) => Key,
  retry: RetryOptions,
): Promise<void> {
  const unique = dedupeByKey(items, (item) => keyText(keyOf(item)));
  const chunks = chunk(unique, BATCH_WRITE_SIZE);
  await forEachLimited(chunks, CONCURRENCY, async (part) => {
    let requests = part.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      if (attempt > 1) await retry.sleep(backoffMs(attempt - 1));
      const output = await dynamo.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      if (requests.length > 0 && attempt >= retry.maxAttempts) {
        throw incomplete(
          'batch_write_incomplete',
          tableName,
          requests.map((r) => keyOf(r.PutRequest.Item)),
          attempt,
        );
      }
      if (requests.length > 0)
        logger.warn('Retrying unprocessed writes', { tableName, count: requests.length, attempt });
    }
  });
}

/**
 * Reads the items of `keys` with BatchGetItem in chunks of 100 (strongly consistent), retrying
 * `UnprocessedKeys` like `batchWriteAll`. Missing items are absent from the result, which
 * follows the order of `keys` with duplicates removed.
 */
export async function batchGetAll(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  keys: Key[],
  keyOf: (item: Item) => Key,
  retry: RetryOptions,
): Promise<Item[]> {
  const unique = dedupeByKey(keys, keyText);
  const found = new Map<string, Item>();
  await forEachLimited(chunk(unique, BATCH_GET_SIZE), CONCURRENCY, async (part) => {
    let pending = part;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) await retry.sleep(backoffMs(attempt - 1));
      const output = await dynamo.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      for (const item of output.Responses?.[tableName] ?? []) found.set(keyText(keyOf(item)), item);
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      if (pending.length > 0 && attempt >= retry.maxAttempts) {
        throw incomplete('batch_get_incomplete', tableName, pending, attempt);
      }
    }
  });

  return unique.flatMap((key) => {
    const item = found.get(keyText(key));

    return item ? [item] : [];
  });
}

/** Runs a Query and follows `LastEvaluatedKey` until `max` items are read or the pages end. */
export async function queryAll(
  dynamo: DynamoDBDocumentClient,
  input: QueryCommandInput,
  max = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Key | undefined;
  do {
    const remaining = max - items.length;
    const output = await dynamo.send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey && items.length < max);

  return items;
}

/** Returns a stable text form of a key, e.g. `campaign_id=1|week_start_date=2026-11-23`. */
export function keyText(key: Key): string {
  return Object.keys(key)
    .sort()
    .map((name) => `${name}=${String(key[name])}`)
    .join('|');
}

function dedupeByKey<T>(values: T[], textOf: (value: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const value of values) byKey.set(textOf(value), value);

  return [...byKey.values()];
}

function chunk<T>(values: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let index = 0; index < values.length; index += size)
    parts.push(values.slice(index, index + size));

  return parts;
}

function incomplete(code: string, tableName: string, keys: Key[], attempts: number): StoreError {
  const listed = keys.slice(0, 10).map(keyText).join(', ');
  const more = keys.length > 10 ? ` and ${keys.length - 10} more` : '';

  return new StoreError(
    code,
    `${keys.length} items of table ${tableName} were still unprocessed after ${attempts} ` +
      `attempts: ${listed}${more}`,
    { fix: 'DynamoDB throttled this table, so run the report again later or raise its capacity' },
  );
}
