import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Creates a temporary folder whose name starts with `prefix` before the tests of the calling
 * file, and removes it with its contents after them. The returned function gives its path.
 */
export function useTempDir(prefix: string): () => string {
  let dir: string | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  return () => {
    if (!dir) throw new Error('The temporary folder exists only inside tests and hooks');

    return dir;
  };
}
