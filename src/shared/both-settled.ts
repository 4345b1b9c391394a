/**
 * Awaits both promises, so a failure of one never leaves the other running unobserved, then
 * throws the first failure in argument order or returns both values.
 */
export async function bothSettled<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;

  return [a.value, b.value];
}
