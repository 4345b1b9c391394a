/**
 * Best possible detection of the benchmark's lead-rate decline: a test that is given the true
 * rate and the market noise, as the bound the measured rule is compared with.
 */
import { MARKETS, type Market } from './simulate-campaigns.ts';

/** Weekly lead volumes by which the decline experiment reports detection. */
export const DECLINE_BUCKETS: Array<[number, number]> = [
  [20, 40],
  [40, 80],
  [80, 200],
  [200, 1000],
];

/** Target false-alert rate per campaign-week, the budget the best possible test may spend. */
export const FALSE_ALERT_TARGET = 0.005;

/**
 * Detection by the best possible test of the 25 % decline in each bucket and over 20 to 1,000
 * leads a week, in each market. The test is given the true weekly lead rate and the market's
 * extra noise. It compares the sum of the last `weeks` weeks with the known rate and spends
 * the whole false-alert target on this one comparison. `weeks` 3 uses every week of the
 * decline, as a test that ignores spikes may. `weeks` 2 is a test that can set one of the
 * three weeks aside, roughly what a spike-safe test keeps. The best test reads leads given the
 * week's clicks. `threeWeeksPerSpend` is the best test that reads leads per unit of spend.
 */
export function bestPossibleDetection(alpha: number) {
  const ranges: Array<[number, number]> = [...DECLINE_BUCKETS, [20, 1000]];

  return MARKETS.map((market) => {
    const perClick = clickNoise(market);
    const perSpend = spendNoise(market);
    const detect = (weeks: number, extra: number) => (low: number, high: number) =>
      averageOverVolumes(low, high, (leads) => oracleDetection(extra, leads, weeks, alpha));

    return {
      market: market.name,
      byBucket: ranges.map(([low, high]) => ({
        low,
        high,
        threeWeeks: detect(3, perClick)(low, high),
        twoWeeks: detect(2, perClick)(low, high),
        threeWeeksPerSpend: detect(3, perSpend)(low, high),
      })),
    };
  });
}

/**
 * Returns the weekly variance of leads given the clicks beyond counting noise: only the lead
 * rate's own spread, because CPM and CTR act before the click.
 */
export function clickNoise(market: Market): number {
  return market.leadRateSpread ** 2;
}

/** Returns the weekly variance of leads per unit of spend beyond counting noise. */
export function spendNoise(market: Market): number {
  return market.cpmSpread ** 2 + market.ctrSpread ** 2 + market.leadRateSpread ** 2;
}

/** Averages `rate` over weekly volumes log-uniform between `low` and `high`, as simulated. */
function averageOverVolumes(low: number, high: number, rate: (leads: number) => number): number {
  const points = 200;
  let sum = 0;
  for (let index = 0; index < points; index += 1) {
    sum += rate(low * (high / low) ** ((index + 0.5) / points));
  }

  return sum / points;
}

/**
 * Detection rate of the best possible test for a 25 % fall at `leads` a week over `weeks`
 * weeks, with false alerts at rate `alpha`. With counting noise alone the sum is Poisson and
 * the rate exact. With market noise of variance `extra` (τ², log-normal) the relative error of
 * the sum is √((1/n + τ²)/weeks), and the rate comes from the normal approximation.
 */
function oracleDetection(extra: number, leads: number, weeks: number, alpha: number): number {
  if (extra === 0) {
    const threshold = poissonLowerQuantile(weeks * leads, alpha);

    return threshold < 0 ? 0 : poissonCdf(threshold, 0.75 * weeks * leads);
  }
  const relativeError = Math.sqrt((1 / leads + extra) / weeks);

  return normalCdf(0.25 / relativeError - normalQuantile(1 - alpha));
}

/** Returns the largest k with P(X ≤ k) ≤ alpha for X ~ Poisson(mean), or −1 when none. */
function poissonLowerQuantile(mean: number, alpha: number): number {
  // Terms are summed from their logarithms, because e^−mean underflows for means above ~700.
  let logTerm = -mean;
  let cdf = Math.exp(logTerm);
  if (cdf > alpha) return -1;
  for (let k = 1; ; k += 1) {
    logTerm += Math.log(mean / k);
    const next = cdf + Math.exp(logTerm);
    if (next > alpha) return k - 1;
    cdf = next;
  }
}

function poissonCdf(k: number, mean: number): number {
  let logTerm = -mean;
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log(mean / i);
    sum += Math.exp(logTerm);
  }

  return Math.min(1, sum);
}

/** Standard normal CDF from the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e−7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);

  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Standard normal quantile by bisection on `normalCdf`. */
export function normalQuantile(p: number): number {
  let low = -10;
  let high = 10;
  for (let step = 0; step < 100; step += 1) {
    const middle = (low + high) / 2;
    if (normalCdf(middle) < p) low = middle;
    else high = middle;
  }

  return (low + high) / 2;
}
