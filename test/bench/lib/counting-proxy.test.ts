import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CountingProxy,
  dynamoItemsRead,
  dynamoOperation,
  s3Operation,
  sesOperation,
  startCountingProxy,
} from '../../../bench/lib/counting-proxy.ts';
import { LOCAL_CREDENTIALS } from '../../../src/local/emulators.ts';
import { createAwsClients, destroyAwsClients } from '../../../src/storage/aws-clients.ts';
import { uniqueId, useLocalBackend } from '../../helpers/local-backend.ts';

const backend = useLocalBackend();

describe('startCountingProxy', () => {
  let dynamoProxy: CountingProxy;
  let s3Proxy: CountingProxy;
  let sesProxy: CountingProxy;
  let clients: ReturnType<typeof createAwsClients>;

  beforeAll(async () => {
    const { endpoints } = backend();
    dynamoProxy = await startCountingProxy({
      upstream: endpoints.dynamodb,
      classify: dynamoOperation,
      countItems: dynamoItemsRead,
    });
    s3Proxy = await startCountingProxy({ upstream: endpoints.s3, classify: s3Operation });
    sesProxy = await startCountingProxy({ upstream: endpoints.ses, classify: sesOperation });
    clients = createAwsClients({
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      endpoints: { dynamodb: dynamoProxy.url, s3: s3Proxy.url, ses: sesProxy.url },
    });
  });

  afterAll(async () => {
    destroyAwsClients(clients);
    await Promise.all([dynamoProxy.close(), s3Proxy.close(), sesProxy.close()]);
  });

  it('counts DynamoDB requests by operation', async () => {
    dynamoProxy.reset();
    const table = backend().metricsTable;
    const campaignId = uniqueId('campaign');
    for (const week of ['2026-11-16', '2026-11-23']) {
      await clients.dynamo.send(
        new PutCommand({
          TableName: table,
          Item: { campaign_id: campaignId, week_start_date: week },
        }),
      );
    }

    await clients.dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'campaign_id = :id',
        ExpressionAttributeValues: { ':id': campaignId },
      }),
    );
    await clients.dynamo.send(
      new GetCommand({
        TableName: table,
        Key: { campaign_id: campaignId, week_start_date: 'none' },
      }),
    );

    expect(dynamoProxy.requests()).toEqual({ PutItem: 2, Query: 1, GetItem: 1 });
  });

  it('counts the items DynamoDB reads returned', async () => {
    dynamoProxy.reset();
    const table = backend().metricsTable;
    const campaignId = uniqueId('campaign');
    for (const week of ['2026-11-09', '2026-11-16', '2026-11-23']) {
      await clients.dynamo.send(
        new PutCommand({
          TableName: table,
          Item: { campaign_id: campaignId, week_start_date: week },
        }),
      );
    }

    await clients.dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'campaign_id = :id',
        ExpressionAttributeValues: { ':id': campaignId },
      }),
    );

    expect(dynamoProxy.items()).toEqual({ PutItem: 0, Query: 3 });
  });

  it('forwards signed S3 requests that s3rver accepts', async () => {
    s3Proxy.reset();
    const key = `bench/${uniqueId('object')}.json`;

    await clients.s3.send(
      new PutObjectCommand({ Bucket: backend().bucket, Key: key, Body: '{"ok":true}' }),
    );
    const object = await clients.s3.send(
      new GetObjectCommand({ Bucket: backend().bucket, Key: key }),
    );

    expect(await object.Body?.transformToString()).toBe('{"ok":true}');
    expect(s3Proxy.requests()).toEqual({ PutObject: 1, GetObject: 1 });
  });

  it('counts SES actions', async () => {
    sesProxy.reset();

    await clients.ses.send(
      new SendEmailCommand({
        Source: 'reports@example.com',
        Destination: { ToAddresses: ['marketing@example.com'] },
        Message: { Subject: { Data: 'Bench' }, Body: { Text: { Data: 'Hello' } } },
      }),
    );

    expect(sesProxy.requests()).toEqual({ SendEmail: 1 });
  });
});

describe('startCountingProxy when the upstream is down', () => {
  it('answers 502 naming the upstream', async () => {
    const proxy = await startCountingProxy({
      upstream: 'http://127.0.0.1:9',
      classify: () => 'any',
    });

    const response = await fetch(`${proxy.url}/`);
    await proxy.close();

    expect(response.status).toBe(502);
    expect(await response.text()).toContain('127.0.0.1:9');
  });
});

describe('startCountingProxy busy time', () => {
  it('counts overlapping requests once', async () => {
    const upstream = createServer((_, response) => {
      setTimeout(() => response.end('ok'), 150);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    const proxy = await startCountingProxy({
      upstream: `http://127.0.0.1:${port}`,
      classify: () => 'any',
    });

    await Promise.all([fetch(`${proxy.url}/a`), fetch(`${proxy.url}/b`)]);
    const busyMs = proxy.busyMs();
    await proxy.close();
    upstream.close();

    expect(busyMs).toBeGreaterThanOrEqual(140);
    expect(busyMs).toBeLessThan(290);
  });
});

describe('s3Operation', () => {
  it.each([
    { method: 'PUT', path: '/bucket/raw/a.json', expected: 'PutObject' },
    { method: 'GET', path: '/bucket/raw/a.json?x-id=GetObject', expected: 'GetObject' },
    { method: 'GET', path: '/bucket?list-type=2&prefix=raw', expected: 'ListObjectsV2' },
    { method: 'HEAD', path: '/bucket/a', expected: 'HeadObject' },
  ])('names $method $path $expected', ({ method, path, expected }) => {
    expect(s3Operation({ method, path, headers: {}, body: Buffer.alloc(0) })).toBe(expected);
  });
});

describe('dynamoItemsRead', () => {
  it('sums the responses of a batch read', () => {
    const body = Buffer.from(JSON.stringify({ Responses: { a: [{}, {}], b: [{}] } }));

    expect(dynamoItemsRead('BatchGetItem', body)).toBe(3);
  });

  it('returns zero for a body that is not JSON', () => {
    expect(dynamoItemsRead('Query', Buffer.from('<html>'))).toBe(0);
  });

  it('returns zero for writes', () => {
    expect(dynamoItemsRead('PutItem', Buffer.from('{"Count":5}'))).toBe(0);
  });
});
