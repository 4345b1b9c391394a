import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  archiveRaw,
  type RunManifest,
  rawObjectKey,
  readArchivedPayloads,
  readLatestManifest,
  writeRunManifest,
} from '../../src/pipeline/archive-raw.ts';
import { StoreError } from '../../src/shared/errors.ts';
import type { RawPayload, RawPayloadKey } from '../../src/shared/types.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();

function payloadKey(overrides: Partial<RawPayloadKey> = {}): RawPayloadKey {
  return {
    source: 'meta',
    account: 'act_1234567890',
    weekStart: '2026-11-23',
    runId: uniqueId('run'),
    name: 'insights',
    ...overrides,
  };
}

function payload(overrides: Partial<RawPayloadKey> = {}): RawPayload {
  return {
    key: payloadKey(overrides),
    fetchedAt: '2026-11-30T07:00:01.000Z',
    request: {
      url: 'https://graph.facebook.com/v27.0/act_1234567890/insights',
      params: { level: 'adset' },
    },
    pages: [
      { data: [{ campaign_id: '1', spend: '412.37' }], paging: { cursors: { after: 'x' } } },
      { data: [] },
    ],
  };
}

describe('rawObjectKey', () => {
  it('builds the documented layout', () => {
    const key = rawObjectKey(payloadKey({ runId: 'run-1' }));

    expect(key).toBe('raw/meta/act_1234567890/2026-11-23/run-1/insights.json');
  });

  it('does not repeat the extension', () => {
    const key = rawObjectKey(payloadKey({ runId: 'run-1', name: 'account.json' }));

    expect(key).toBe('raw/meta/act_1234567890/2026-11-23/run-1/account.json');
  });

  it.each([
    { part: 'account', value: '../other' },
    { part: 'runId', value: '' },
    { part: 'name', value: 'a/b' },
    { part: 'weekStart', value: '..' },
  ])('rejects $part of "$value"', ({ part, value }) => {
    const key = payloadKey({ [part]: value });

    expect(() => rawObjectKey(key)).toThrow(StoreError);
  });
});

describe('archiveRaw', () => {
  it('returns keys in input order', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const runId = uniqueId('run');
    const payloads = [payload({ runId, name: 'account' }), payload({ runId, name: 'insights' })];

    const keys = await archiveRaw(s3, bucket, payloads);

    expect(keys).toEqual(payloads.map((p) => rawObjectKey(p.key)));
  });

  it('stores JSON with its content type', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const [key] = await archiveRaw(s3, bucket, [payload()]);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

    expect(head.ContentType).toBe('application/json');
  });

  it('round-trips payloads unchanged', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const payloads = [
      payload({ name: 'a' }),
      payload({ source: 'hubspot', account: 'acme-weekly', name: 'contacts' }),
    ];
    const keys = await archiveRaw(s3, bucket, payloads);

    const read = await readArchivedPayloads(s3, bucket, keys);

    expect(read).toEqual(payloads);
  });

  it('overwrites on a rerun of the run', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const first = payload();
    await archiveRaw(s3, bucket, [first]);
    const second = { ...first, pages: [{ data: ['restated'] }] };
    const [key] = await archiveRaw(s3, bucket, [second]);

    const [read] = await readArchivedPayloads(s3, bucket, [key as string]);

    expect(read?.pages).toEqual([{ data: ['restated'] }]);
  });

  it('rejects two payloads with one key', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const one = payload();

    const error = await archiveRaw(s3, bucket, [one, { ...one }]).catch((e: unknown) => e);

    expect((error as StoreError).code).toBe('archive_key_duplicate');
  });
});

describe('readArchivedPayloads', () => {
  it('names the key of an invalid object', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const key = `raw/meta/act_1/2026-11-23/${uniqueId('run')}/broken.json`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"key":{"source":"tiktok"}}' }),
    );

    const error = await readArchivedPayloads(s3, bucket, [key]).catch((e: unknown) => e);

    expect((error as StoreError).code).toBe('archive_payload_invalid');
    expect((error as StoreError).message).toContain(key);
  });

  it('rejects an object that is not JSON', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const key = `raw/meta/act_1/2026-11-23/${uniqueId('run')}/text.json`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'not json' }));

    const error = await readArchivedPayloads(s3, bucket, [key]).catch((e: unknown) => e);

    expect((error as StoreError).code).toBe('archive_payload_invalid');
  });

  it('reports a missing object', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };

    const error = await readArchivedPayloads(s3, bucket, ['raw/meta/none.json']).catch(
      (e: unknown) => e,
    );

    expect((error as StoreError).code).toBe('archive_payload_missing');
  });
});

function manifest(overrides: Partial<RunManifest>): RunManifest {
  return {
    reportId: 'acme-weekly',
    weekStart: '2026-11-23',
    runId: uniqueId('run'),
    createdAt: '2026-11-30T07:00:00.000Z',
    keys: ['raw/a.json'],
    ...overrides,
  };
}

describe('writeRunManifest', () => {
  it('stores under the runs prefix', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };

    const key = await writeRunManifest(s3, bucket, manifest({ reportId: 'acme', runId: 'run-7' }));

    expect(key).toBe('runs/acme/2026-11-23/run-7.json');
  });
});

describe('readLatestManifest', () => {
  it('returns the newest run of the week', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const reportId = uniqueId('r');
    // The run ids sort opposite to their creation times, so only createdAt can pick `newer`.
    const newer = manifest({ reportId, runId: 'a-run', createdAt: '2026-11-30T09:00:00.000Z' });
    await writeRunManifest(s3, bucket, newer);
    await writeRunManifest(
      s3,
      bucket,
      manifest({ reportId, runId: 'z-run', createdAt: '2026-11-30T07:00:00.000Z' }),
    );
    await writeRunManifest(
      s3,
      bucket,
      manifest({ reportId, weekStart: '2026-11-30', createdAt: '2026-12-07T07:00:00.000Z' }),
    );

    const latest = await readLatestManifest(s3, bucket, reportId, '2026-11-23');

    expect(latest).toEqual(newer);
  });

  it('returns null without a run', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };

    const latest = await readLatestManifest(s3, bucket, uniqueId('r'), '2026-11-23');

    expect(latest).toBeNull();
  });

  it('rejects an invalid manifest', async () => {
    const { s3, bucket } = { s3: backend().clients.s3, bucket: backend().bucket };
    const reportId = uniqueId('r');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `runs/${reportId}/2026-11-23/x.json`,
        Body: '{"runId":1}',
      }),
    );

    const error = await readLatestManifest(s3, bucket, reportId, '2026-11-23').catch(
      (e: unknown) => e,
    );

    expect((error as StoreError).code).toBe('archive_manifest_invalid');
  });
});
