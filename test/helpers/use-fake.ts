import { useResource } from './use-resource.ts';

/**
 * Starts a fake server with `start` before the tests of the calling file and closes it after
 * them. Call it at the top level of a test file or a describe block. The returned function gives
 * the running fake inside tests and hooks.
 */
export function useFake<Fake extends { close(): Promise<void> }>(
  start: () => Promise<Fake>,
): () => Fake {
  return useResource('The fake', start, (fake) => fake.close());
}
