import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type LocalBackend, startLocalBackend } from '../../src/local/emulators.ts';

/**
 * Starts an in-memory local backend (dynalite, s3rver, aws-ses-v2-local on 127.0.0.1) before the
 * tests of the calling file and stops it after them. Call at the top level of a test file or a
 * describe block; the returned function gives the running backend inside tests and hooks.
 *
 * Tests of one file share the tables and the bucket, so give each test its own ids (see
 * `uniqueId`).
 */
export function useLocalBackend(): () => LocalBackend {
  let backend: LocalBackend | null = null;

  beforeAll(async () => {
    backend = await startLocalBackend({ dataDir: null });
  });

  afterAll(async () => {
    await backend?.stop();
    backend = null;
  });

  return () => {
    if (!backend) throw new Error('The local backend runs only inside tests and hooks');

    return backend;
  };
}

/** Returns a random id such as `camp-1a2b3c4d`, so tests sharing tables do not collide. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
