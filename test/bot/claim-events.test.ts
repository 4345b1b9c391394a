import { describe, expect, it } from 'vitest';
import { dynamoEventClaims } from '../../src/bot/claim-events.ts';
import type { AwsTarget } from '../../src/bot/send-aws-request.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();
const NOW = new Date('2026-03-02T08:00:00Z');

function claims(now = NOW) {
  const target: AwsTarget = {
    endpoint: new URL(backend().endpoints.dynamodb),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };

  return dynamoEventClaims(target, backend().stateTable, { now: () => now });
}

describe('dynamoEventClaims', () => {
  it('claims a new event', async () => {
    const claimed = await claims().claimEvent(uniqueId('event'), 3600);

    expect(claimed).toBe(true);
  });

  it('rejects a second claim', async () => {
    const key = uniqueId('event');
    await claims().claimEvent(key, 3600);

    const claimed = await claims().claimEvent(key, 3600);

    expect(claimed).toBe(false);
  });

  it('claims again after expiry', async () => {
    const key = uniqueId('event');
    await claims().claimEvent(key, 60);

    const claimed = await claims(new Date(NOW.getTime() + 61_000)).claimEvent(key, 60);

    expect(claimed).toBe(true);
  });

  it('matches StateStore claims both ways', async () => {
    const store = new StateStore(backend().clients.dynamo, backend().stateTable, {
      now: () => NOW,
    });
    const first = uniqueId('event');
    const second = uniqueId('event');

    await claims().claimEvent(first, 3600);
    await store.claimEvent(second, 3600);

    expect(await store.claimEvent(first, 3600)).toBe(false);
    expect(await claims().claimEvent(second, 3600)).toBe(false);
  });

  it('throws when the table is missing', async () => {
    const target: AwsTarget = {
      endpoint: new URL(backend().endpoints.dynamodb),
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };

    const claim = dynamoEventClaims(target, 'no-such-table').claimEvent('x', 60);

    await expect(claim).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
  });
});
