import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockDataDir } from '../../src/local/check-leveldb-lock.ts';
import { type LocalBackend, startLocalBackend } from '../../src/local/emulators.ts';
import { ConfigError } from '../../src/shared/errors.ts';

describe('startLocalBackend', () => {
  const started: LocalBackend[] = [];
  const folders: string[] = [];

  async function start(dataDir: string | null): Promise<LocalBackend> {
    const backend = await startLocalBackend({ dataDir });
    started.push(backend);

    return backend;
  }

  async function tempFolder(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'adreport-backend-test-'));
    folders.push(folder);

    return folder;
  }

  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(started.splice(0).map((backend) => backend.stop()));
    await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
  });

  it('listens on loopback addresses only', async () => {
    const backend = await start(null);

    const hosts = Object.values(backend.endpoints).map((url) => new URL(url).hostname);

    expect(hosts).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('creates both tables as ACTIVE', async () => {
    const backend = await start(null);

    const statuses = await Promise.all(
      [backend.metricsTable, backend.stateTable].map(async (name) => {
        const output = await backend.clients.dynamoRaw.send(
          new DescribeTableCommand({ TableName: name }),
        );
        return output.Table?.TableStatus;
      }),
    );

    expect(statuses).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('stores objects in the bucket', async () => {
    const backend = await start(null);
    const { s3, bucket } = { s3: backend.clients.s3, bucket: backend.bucket };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.json', Body: '{"x":1}' }));

    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.json' }));

    expect(await output.Body?.transformToString()).toBe('{"x":1}');
  });

  it('reads back emails sent through SES', async () => {
    const backend = await start(null);
    await backend.clients.ses.send(
      new SendEmailCommand({
        Source: 'reports@example.com',
        Destination: { ToAddresses: ['lead@example.com'] },
        Message: { Subject: { Data: 'Weekly report' }, Body: { Text: { Data: 'Hello' } } },
      }),
    );

    const emails = await backend.readSentEmails();

    expect(emails.map((e) => [e.subject, e.destination.to])).toEqual([
      ['Weekly report', ['lead@example.com']],
    ]);
  });

  it('hides emails sent before it started', async () => {
    const first = await start(null);
    await first.clients.ses.send(
      new SendEmailCommand({
        Source: 'reports@example.com',
        Destination: { ToAddresses: ['lead@example.com'] },
        Message: { Subject: { Data: 'Earlier' }, Body: { Text: { Data: 'Hello' } } },
      }),
    );
    const second = await start(null);

    const emails = await second.readSentEmails();

    expect(emails).toEqual([]);
  });

  it('keeps data across restarts with a dataDir', async () => {
    const dataDir = await tempFolder();
    const first = await start(dataDir);
    await first.clients.dynamo.send(
      new PutCommand({ TableName: first.stateTable, Item: { pk: 'p', sk: 's', value: 7 } }),
    );
    await first.clients.s3.send(
      new PutObjectCommand({ Bucket: first.bucket, Key: 'k.json', Body: '[1]' }),
    );
    await first.stop();
    const second = await start(dataDir);

    const item = await second.clients.dynamo.send(
      new GetCommand({ TableName: second.stateTable, Key: { pk: 'p', sk: 's' } }),
    );
    const object = await second.clients.s3.send(
      new GetObjectCommand({ Bucket: second.bucket, Key: 'k.json' }),
    );

    expect(item.Item?.value).toBe(7);
    expect(await object.Body?.transformToString()).toBe('[1]');
  });

  it('removes its temporary folder on stop', async () => {
    const before = await listTempS3Folders();
    const backend = await start(null);
    await backend.stop();

    const after = await listTempS3Folders();

    expect(after.filter((name) => !before.includes(name))).toEqual([]);
  });

  it('stops twice without error', async () => {
    const backend = await start(null);
    await backend.stop();

    await expect(backend.stop()).resolves.toBeUndefined();
  });

  it('rejects a data dir in use', async () => {
    const dataDir = await tempFolder();
    await start(dataDir);

    const second = startLocalBackend({ dataDir });

    await expect(second).rejects.toMatchObject({
      name: 'StoreError',
      code: 'data_dir_unavailable',
      message: expect.stringContaining(
        `The --data folder ${dataDir} is in use by another adreport process`,
      ),
    });
  });

  it('rejects a data dir another process locked', async () => {
    const dataDir = await tempFolder();
    const lock = await lockDataDir(dataDir);

    const backend = startLocalBackend({ dataDir });

    await expect(backend).rejects.toMatchObject({ code: 'data_dir_unavailable' });
    await lock.release();
  });

  // Two processes that start at once used to pass the open-and-close check together, and the one
  // whose dynalite then lost the LevelDB lock died with "Database is closed" and a stack trace.
  it('ends a start race with data_dir_unavailable', { timeout: 60_000 }, async () => {
    const outcomes: string[][] = [];
    for (let round = 0; round < 3; round += 1) {
      const dataDir = await tempFolder();
      outcomes.push(await Promise.all([holdBackend(dataDir), holdBackend(dataDir)]));
    }

    const sorted = outcomes.map((pair) => pair.toSorted());

    expect(sorted).toEqual(Array(3).fill(['data_dir_unavailable', 'started']));
  });

  it('starts on a data dir once released', async () => {
    const dataDir = await tempFolder();
    const first = await startLocalBackend({ dataDir });
    await first.stop();

    const second = await start(dataDir);

    expect(second.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('rejects a data dir that is a file', async () => {
    const dataDir = join(await tempFolder(), 'file');
    await writeFile(dataDir, 'not a folder');

    const backend = startLocalBackend({ dataDir });

    await expect(backend).rejects.toMatchObject({
      name: 'StoreError',
      code: 'data_dir_not_writable',
      message: expect.stringContaining(`Failed to create data dir ${dataDir}`),
    });
  });

  it('rejects an SMTP relay setting', async () => {
    vi.stubEnv('SMTP_TRANSPORT', '{"host":"127.0.0.1"}');

    await expect(startLocalBackend({ dataDir: null })).rejects.toBeInstanceOf(ConfigError);
  });
});

/** Runs hold-backend.ts in a child process and returns its outcome line, or all its output. */
function holdBackend(dataDir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'hold-backend.ts'), dataDir, '3000'],
    { env: { ...process.env, SMTP_TRANSPORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });

  return new Promise((resolve) => {
    child.on('close', () =>
      resolve(/^(started|data_dir_unavailable)\n$/.test(output) ? output.trim() : output),
    );
  });
}

async function listTempS3Folders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('adreport-s3-'));
}
