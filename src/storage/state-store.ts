import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RunOutcome } from '../shared/types.ts';
import { STATE_KEYS } from './table-definitions.ts';

export type DeliveryChannel = 'email' | 'slack';

export interface RunRecord {
  runId: string;
  reportId: string;
  weekStart: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | RunOutcome;
  notes: string[];
  steps: Record<
    string,
    { status: 'ok' | 'failed' | 'skipped'; durationMs: number; detail?: string }
  >;
  analysis?: Record<string, unknown>;
}

export interface DeliveryState {
  status: 'claimed' | 'done';
  runId: string;
  /** End of a claim's lease in epoch ms. A claim past it belongs to a run that stopped. */
  leaseExpiresMs?: number;
  detail?: Record<string, string>;
}

interface DeliveryKey {
  reportId: string;
  weekStart: string;
  channel: DeliveryChannel;
}

const PK = STATE_KEYS.partitionKey;
const SK = STATE_KEYS.sortKey;
const EXPIRES_AT = STATE_KEYS.ttlAttribute;

/**
 * Largest conversation `putConversation` accepts, below DynamoDB's 400 KB item limit, so an
 * oversized thread gets a clear error instead of a ValidationException.
 */
const MAX_CONVERSATION_BYTES = 350_000;

/**
 * Run records, delivery claims, Slack event claims and conversations in the state table.
 * Claims are conditional puts, so two runs racing for the same delivery get one `claimed`.
 * Expired items are filtered on read because TTL deletion is late in AWS and absent in dynalite.
 */
export class StateStore {
  private readonly now: () => Date;

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Claims one delivery for `runId`. Returns `claimed` when the delivery is free, when its lease
   * has expired (a crashed run) or when `runId` already has it. Returns `done` when it was
   * delivered, and `busy` while another run has it.
   */
  async claimDelivery(
    input: DeliveryKey & { runId: string; leaseMs: number },
  ): Promise<'claimed' | 'done' | 'busy'> {
    const nowMs = this.now().getTime();
    const claimed = await this.putIf(
      {
        ...deliveryKey(input),
        status: 'claimed',
        run_id: input.runId,
        lease_expires_ms: nowMs + input.leaseMs,
        claimed_at: new Date(nowMs).toISOString(),
      },
      'attribute_not_exists(#pk) OR (#status = :claimed AND (#lease < :now OR #run = :run))',
      { '#pk': PK, '#status': 'status', '#lease': 'lease_expires_ms', '#run': 'run_id' },
      { ':claimed': 'claimed', ':now': nowMs, ':run': input.runId },
    );
    if (claimed) return 'claimed';
    const current = await this.getDelivery(input.reportId, input.weekStart, input.channel);
    logger.info('Delivery claim not granted', {
      ...input,
      holder: current?.runId,
      status: current?.status,
    });

    return current?.status === 'done' ? 'done' : 'busy';
  }

  /**
   * Marks a delivery done with details such as the message id. `done` is final: completing an
   * already completed delivery changes nothing and logs a warning, or an info line when `forced`
   * marks a deliberate repeat such as `run --force`.
   */
  async completeDelivery(
    input: DeliveryKey & { runId: string; detail: Record<string, string>; forced?: boolean },
  ): Promise<void> {
    const item = {
      ...deliveryKey(input),
      status: 'done',
      run_id: input.runId,
      detail: input.detail,
      completed_at: this.now().toISOString(),
    };
    const written = await this.putIf(
      item,
      'attribute_not_exists(#pk) OR #status = :claimed',
      {
        '#pk': PK,
        '#status': 'status',
      },
      { ':claimed': 'claimed' },
    );
    if (written) return;
    if (input.forced) {
      logger.info('Delivery already completed: the forced delivery kept the first record', {
        ...input,
      });
      return;
    }
    logger.warn('Delivery already completed', { ...input });
  }

  /** Gives up `runId`'s claim after a failed send so a retry can claim it at once. */
  async releaseDelivery(input: DeliveryKey & { runId: string }): Promise<void> {
    try {
      await this.dynamo.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: deliveryKey(input),
          ConditionExpression: '#status = :claimed AND #run = :run',
          ExpressionAttributeNames: { '#status': 'status', '#run': 'run_id' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':run': input.runId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      logger.info('Delivery claim not released: held by another run or done', { ...input });
    }
  }

  async getDelivery(
    reportId: string,
    weekStart: string,
    channel: DeliveryChannel,
  ): Promise<DeliveryState | null> {
    const item = await this.getItem(deliveryKey({ reportId, weekStart, channel }));
    if (!item) return null;

    return {
      status: item.status as DeliveryState['status'],
      runId: item.run_id as string,
      ...(typeof item.lease_expires_ms === 'number'
        ? { leaseExpiresMs: item.lease_expires_ms }
        : {}),
      ...(item.detail ? { detail: item.detail as Record<string, string> } : {}),
    };
  }

  /**
   * Returns the Slack timestamps of the summary parts posted so far for a report week, in order.
   * They live apart from the claim, so a released or expired claim keeps them for the next run.
   */
  async getPostedParts(reportId: string, weekStart: string): Promise<string[]> {
    const item = await this.getItem(postedPartsKey(reportId, weekStart));

    return Array.isArray(item?.parts) ? (item.parts as string[]) : [];
  }

  /** Stores the Slack timestamps of every summary part posted so far, first part first. */
  async putPostedParts(
    input: { reportId: string; weekStart: string; runId: string },
    parts: string[],
  ): Promise<void> {
    await this.put({
      ...postedPartsKey(input.reportId, input.weekStart),
      parts,
      run_id: input.runId,
      updated_at: this.now().toISOString(),
    });
  }

  /** Stores a run record under its id and in its report's newest-first listing. */
  async putRun(record: RunRecord): Promise<void> {
    requireRunRecord(record);
    const body = { record };
    await Promise.all([
      this.put({ [PK]: `run#${record.runId}`, [SK]: 'run', ...body }),
      this.put({
        [PK]: `runs#${record.reportId}`,
        [SK]: `${record.startedAt}#${record.runId}`,
        ...body,
      }),
    ]);
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const item = await this.getItem({ [PK]: `run#${runId}`, [SK]: 'run' });

    return (item?.record as RunRecord | undefined) ?? null;
  }

  /** Returns a report's latest `limit` runs, newest first. */
  async listRuns(reportId: string, limit: number): Promise<RunRecord[]> {
    if (!Number.isSafeInteger(limit) || limit <= 0) return [];
    const output = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': `runs#${reportId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );

    return (output.Items ?? []).map((item) => item.record as RunRecord);
  }

  /** Claims an event id (a Slack event, say) for `ttlSeconds`. Returns true for the first claim. */
  async claimEvent(eventKey: string, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);

    return this.putIf(
      { [PK]: `event#${eventKey}`, [SK]: 'event', [EXPIRES_AT]: nowSeconds + ttlSeconds },
      'attribute_not_exists(#pk) OR #expires <= :now',
      { '#pk': PK, '#expires': EXPIRES_AT },
      { ':now': nowSeconds },
    );
  }

  /** Returns a thread's stored messages, or null when none are stored or they expired. */
  async getConversation(threadKey: string): Promise<unknown[] | null> {
    const item = await this.getItem(conversationKey(threadKey));
    if (!item || (item[EXPIRES_AT] as number) <= Math.floor(this.now().getTime() / 1000))
      return null;

    return item.messages as unknown[];
  }

  /**
   * Replaces a thread's messages, kept for `ttlSeconds`.
   *
   * @throws StoreError `conversation_too_large` when the messages exceed 350,000 bytes of JSON.
   */
  async putConversation(threadKey: string, messages: unknown[], ttlSeconds: number): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(messages));
    if (bytes > MAX_CONVERSATION_BYTES) {
      throw new StoreError(
        'conversation_too_large',
        `Conversation ${threadKey} is ${bytes} bytes`,
        {
          fix: `drop the oldest messages to stay under ${MAX_CONVERSATION_BYTES} bytes`,
        },
      );
    }
    const expiresAt = Math.floor(this.now().getTime() / 1000) + ttlSeconds;
    await this.put({ ...conversationKey(threadKey), messages, [EXPIRES_AT]: expiresAt });
  }

  private async getItem(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const output = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );

    return output.Item;
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Puts `item` if `condition` holds; returns false when it does not. */
  private async putIf(
    item: Record<string, unknown>,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );

      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function deliveryKey(key: DeliveryKey): Record<string, string> {
  return { [PK]: `delivery#${key.reportId}#${key.weekStart}`, [SK]: key.channel };
}

function postedPartsKey(reportId: string, weekStart: string): Record<string, string> {
  return { [PK]: `delivery#${reportId}#${weekStart}`, [SK]: 'slack#parts' };
}

function conversationKey(threadKey: string): Record<string, string> {
  return { [PK]: `conversation#${threadKey}`, [SK]: 'conversation' };
}

function requireRunRecord(record: RunRecord): void {
  for (const field of ['runId', 'reportId', 'startedAt'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new StoreError(
        'run_record_invalid',
        `Invalid run record: ${field} is ${String(record[field])}`,
        {
          fix: 'set runId, reportId and startedAt before storing the run',
        },
      );
    }
  }
}
