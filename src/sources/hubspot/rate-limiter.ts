/** Time source and wait function, injected so tests run on a fake clock. */
export interface Clock {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** A sliding-window limiter: at most `maxRequests` starts in any `intervalMs` window. */
export interface RateLimiter {
  /** Resolves when one more request may start, sleeping through `clock` until then. */
  acquire(clock: Clock): Promise<void>;
}

/** Creates a sliding-window rate limiter. */
export function createRateLimiter(options: {
  maxRequests: number;
  intervalMs: number;
}): RateLimiter {
  const starts: number[] = [];

  return {
    async acquire(clock: Clock): Promise<void> {
      for (;;) {
        const now = clock.now().getTime();
        while (starts.length > 0 && (starts[0] as number) <= now - options.intervalMs) {
          starts.shift();
        }
        if (starts.length < options.maxRequests) {
          starts.push(now);
          return;
        }
        await clock.sleep((starts[0] as number) + options.intervalMs - now);
      }
    },
  };
}
