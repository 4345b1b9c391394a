import { STATE_KEYS } from '../storage/table-definitions.ts';
import type { EventClaims } from './app.ts';
import {
  AwsRequestError,
  type AwsTarget,
  type RequestOptions,
  SERVICES,
  sendAwsRequest,
} from './send-aws-request.ts';

export interface DynamoClaimsOptions {
  now?: () => Date;
  request?: RequestOptions;
}

/**
 * Claims Slack events in the state table with a conditional `PutItem` signed here, so that the
 * bot bundle needs no DynamoDB client. It writes the item `StateStore.claimEvent` writes, with
 * the same condition, and its tests check the two against each other on one table.
 */
export function dynamoEventClaims(
  target: AwsTarget,
  tableName: string,
  options: DynamoClaimsOptions = {},
): EventClaims {
  const now = options.now ?? (() => new Date());

  return {
    claimEvent: async (eventKey, ttlSeconds) => {
      const nowSeconds = Math.floor(now().getTime() / 1000);
      const input = {
        TableName: tableName,
        Item: {
          [STATE_KEYS.partitionKey]: { S: `event#${eventKey}` },
          [STATE_KEYS.sortKey]: { S: 'event' },
          [STATE_KEYS.ttlAttribute]: { N: String(nowSeconds + ttlSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR #expires <= :now',
        ExpressionAttributeNames: {
          '#pk': STATE_KEYS.partitionKey,
          '#expires': STATE_KEYS.ttlAttribute,
        },
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
      };

      return putIfAbsent(target, input, options.request);
    },
  };
}

/** Returns false when DynamoDB rejects the write because its condition failed. */
async function putIfAbsent(
  target: AwsTarget,
  input: Record<string, unknown>,
  options: RequestOptions | undefined,
): Promise<boolean> {
  try {
    await sendAwsRequest(
      target,
      {
        api: 'DynamoDB PutItem',
        service: SERVICES.dynamodb.service,
        method: 'POST',
        path: '/',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.PutItem',
        },
        body: JSON.stringify(input),
      },
      options,
    );

    return true;
  } catch (error) {
    if (error instanceof AwsRequestError && error.errorType === 'ConditionalCheckFailedException') {
      return false;
    }
    throw error;
  }
}
