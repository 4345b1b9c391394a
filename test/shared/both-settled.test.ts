import { describe, expect, it } from 'vitest';
import { bothSettled } from '../../src/shared/both-settled.ts';

describe('bothSettled', () => {
  it('returns both values', async () => {
    expect(await bothSettled(Promise.resolve(1), Promise.resolve('a'))).toEqual([1, 'a']);
  });

  it('throws the first failure in argument order', async () => {
    const error = await bothSettled(
      Promise.reject(new Error('first')),
      Promise.reject(new Error('second')),
    ).catch((caught: Error) => caught.message);

    expect(error).toBe('first');
  });

  it('waits for the other promise before throwing', async () => {
    let finished = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        finished = true;
        resolve();
      }, 20),
    );

    await bothSettled(Promise.reject(new Error('fast')), slow).catch(() => {});

    expect(finished).toBe(true);
  });
});
