/** Runs `run` over `values` with at most `limit` calls in flight. Rejects on the first failure. */
export async function forEachLimited<T>(
  values: readonly T[],
  limit: number,
  run: (value: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < values.length) {
      const index = next;
      next += 1;
      await run(values[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
}
