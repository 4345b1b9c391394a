import { createRequire } from 'node:module';
import { StoreError } from '../shared/errors.ts';

/** The part of the `level` package (version 10, the one dynalite 4 depends on) used here. */
interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

type LevelConstructor = new (path: string) => LevelDatabase;

/**
 * Opens and closes the LevelDB database at `path` to check that dynalite can open it. dynalite
 * opens its database lazily, and when that fails (the LOCK file is held by another process, or the
 * folder is not writable) its first request throws "Database is closed" outside any promise, which
 * ends the process with a stack trace. Checking first turns that into a StoreError.
 *
 * NOTE: another process can still take the lock between this check and dynalite's open.
 */
export async function checkLevelDbLock(path: string, dataDir: string): Promise<void> {
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
  await db.close();
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
