import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchWriteAll, queryAll, type RetryOptions } from './dynamo-batch.ts';
import { catalogPartition, keyOfItem } from './metric-items.ts';
import { METRICS_KEYS } from './table-definitions.ts';

/** A campaign known to a report, for `/adreport trend` lookups by name. */
export interface CatalogEntry {
  campaignId: string;
  campaignName: string;
  propertyId: string;
  lastWeek: string;
}

const PK = METRICS_KEYS.partitionKey;
const SK = METRICS_KEYS.sortKey;

/**
 * Merges campaigns into a report's catalog, one item per campaign under `catalog#<reportId>`,
 * so the catalog never reaches DynamoDB's 400 KB item limit. An entry replaces the stored one
 * when its `lastWeek` is later or equal, so names follow the newest week and campaigns that
 * stopped stay listed. Only changed entries are written.
 */
export async function mergeCatalog(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  reportId: string,
  entries: CatalogEntry[],
  retry: RetryOptions,
): Promise<void> {
  const incoming = newestPerCampaign(entries);
  const keys = incoming.map((entry) => catalogKey(reportId, entry.campaignId));
  const stored = new Map(
    (await batchGetAll(dynamo, tableName, keys, keyOfItem, retry)).map((item) => [
      item.campaignId as string,
      toEntry(item),
    ]),
  );
  const changed = incoming.filter((entry) => {
    const existing = stored.get(entry.campaignId);

    return !existing || (entry.lastWeek >= existing.lastWeek && !sameEntry(entry, existing));
  });
  const items = changed.map((entry) => ({
    ...catalogKey(reportId, entry.campaignId),
    ...entry,
    item_type: 'catalog_entry',
  }));
  await batchWriteAll(dynamo, tableName, items, keyOfItem, retry);
}

/** Returns a report's catalog sorted by campaign name, then id. */
export async function readCatalog(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  reportId: string,
): Promise<CatalogEntry[]> {
  const items = await queryAll(dynamo, {
    TableName: tableName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': PK },
    ExpressionAttributeValues: { ':pk': catalogPartition(reportId) },
  });

  return items
    .map(toEntry)
    .sort(
      (a, b) =>
        a.campaignName.localeCompare(b.campaignName) || a.campaignId.localeCompare(b.campaignId),
    );
}

function catalogKey(reportId: string, campaignId: string): Record<string, string> {
  return { [PK]: catalogPartition(reportId), [SK]: campaignId };
}

function newestPerCampaign(entries: CatalogEntry[]): CatalogEntry[] {
  const byId = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    const known = byId.get(entry.campaignId);
    if (!known || entry.lastWeek >= known.lastWeek) byId.set(entry.campaignId, entry);
  }

  return [...byId.values()];
}

function toEntry(item: Record<string, unknown>): CatalogEntry {
  return {
    campaignId: item.campaignId as string,
    campaignName: item.campaignName as string,
    propertyId: item.propertyId as string,
    lastWeek: item.lastWeek as string,
  };
}

function sameEntry(a: CatalogEntry, b: CatalogEntry): boolean {
  return (
    a.campaignName === b.campaignName && a.propertyId === b.propertyId && a.lastWeek === b.lastWeek
  );
}
