/**
 * Runs `run` and returns the error it throws when that error is a `type`. Any other error is
 * rethrown, and a call that throws nothing fails the test.
 */
export function thrownError<T extends Error>(
  run: () => unknown,
  type: abstract new (...args: never[]) => T,
): T {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
