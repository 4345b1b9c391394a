import { afterAll, beforeAll } from 'vitest';

/**
 * Starts a resource with `start` before the tests of the calling file and releases it with
 * `stop` after them. Call it at the top level of a test file or a describe block. The returned
 * function gives the running resource inside tests and hooks, and throws elsewhere, naming it
 * with `name`.
 */
export function useResource<Resource>(
  name: string,
  start: () => Promise<Resource>,
  stop: (resource: Resource) => Promise<void>,
): () => Resource {
  let resource: Resource | null = null;

  beforeAll(async () => {
    resource = await start();
  });

  afterAll(async () => {
    if (resource !== null) await stop(resource);
    resource = null;
  });

  return () => {
    if (resource === null) throw new Error(`${name} is available only inside tests and hooks`);

    return resource;
  };
}
