import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useResource } from './use-resource.ts';

/**
 * Creates a temporary folder whose name starts with `prefix` before the tests of the calling
 * file, and removes it with its contents after them. The returned function gives its path.
 */
export function useTempDir(prefix: string): () => string {
  return useResource(
    'The temporary folder',
    () => mkdtemp(join(tmpdir(), prefix)),
    (dir) => rm(dir, { recursive: true, force: true }),
  );
}
