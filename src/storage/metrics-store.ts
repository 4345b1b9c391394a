import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { AllTimeTotals, CampaignWeek, PropertyWeek } from '../shared/types.ts';
import {
  type AllTimeState,
  type ApplyOutcome,
  applyFilledHubspotLeads,
  applyWeek,
  emptyAllTimeState,
  totalsOf,
} from './all-time.ts';
import { type CatalogEntry, mergeCatalog, readCatalog } from './campaign-catalog.ts';
import {
  backoffMs,
  batchGetAll,
  batchWriteAll,
  queryAll,
  type RetryOptions,
} from './dynamo-batch.ts';
import {
  allTimePartition,
  campaignKey,
  fromCampaignItem,
  fromPropertyItem,
  keyOfItem,
  propertyKey,
  propertyPartition,
  toCampaignItem,
  toPropertyItem,
  validatePropertyWeek,
} from './metric-items.ts';
import { METRICS_KEYS, PROPERTY_WEEK_ATTRIBUTE } from './table-definitions.ts';

export type { CatalogEntry } from './campaign-catalog.ts';

export interface MetricsStoreOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Requests per batch chunk or per conditional update before giving up (8 by default). */
  maxBatchAttempts?: number;
  now?: () => Date;
}

const PK = METRICS_KEYS.partitionKey;
const SK = METRICS_KEYS.sortKey;

/**
 * Reads and writes campaign-weeks, property-week aggregates, all-time totals and the campaign
 * catalog in the metrics table. No method scans, and no read grows with the length of history.
 */
export class MetricsStore {
  private readonly retry: RetryOptions;
  private readonly now: () => Date;

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: MetricsStoreOptions = {},
  ) {
    this.retry = {
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      maxAttempts: options.maxBatchAttempts ?? 8,
    };
    this.now = options.now ?? (() => new Date());
  }

  /** Upserts campaign-weeks. Every item is validated before the first write. */
  async putCampaignWeeks(items: CampaignWeek[]): Promise<void> {
    const updatedAt = this.now().toISOString();
    const stored = items.map((week) => toCampaignItem(week, updatedAt));
    await batchWriteAll(this.dynamo, this.tableName, stored, keyOfItem, this.retry);
  }

  /** Upserts property-week aggregates. Every item is validated before the first write. */
  async putPropertyWeeks(items: PropertyWeek[]): Promise<void> {
    const updatedAt = this.now().toISOString();
    const stored = items.map((week) => toPropertyItem(week, updatedAt));
    await batchWriteAll(this.dynamo, this.tableName, stored, keyOfItem, this.retry);
  }

  /** Reads the campaign-weeks of exactly these keys. Keys with no item are left out. */
  async getCampaignWeeks(
    keys: Array<{ campaignId: string; weekStart: string }>,
  ): Promise<CampaignWeek[]> {
    const itemKeys = keys
      .filter((key) => isCampaignId(key.campaignId))
      .map((key) => campaignKey(key.campaignId, key.weekStart));
    const items = await batchGetAll(this.dynamo, this.tableName, itemKeys, keyOfItem, this.retry);

    return items.map(fromCampaignItem);
  }

  /** Reads the property-weeks of exactly these keys. Keys with no item are left out. */
  async getPropertyWeeks(
    keys: Array<{ propertyId: string; weekStart: string }>,
  ): Promise<PropertyWeek[]> {
    const itemKeys = keys.map((key) => propertyKey(key.propertyId, key.weekStart));
    const items = await batchGetAll(this.dynamo, this.tableName, itemKeys, keyOfItem, this.retry);

    return items.map(fromPropertyItem);
  }

  /** Returns a campaign's last `count` stored weeks up to `endWeekStart`, oldest first. */
  async getCampaignHistory(
    campaignId: string,
    endWeekStart: string,
    count: number,
  ): Promise<CampaignWeek[]> {
    if (!isCampaignId(campaignId)) return [];
    const items = await this.queryLatest(campaignId, endWeekStart, count);

    return items.map(fromCampaignItem);
  }

  /** Returns a property's last `count` stored weeks up to `endWeekStart`, oldest first. */
  async getPropertyHistory(
    propertyId: string,
    endWeekStart: string,
    count: number,
  ): Promise<PropertyWeek[]> {
    const items = await this.queryLatest(propertyPartition(propertyId), endWeekStart, count);

    return items.map(fromPropertyItem);
  }

  /** Returns every campaign-week of a property in one week through the `by_property_week` index. */
  async getCampaignsOfPropertyWeek(propertyId: string, weekStart: string): Promise<CampaignWeek[]> {
    const items = await queryAll(this.dynamo, {
      TableName: this.tableName,
      IndexName: METRICS_KEYS.propertyWeekIndex,
      KeyConditionExpression: '#pw = :pw',
      ExpressionAttributeNames: { '#pw': PROPERTY_WEEK_ATTRIBUTE },
      ExpressionAttributeValues: { ':pw': `${propertyId}#${weekStart}` },
    });

    return items.map(fromCampaignItem);
  }

  /**
   * Adds a property-week to the property's all-time totals, replacing the week's earlier
   * contribution while it is within the last six weeks. Concurrent writers are serialised by a
   * version number and a conditional put, retried on conflict.
   */
  async applyAllTime(week: PropertyWeek): Promise<AllTimeTotals> {
    return this.updateAllTime(week, (current) => applyWeek(current, week));
  }

  /**
   * Adds the HubSpot leads counted for an already stored week to the all-time totals. Unlike
   * `applyAllTime` it also updates a week older than the last six weeks, because only the HubSpot
   * leads changed (from `previousHubspotLeads`).
   */
  async applyFilledHubspotLeads(
    week: PropertyWeek,
    previousHubspotLeads: number,
  ): Promise<AllTimeTotals> {
    return this.updateAllTime(week, (current) =>
      applyFilledHubspotLeads(current, week, previousHubspotLeads),
    );
  }

  private async updateAllTime(
    week: PropertyWeek,
    apply: (current: AllTimeState) => { state: AllTimeState; outcome: ApplyOutcome },
  ): Promise<AllTimeTotals> {
    validatePropertyWeek(week);
    for (let attempt = 1; ; attempt += 1) {
      const current =
        (await this.readAllTime(week.propertyId)) ?? emptyAllTimeState(week.propertyId);
      const { state, outcome } = apply(current);
      if (outcome === 'frozen_unchanged') {
        logger.warn('Restatement of a frozen week ignored', {
          propertyId: week.propertyId,
          weekStart: week.weekStart,
        });
        return totalsOf(current);
      }
      if (await this.writeAllTime(state, current.version)) return totalsOf(state);
      if (attempt >= this.retry.maxAttempts) throw conflict(week.propertyId, attempt);
      await this.retry.sleep(backoffMs(attempt));
    }
  }

  /** Returns a property's all-time totals, or null before its first week is stored. */
  async getAllTime(propertyId: string): Promise<AllTimeTotals | null> {
    const state = await this.readAllTime(propertyId);

    return state ? totalsOf(state) : null;
  }

  /**
   * Merges campaigns into a report's catalog. An entry with a later or equal `lastWeek` replaces
   * the stored one, so names follow the newest week and campaigns that stopped stay listed.
   */
  async putCatalog(reportId: string, entries: CatalogEntry[]): Promise<void> {
    await mergeCatalog(this.dynamo, this.tableName, reportId, entries, this.retry);
  }

  /** Returns a report's catalog, sorted by campaign name. */
  async getCatalog(reportId: string): Promise<CatalogEntry[]> {
    return readCatalog(this.dynamo, this.tableName, reportId);
  }

  private async queryLatest(partition: string, endWeekStart: string, count: number) {
    if (!Number.isSafeInteger(count) || count <= 0) return [];
    const items = await queryAll(
      this.dynamo,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk <= :end',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': partition, ':end': endWeekStart },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      count,
    );

    return items.reverse();
  }

  private async readAllTime(propertyId: string): Promise<AllTimeState | null> {
    const output = await this.dynamo.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [PK]: allTimePartition(propertyId), [SK]: 'all' },
        ConsistentRead: true,
      }),
    );
    if (!output.Item) return null;
    const { frozen, frozenWeeks, open, hubspotFilledWeeks, version } = output.Item;

    const filled = hubspotFilledWeeks ? { hubspotFilledWeeks } : {};

    return { propertyId, frozen, frozenWeeks, open, ...filled, version } as AllTimeState;
  }

  private async writeAllTime(state: AllTimeState, expectedVersion: number): Promise<boolean> {
    const item = {
      ...state,
      [PK]: allTimePartition(state.propertyId),
      [SK]: 'all',
      item_type: 'all_time',
    };

    return this.putVersioned(item, expectedVersion);
  }

  /** Puts `item` only if the stored version is `expectedVersion` (0: no item yet). */
  private async putVersioned(
    item: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<boolean> {
    const condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > =
      expectedVersion === 0
        ? {
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          };
    try {
      await this.dynamo.send(
        new PutCommand({ TableName: this.tableName, Item: item, ...condition }),
      );

      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** Aggregate partitions (`property#…`, `alltime#…`) are never campaign ids. */
function isCampaignId(id: string): boolean {
  return id !== '' && !id.includes('#');
}

function conflict(subject: string, attempts: number): StoreError {
  return new StoreError(
    'store_write_conflict',
    `Conflicting writes to ${subject} after ${attempts} attempts`,
    {
      fix: 'another run is updating the same totals; run the report again once it has finished',
    },
  );
}
