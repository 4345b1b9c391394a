import { afterAll, beforeAll } from 'vitest';

/**
 * Starts a fake server with `start` before the tests of the calling file and closes it after
 * them. Call it at the top level of a test file or a describe block. The returned function gives
 * the running fake inside tests and hooks.
 */
export function useFake<Fake extends { close(): Promise<void> }>(
  start: () => Promise<Fake>,
): () => Fake {
  let fake: Fake | null = null;

  beforeAll(async () => {
    fake = await start();
  });

  afterAll(async () => {
    await fake?.close();
    fake = null;
  });

  return () => {
    if (!fake) throw new Error('The fake runs only inside tests and hooks');

    return fake;
  };
}
