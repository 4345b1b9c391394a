import { createRequire } from 'node:module';
import { join } from 'node:path';
import { StoreError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

/** The part of the `level` package (version 10, the one dynalite 4 depends on) used here. */
interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

type LevelConstructor = new (path: string) => LevelDatabase;

/** A held data dir lock; `release()` frees it for other processes. */
export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Locks `dataDir` for this process until `release()` by keeping a LevelDB database open in its
 * `lock` subfolder. LevelDB takes an fcntl lock on that database's LOCK file, so a second process
 * fails here, and so does a second backend in this process. The operating system frees the lock
 * when the process ends, even on a crash or a kill.
 *
 * Take this lock before touching the DynamoDB or S3 folders. A check that opens and closes the
 * DynamoDB database alone leaves a window before dynalite opens it, and a process that loses that
 * race dies with dynalite's "Database is closed" stack trace.
 *
 * @throws StoreError (`data_dir_unavailable`) when another process holds the lock or the folder
 * cannot be opened, e.g. because it is not writable.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const db = await openLevelDb(join(dataDir, 'lock'), dataDir);
  let released: Promise<void> | null = null;

  return { release: () => (released ??= db.close()) };
}

/**
 * Opens and closes the LevelDB database at `path` to check that dynalite can open it. dynalite
 * opens its database lazily, and when that fails its first request throws "Database is closed"
 * outside any promise, which ends the process with a stack trace. Checking first turns a folder
 * that is not writable into a StoreError.
 *
 * NOTE: this check alone races with other processes, so call it while holding `lockDataDir`.
 */
export async function checkLevelDbLock(path: string, dataDir: string): Promise<void> {
  const db = await openLevelDb(path, dataDir);
  await db.close();
}

async function openLevelDb(path: string, dataDir: string): Promise<LevelDatabase> {
  const db = new (loadLevel())(path);
  try {
    await db.open();
  } catch (error) {
    const reason = levelReason(error);
    logger.info('Data folder not opened', { dataDir, path, reason });
    throw dataDirError(dataDir, reason, error);
  }

  return db;
}

/**
 * LevelDB's message when another handle has the LOCK file open: "IO error: lock PATH/LOCK:
 * Resource temporarily unavailable" from another process, "… already held by process" from this
 * one. Other failures, such as a folder that is not writable, name the path without "lock ".
 */
const HELD_LOCK = /\block \S*LOCK:/;

/** Builds the error: the in-use case in the README's terms, other faults with LevelDB's message. */
function dataDirError(dataDir: string, reason: string, cause: unknown): StoreError {
  if (HELD_LOCK.test(reason)) {
    return new StoreError(
      'data_dir_unavailable',
      `The --data folder ${dataDir} is in use by another adreport process (run, backfill, serve…)`,
      { fix: 'wait for it to finish or use another --data folder', cause },
    );
  }

  return new StoreError(
    'data_dir_unavailable',
    `The --data folder ${dataDir} could not be opened (${reason})`,
    { fix: 'check that the folder is writable, or use another --data folder', cause },
  );
}

/** Loads `level` from dynalite's own dependencies, so both open the database the same way. */
function loadLevel(): LevelConstructor {
  const requireFromDynalite = createRequire(import.meta.resolve('dynalite'));

  return (requireFromDynalite('level') as { Level: LevelConstructor }).Level;
}

/** Extracts the LevelDB message behind `level`'s generic "Database failed to open". */
function levelReason(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const reason = cause instanceof Error ? cause : error;

  return reason instanceof Error ? reason.message : String(reason);
}
