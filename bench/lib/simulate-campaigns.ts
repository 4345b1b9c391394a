/**
 * Seeded campaign simulator of the signals benchmark: random numbers, the two simulated markets
 * and weekly metrics of one campaign under a scripted scenario.
 */
import type { Random } from '../../scripts/sample-data/random.ts';
import type { Metrics } from '../../src/shared/types.ts';
import { shiftWeek, weekContaining } from '../../src/shared/week.ts';

// ---------------------------------------------------------------- random numbers (seeded)

// The sample data's generator, so both draw from one implementation.
export { mulberry32 as seededRandom } from '../../scripts/sample-data/random.ts';
export type { Random };

function normal(random: Random): number {
  const u = Math.max(random(), Number.MIN_VALUE);

  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson draw: Knuth's product method below a mean of 30, a rounded normal above it. */
function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count += 1;

  return count;
}

/** Binomial draw: Poisson for rare events, a rounded normal for large counts. */
function binomial(random: Random, trials: number, p: number): number {
  const mean = trials * p;
  if (mean < 30 || p < 0.05) return Math.min(trials, poisson(random, mean));
  const draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(random));

  return Math.min(trials, Math.max(0, draw));
}

export const logUniform = (random: Random, low: number, high: number) =>
  Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)));

// ---------------------------------------------------------------- campaign simulator

/** Scripted change to a campaign's true lead rate or budget, week by week. */
export type Scenario =
  | { kind: 'stationary' }
  | { kind: 'decline'; onset: number; factor: number }
  | { kind: 'rate_spike'; week: number; factor: number }
  | { kind: 'spend_spike'; week: number; factor: number };

/** Week-to-week variation of the budget and of the true rates (log-normal spreads). */
export interface Market {
  name: string;
  spendAutocorrelation: number;
  spendSpread: number;
  budgetChangeChance: number;
  budgetChangeSpread: number;
  cpmSpread: number;
  ctrSpread: number;
  leadRateSpread: number;
}

/**
 * Two simulated markets. In the first only the budget drifts, and every other variation is
 * counting noise (Poisson leads, binomial clicks). In the second, CPM, CTR and the lead rate also
 * move 5–6 % from week to week, as auctions and audiences do.
 */
export const MARKETS: Market[] = [
  {
    name: 'counting noise',
    spendAutocorrelation: 0.7,
    spendSpread: 0.08,
    budgetChangeChance: 0.04,
    budgetChangeSpread: 0.25,
    cpmSpread: 0,
    ctrSpread: 0,
    leadRateSpread: 0,
  },
  {
    name: 'noisy market',
    spendAutocorrelation: 0.7,
    spendSpread: 0.08,
    budgetChangeChance: 0.04,
    budgetChangeSpread: 0.25,
    cpmSpread: 0.06,
    ctrSpread: 0.05,
    leadRateSpread: 0.05,
  },
];

const LANDING_PAGE_VIEW_RATE = 0.75;
const HUBSPOT_MATCH_RATE = 0.6;

/**
 * Simulates `weeks` weeks of one campaign that brings `leadsPerWeek` leads on average. Spend
 * drifts (AR(1) on the log scale plus rare lasting budget changes). Impressions follow spend and
 * CPM, clicks are binomial on impressions, and leads are Poisson on clicks times the lead rate.
 */
export function simulateCampaign(
  random: Random,
  market: Market,
  leadsPerWeek: number,
  weeks: number,
  scenario: Scenario,
): Metrics[] {
  const leadRate = 0.03 + random() * 0.09;
  const ctr = 0.008 + random() * 0.017;
  const cpm = 5 + random() * 15;
  const baseSpend = ((leadsPerWeek / leadRate / ctr) * cpm) / 1000;
  let budget = 1;
  let drift = 0;

  return Array.from({ length: weeks }, (_, week) => {
    if (random() < market.budgetChangeChance) {
      budget *= Math.exp(market.budgetChangeSpread * normal(random));
    }
    drift = market.spendAutocorrelation * drift + market.spendSpread * normal(random);
    const spend = baseSpend * budget * Math.exp(drift) * spendFactor(scenario, week);
    const weekCpm = cpm * Math.exp(market.cpmSpread * normal(random));
    const impressions = poisson(random, (spend / weekCpm) * 1000);
    const clicks = binomial(random, impressions, ctr * Math.exp(market.ctrSpread * normal(random)));
    const rate = leadRate * Math.exp(market.leadRateSpread * normal(random));
    const leads = poisson(random, clicks * rate * rateFactor(scenario, week));
    const spendMinor = Math.round(spend * 100);

    return {
      spendMinor,
      impressions,
      clicks,
      leads,
      landingPageViews: binomial(random, clicks, LANDING_PAGE_VIEW_RATE),
      hubspotLeads: binomial(random, leads, HUBSPOT_MATCH_RATE),
      cplSpendMinor: spendMinor,
      cplLeads: leads,
    };
  });
}

function rateFactor(scenario: Scenario, week: number): number {
  if (scenario.kind === 'decline' && week >= scenario.onset) return scenario.factor;
  if (scenario.kind === 'rate_spike' && week === scenario.week) return scenario.factor;

  return 1;
}

function spendFactor(scenario: Scenario, week: number): number {
  return scenario.kind === 'spend_spike' && week === scenario.week ? scenario.factor : 1;
}

/** Week starts of the simulated weeks, computed once (date arithmetic is slower than the rules). */
export const WEEK_STARTS = Array.from(
  { length: 64 },
  (_, index) => shiftWeek(weekContaining('2026-01-05'), index).start,
);
