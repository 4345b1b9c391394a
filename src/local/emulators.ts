import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { type AwsClients, createAwsClients, destroyAwsClients } from '../storage/aws-clients.ts';
import { ensureTables } from '../storage/table-definitions.ts';
import { checkLevelDbLock, type DataDirLock, lockDataDir } from './check-leveldb-lock.ts';

/** An email as aws-ses-v2-local stored it. */
export interface SentEmail {
  messageId: string;
  from: string;
  subject: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  body: { html?: string; text?: string };
  attachments: Array<{ filename?: string; contentType: string; size: number }>;
  /** Epoch seconds. */
  at: number;
}

export interface LocalBackend {
  endpoints: { dynamodb: string; s3: string; ses: string };
  metricsTable: string;
  stateTable: string;
  bucket: string;
  clients: AwsClients;
  /** Messages aws-ses-v2-local accepted, read back through its GET /store. */
  readSentEmails(): Promise<SentEmail[]>;
  stop(): Promise<void>;
}

/** Table and bucket names the local backend creates. */
export const LOCAL_NAMES = {
  metricsTable: 'adreport-metrics',
  stateTable: 'adreport-state',
  bucket: 'adreport-archive',
} as const;

/** Key pair that s3rver checks request signatures against. The other emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const HOST = '127.0.0.1';

/**
 * Starts dynalite, s3rver and aws-ses-v2-local on 127.0.0.1 with random ports, then creates the
 * tables and the bucket. With `dataDir` null, everything lives in memory or in a temporary folder
 * that `stop()` deletes. With a folder, DynamoDB data (LevelDB) and S3 objects persist there.
 *
 * @throws ConfigError when `SMTP_TRANSPORT` is set, because aws-ses-v2-local would then relay
 * every message to a real mail server.
 * @throws StoreError when `dataDir` cannot be created, or its DynamoDB data is locked by another
 * process or not writable.
 */
export async function startLocalBackend(options: {
  dataDir: string | null;
  /** A DynamoDB emulator already running elsewhere, used instead of starting dynalite here. */
  dynamodbUrl?: string;
}): Promise<LocalBackend> {
  rejectSmtpRelay();
  const startedAt = performance.now();
  const folders = await prepareFolders(options.dataDir);
  const lock = options.dataDir === null ? null : await lockDataDir(options.dataDir);
  let servers: [RunningServer, RunningServer, RunningServer];
  try {
    servers = await startServers(folders, options.dataDir, options.dynamodbUrl);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const [dynamodb, s3, ses] = servers;
  const endpoints = { dynamodb: dynamodb.url, s3: s3.url, ses: ses.url };
  const clients = createAwsClients({
    region: 'us-east-1',
    endpoints,
    credentials: LOCAL_CREDENTIALS,
  });
  const stop = stopper(servers, clients, folders.temporary, lock);
  let knownMessageIds: Set<string>;
  try {
    const [emails] = await Promise.all([
      fetchStore(ses.url),
      ensureTables(clients.dynamoRaw, LOCAL_NAMES),
    ]);
    knownMessageIds = new Set(emails.map((email) => email.messageId));
  } catch (error) {
    await stop();
    throw error;
  }
  logger.debug('Started local backend', { endpoints, durationMs: performance.now() - startedAt });

  return {
    endpoints,
    ...LOCAL_NAMES,
    clients,
    // The SES store is module-global, so messages that were there before this backend started
    // belong to another backend in the same process.
    readSentEmails: async () =>
      (await fetchStore(ses.url)).filter((email) => !knownMessageIds.has(email.messageId)),
    stop,
  };
}

type SesModule = typeof import('aws-ses-v2-local');

interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function rejectSmtpRelay(): void {
  if (process.env.SMTP_TRANSPORT?.trim()) {
    throw new ConfigError('smtp_relay_set', 'SMTP_TRANSPORT is set for a local run', {
      fix: 'unset SMTP_TRANSPORT; the local SES emulator would relay every report to that server',
    });
  }
}

async function prepareFolders(dataDir: string | null) {
  if (dataDir === null) {
    const temporary = await mkdtemp(join(tmpdir(), 'adreport-s3-'));

    return { dynamodb: undefined, s3: temporary, temporary };
  }
  const folders = { dynamodb: join(dataDir, 'dynamodb'), s3: join(dataDir, 's3') };
  try {
    await Promise.all([
      mkdir(folders.dynamodb, { recursive: true }),
      mkdir(folders.s3, { recursive: true }),
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new StoreError(
      'data_dir_not_writable',
      `Failed to create data dir ${dataDir} (${code})`,
      {
        fix: 'pass a folder you can write to with --data, not a file or a path inside a file',
        cause: error,
      },
    );
  }

  return { ...folders, temporary: null };
}

async function startServers(
  folders: { dynamodb?: string; s3: string },
  dataDir: string | null,
  dynamodbUrl: string | undefined,
): Promise<[RunningServer, RunningServer, RunningServer]> {
  if (folders.dynamodb && dataDir && !dynamodbUrl)
    await checkLevelDbLock(folders.dynamodb, dataDir);

  return Promise.all([
    dynamodbUrl ? { url: dynamodbUrl, close: async () => {} } : startDynalite(folders.dynamodb),
    startS3rver(folders.s3),
    startSes(),
  ]);
}

async function startDynalite(path: string | undefined): Promise<RunningServer> {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await listen(server);

  return { url: urlOf(server), close: () => closeServer(server) };
}

async function startS3rver(directory: string): Promise<RunningServer> {
  const { default: S3rver } = await import('s3rver');
  const s3rver = new S3rver({
    address: HOST,
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: LOCAL_NAMES.bucket, configs: [] }],
  });
  await s3rver.run();
  const server = (s3rver as unknown as { httpServer: Server }).httpServer;

  return { url: urlOf(server), close: () => closeServer(server) };
}

async function startSes(): Promise<RunningServer> {
  // Node's ESM loader hands over the CommonJS exports object as the default import, while
  // vitest's loader unwraps it to the function, so accept both shapes.
  const imported: unknown = (await import('aws-ses-v2-local')).default;
  const start = (
    typeof imported === 'function' ? imported : (imported as SesModule).default
  ) as SesModule['default'];
  const server = await start({ host: HOST, port: 0 });

  return { url: urlOf(server), close: () => closeServer(server) };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(server: Server): string {
  const address = server.address() as AddressInfo;

  return `http://${HOST}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets of the SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}

function stopper(
  servers: RunningServer[],
  clients: AwsClients,
  temporary: string | null,
  lock: DataDirLock | null,
) {
  let stopping: Promise<void> | null = null;

  return (): Promise<void> => {
    stopping ??= (async () => {
      destroyAwsClients(clients);
      try {
        await Promise.all(servers.map((server) => server.close()));
      } finally {
        // Released only after dynalite has closed its database, so the next process finds it free.
        await lock?.release();
      }
      if (temporary) await rm(temporary, { recursive: true, force: true });
    })();

    return stopping;
  };
}

async function fetchStore(sesUrl: string): Promise<SentEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) {
    throw new StoreError(
      'ses_store_unreadable',
      `GET ${sesUrl}/store returned ${response.status}`,
      {
        fix: 'restart the local backend; the SES emulator is not answering',
      },
    );
  }
  const body = (await response.json()) as { emails?: SentEmail[] };

  return body.emails ?? [];
}
