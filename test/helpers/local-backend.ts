import { randomUUID } from 'node:crypto';
import { type LocalBackend, startLocalBackend } from '../../src/local/emulators.ts';
import { useResource } from './use-resource.ts';

/**
 * Starts an in-memory local backend (dynalite, s3rver, aws-ses-v2-local on 127.0.0.1) before the
 * tests of the calling file and stops it after them. Call at the top level of a test file or a
 * describe block; the returned function gives the running backend inside tests and hooks.
 *
 * Tests of one file share the tables and the bucket, so give each test its own ids (see
 * `uniqueId`).
 */
export function useLocalBackend(): () => LocalBackend {
  return useResource(
    'The local backend',
    () => startLocalBackend({ dataDir: null }),
    (backend) => backend.stop(),
  );
}

/** Returns a random id such as `camp-1a2b3c4d`, so tests sharing tables do not collide. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
