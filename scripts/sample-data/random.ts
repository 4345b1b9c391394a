/**
 * Seeded random numbers for the sample data. Everything is derived from a 32-bit seed, so a run
 * produces the same values on every machine that runs the same V8 `Math` functions.
 */

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/** Creates a mulberry32 generator: small, fast and good enough for simulated ad metrics. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hashes text to a 32-bit seed (FNV-1a), so each campaign gets its own independent stream. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }

  return hash >>> 0;
}

/** Draws from a normal distribution with the Box-Muller transform. */
export function normal(random: Random, mean = 0, deviation = 1): number {
  const u = 1 - random();
  const v = random();

  return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Draws a Poisson count. Knuth's method underflows for large means, so the mean is split into
 * chunks of at most 30 and the draws are summed (a sum of Poisson variables is Poisson).
 */
export function poisson(random: Random, mean: number): number {
  let count = 0;
  let remaining = Math.max(0, mean);
  while (remaining > 0) {
    const chunk = Math.min(remaining, 30);
    count += poissonKnuth(random, chunk);
    remaining -= chunk;
  }

  return count;
}

function poissonKnuth(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let product = random();
  let count = 0;
  while (product > limit) {
    count += 1;
    product *= random();
  }

  return count;
}

/**
 * Draws a binomial count. Up to 2,000 trials it counts Bernoulli trials exactly. Above that it
 * uses the normal approximation clamped to [0, trials], which is close for large means such as
 * clicks on thousands of impressions.
 */
export function binomial(random: Random, trials: number, probability: number): number {
  if (trials <= 0 || probability <= 0) return 0;
  if (probability >= 1) return trials;
  if (trials <= 2000) {
    let count = 0;
    for (let index = 0; index < trials; index += 1) if (random() < probability) count += 1;

    return count;
  }
  const mean = trials * probability;
  const draw = Math.round(normal(random, mean, Math.sqrt(mean * (1 - probability))));

  return Math.min(trials, Math.max(0, draw));
}

/** Picks one item uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick() needs at least one item');

  return item;
}
