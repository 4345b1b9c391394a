import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import { StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RawPayload, RawPayloadKey } from '../shared/types.ts';
import { forEachLimited } from '../storage/for-each-limited.ts';

/** The list of archived payloads of one run, written after all of them are stored. */
export interface RunManifest {
  reportId: string;
  weekStart: string;
  runId: string;
  createdAt: string;
  keys: string[];
}

/** S3 requests sent in parallel by one call. */
const CONCURRENCY = 8;

// Key parts become path segments, so they must not contain a slash or be `.` or `..`.
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._=-]+$/;

const rawPayloadSchema = z.object({
  key: z.object({
    source: z.enum(['meta', 'hubspot']),
    account: z.string().min(1),
    weekStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    runId: z.string().min(1),
    name: z.string().min(1),
  }),
  fetchedAt: z.string(),
  request: z.object({ url: z.string(), params: z.record(z.string(), z.string()) }),
  pages: z.array(z.unknown()),
});

const manifestSchema = z.object({
  reportId: z.string().min(1),
  weekStart: z.string(),
  runId: z.string().min(1),
  createdAt: z.string(),
  keys: z.array(z.string()),
});

/**
 * Returns the archive key of a payload: `raw/<source>/<account>/<weekStart>/<runId>/<name>.json`
 * (`.json` is not repeated when the name has it).
 *
 * @throws StoreError `archive_key_invalid` when a part is empty or could change the path.
 */
export function rawObjectKey(key: RawPayloadKey): string {
  const parts = [key.source, key.account, key.weekStart, key.runId, key.name];
  for (const part of parts) requireSegment(part, `payload ${parts.join('/')}`);
  const file = key.name.endsWith('.json') ? key.name : `${key.name}.json`;

  return `raw/${key.source}/${key.account}/${key.weekStart}/${key.runId}/${file}`;
}

/**
 * Stores each payload as JSON under its deterministic key, before any transformation, and
 * returns the keys in input order. A rerun of the same run overwrites the same objects.
 *
 * @throws StoreError `archive_key_duplicate` when two payloads map to one key, and then nothing
 * is written.
 */
export async function archiveRaw(
  s3: S3Client,
  bucket: string,
  payloads: RawPayload[],
): Promise<string[]> {
  const keys = payloads.map((payload) => rawObjectKey(payload.key));
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate) {
    throw new StoreError(
      'archive_key_duplicate',
      `Two payloads share the archive key ${duplicate}`,
      {
        fix: 'give each payload of a run its own name',
      },
    );
  }
  const startedAt = performance.now();
  await forEachLimited(payloads, CONCURRENCY, async (payload, index) => {
    await putJson(s3, bucket, keys[index] as string, payload);
  });
  logger.info('Archived raw payloads', {
    bucket,
    count: keys.length,
    durationMs: Math.round(performance.now() - startedAt),
  });

  return keys;
}

/** Stores a run's manifest at `runs/<reportId>/<weekStart>/<runId>.json` and returns that key. */
export async function writeRunManifest(
  s3: S3Client,
  bucket: string,
  manifest: RunManifest,
): Promise<string> {
  for (const part of [manifest.reportId, manifest.weekStart, manifest.runId])
    requireSegment(part, `manifest of run ${manifest.runId}`);
  const key = `${manifestPrefix(manifest.reportId, manifest.weekStart)}${manifest.runId}.json`;
  await putJson(s3, bucket, key, manifest);

  return key;
}

/**
 * Returns the manifest of the latest run (by `createdAt`, then run id) of a report week, or null
 * when no run of that week was archived.
 */
export async function readLatestManifest(
  s3: S3Client,
  bucket: string,
  reportId: string,
  weekStart: string,
): Promise<RunManifest | null> {
  const keys = await listKeys(s3, bucket, manifestPrefix(reportId, weekStart));
  const manifests: RunManifest[] = [];
  await forEachLimited(keys, CONCURRENCY, async (key) => {
    manifests.push(
      parseWith(manifestSchema, await getJson(s3, bucket, key), key, 'archive_manifest_invalid'),
    );
  });
  manifests.sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId),
  );

  return manifests.at(-1) ?? null;
}

/**
 * Reads archived payloads back in the order of `keys`.
 *
 * @throws StoreError `archive_payload_missing` for a key with no object and
 * `archive_payload_invalid` for an object that is not a raw payload.
 */
export async function readArchivedPayloads(
  s3: S3Client,
  bucket: string,
  keys: string[],
): Promise<RawPayload[]> {
  const payloads: RawPayload[] = new Array(keys.length);
  await forEachLimited(keys, CONCURRENCY, async (key, index) => {
    payloads[index] = parseWith(
      rawPayloadSchema,
      await getJson(s3, bucket, key),
      key,
      'archive_payload_invalid',
    );
  });

  return payloads;
}

function manifestPrefix(reportId: string, weekStart: string): string {
  return `runs/${reportId}/${weekStart}/`;
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(value),
      ContentType: 'application/json',
    }),
  );
}

async function getJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  let text: string;
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await output.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (!(error instanceof NoSuchKey)) throw error;
    throw new StoreError(
      'archive_payload_missing',
      `Archived object ${key} not found in bucket ${bucket}`,
      {
        fix: 'fetch the week again instead of replaying it; the archive keeps objects for 90 days',
        cause: error,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StoreError('archive_payload_invalid', `Archived object ${key} is not valid JSON`, {
      fix: 'fetch the week again instead of replaying it',
      cause,
    });
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, key: string, code: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') || '(root)';

  throw new StoreError(
    code,
    `Archived object ${key} is invalid at ${path}: ${issue?.message ?? 'unknown'}`,
    {
      fix: 'fetch the week again instead of replaying it',
    },
  );
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const output = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    keys.push(...(output.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = output.IsTruncated ? output.NextContinuationToken : undefined;
  } while (token);

  return keys;
}

function requireSegment(part: string, where: string): void {
  if (typeof part !== 'string' || !SEGMENT.test(part)) {
    throw new StoreError(
      'archive_key_invalid',
      `Invalid archive key part "${String(part)}" of ${where}`,
      {
        fix: 'use letters, digits, dots, dashes, underscores and = only, with no slash',
      },
    );
  }
}
