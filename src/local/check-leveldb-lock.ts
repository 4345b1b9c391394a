import { createRequire } from 'node:module';
import { join } from 'node:path';
import { StoreError } from '../shared/errors.ts';

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
 * is not writable.
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
    throw new StoreError(
      'data_dir_unavailable',
      `Data dir ${dataDir} is in use by another adreport process, or not writable (${levelReason(error)})`,
      {
        fix: 'stop the other adreport run or serve that uses this folder, or pass another folder with --data',
        cause: error,
      },
    );
  }

  return db;
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
