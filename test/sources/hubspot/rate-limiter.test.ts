import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/sources/hubspot/rate-limiter.ts';

function fakeClock() {
  let ms = 0;
  const sleeps: number[] = [];

  return {
    now: () => new Date(ms),
    sleep: async (wait: number) => {
      sleeps.push(wait);
      ms += wait;
    },
    advance: (wait: number) => {
      ms += wait;
    },
    sleeps,
    ms: () => ms,
  };
}

describe('createRateLimiter', () => {
  it('spaces starts to 4 per second', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ maxRequests: 4, intervalMs: 1000 });
    const starts: number[] = [];

    for (let index = 0; index < 12; index++) {
      await limiter.acquire(clock);
      starts.push(clock.ms());
    }

    expect(starts).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000]);
  });

  it('waits only for the oldest start to expire', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ maxRequests: 2, intervalMs: 1000 });
    await limiter.acquire(clock);
    clock.advance(700);
    await limiter.acquire(clock);

    await limiter.acquire(clock);

    expect(clock.sleeps).toEqual([300]);
  });

  it('does not wait when requests are slow', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ maxRequests: 4, intervalMs: 1000 });

    for (let index = 0; index < 8; index++) {
      await limiter.acquire(clock);
      clock.advance(250);
    }

    expect(clock.sleeps).toEqual([]);
  });
});
