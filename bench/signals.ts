/**
 * Benchmark of the stability-first statuses against the naive rule "a week-over-week change
 * beyond ±10 % is an alert", on seeded simulated campaigns. Writes docs/bench/signals.md and
 * docs/bench/signals.json.
 *
 * Run: npm run bench:signals -- [--seed 20261130] [--campaigns 2000]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { computeEntitySignals, type SeriesPoint } from '../src/analysis/signals.ts';
import { type Thresholds, thresholdsSchema } from '../src/config/schema.ts';
import type { KpiKey, Metrics } from '../src/shared/types.ts';
import { shiftWeek, weekContaining } from '../src/shared/week.ts';

// ---------------------------------------------------------------- random numbers (seeded)

type Random = () => number;

/** Mulberry32: a small, fast, seedable 32-bit generator. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

/** What changes in a campaign's true lead rate or budget, week by week. */
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
 * Two markets: one where only the budget drifts and every other variation is counting noise
 * (Poisson leads, binomial clicks), and a noisier one where CPM, CTR and the lead rate also move
 * 5–6 % from week to week, as auctions and audiences do.
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
 * Simulates `weeks` weeks of one campaign that brings `leadsPerWeek` leads on average: spend
 * drifts (AR(1) on the log scale plus rare lasting budget changes), impressions follow spend and
 * CPM, clicks are binomial on impressions, leads Poisson on clicks times the lead rate.
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

// ---------------------------------------------------------------- the two rules

/** Week starts of the simulated weeks, computed once (date arithmetic is slower than the rules). */
const WEEK_STARTS = Array.from(
  { length: 64 },
  (_, index) => shiftWeek(weekContaining('2026-01-05'), index).start,
);
const NAIVE_KPIS: KpiKey[] = ['leads', 'cpl', 'ctr', 'cpc'];

/** True when the stability-first statuses put any KPI of the week at `index` in ALERT. */
function stabilityAlert(weeks: Metrics[], index: number, thresholds: Thresholds): boolean {
  const first = Math.max(0, index - 11);
  const series: SeriesPoint[] = weeks.slice(first, index + 1).map((metrics, offset) => ({
    weekStart: WEEK_STARTS[first + offset] as string,
    metrics,
  }));
  const signals = computeEntitySignals({
    level: 'campaign',
    id: 'simulated',
    name: 'Simulated campaign',
    propertyId: 'bench',
    currency: 'USD',
    isLeadGen: true,
    series,
    thresholds,
  });

  return signals.kpis.some((kpi) => kpi.status === 'ALERT');
}

/** The naive rule: leads, CPL, CTR or CPC moved more than 10 % from the week before. */
function naiveAlert(weeks: Metrics[], index: number): boolean {
  const current = weeks[index];
  const previous = weeks[index - 1];
  if (!current || !previous) return false;

  return NAIVE_KPIS.some((key) => {
    const before = naiveValue(previous, key);
    const after = naiveValue(current, key);
    if (before === null || after === null || before === 0) return after !== before;

    return Math.abs(after / before - 1) > 0.1;
  });
}

function naiveValue(metrics: Metrics, key: KpiKey): number | null {
  if (key === 'leads') return metrics.leads;
  if (key === 'cpl') return metrics.leads ? metrics.spendMinor / metrics.leads : null;
  if (key === 'ctr') return metrics.impressions ? metrics.clicks / metrics.impressions : null;

  return metrics.clicks ? metrics.spendMinor / metrics.clicks : null;
}

// ---------------------------------------------------------------- experiments

const WARM_UP_WEEKS = 12;
const STATIONARY_WEEKS = 26;

interface AlertCount {
  stability: number;
  naive: number;
}

interface Experiment {
  random: Random;
  market: Market;
  campaigns: number;
  thresholds: Thresholds;
}

/** Stationary campaigns of 3 to 300 leads a week: campaign-weeks with any ALERT. */
function runStationary({ random, market, campaigns, thresholds }: Experiment) {
  const count: AlertCount = { stability: 0, naive: 0 };
  for (let index = 0; index < campaigns; index += 1) {
    const volume = logUniform(random, 3, 300);
    const weeks = simulateCampaign(random, market, volume, WARM_UP_WEEKS + STATIONARY_WEEKS, {
      kind: 'stationary',
    });
    for (let week = WARM_UP_WEEKS; week < weeks.length; week += 1) {
      if (stabilityAlert(weeks, week, thresholds)) count.stability += 1;
      if (naiveAlert(weeks, week)) count.naive += 1;
    }
  }

  return { campaignWeeks: campaigns * STATIONARY_WEEKS, ...count };
}

const DECLINE_BUCKETS: Array<[number, number]> = [
  [20, 40],
  [40, 80],
  [80, 200],
  [200, 1000],
];

/**
 * Campaigns of 20 to 1,000 leads a week (log-uniform) whose lead rate falls 25 % for good in
 * week 13:
 * campaigns with an ALERT in the first three weeks of the decline, by weekly lead volume, and
 * in the first four weeks overall.
 */
function runDecline({ random, market, campaigns, thresholds }: Experiment) {
  const buckets = DECLINE_BUCKETS.map(([low, high]) => ({
    low,
    high,
    campaigns: 0,
    stability: 0,
    naive: 0,
  }));
  const total = { campaigns, stability: 0, naive: 0, stabilityWithinFourWeeks: 0 };
  const scenario: Scenario = { kind: 'decline', onset: WARM_UP_WEEKS, factor: 0.75 };
  for (let index = 0; index < campaigns; index += 1) {
    const volume = logUniform(random, 20, 1000);
    const weeks = simulateCampaign(random, market, volume, WARM_UP_WEEKS + 4, scenario);
    const flagged = [0, 1, 2, 3].map((offset) =>
      stabilityAlert(weeks, WARM_UP_WEEKS + offset, thresholds),
    );
    const naive = [0, 1, 2].some((offset) => naiveAlert(weeks, WARM_UP_WEEKS + offset));
    const stability = flagged.slice(0, 3).some(Boolean);
    const bucket =
      buckets.find((item) => volume < item.high) ?? (buckets.at(-1) as (typeof buckets)[0]);
    bucket.campaigns += 1;
    bucket.stability += Number(stability);
    bucket.naive += Number(naive);
    total.stability += Number(stability);
    total.naive += Number(naive);
    total.stabilityWithinFourWeeks += Number(flagged.some(Boolean));
  }

  return { total, buckets };
}

/**
 * Campaigns of 20 to 200 leads a week with one abnormal week that recovers: campaigns with an
 * ALERT in that week, and in the three weeks after it. `factor` 1 gives the same counts without
 * the spike (the control).
 */
function runSpike(experiment: Experiment, kind: 'rate_spike' | 'spend_spike', factor: number) {
  const { random, market, campaigns, thresholds } = experiment;
  const count = { campaigns, spikeWeek: 0, after: 0, naive: 0 };
  const scenario: Scenario = { kind, week: WARM_UP_WEEKS, factor };
  for (let index = 0; index < campaigns; index += 1) {
    const volume = logUniform(random, 20, 200);
    const weeks = simulateCampaign(random, market, volume, WARM_UP_WEEKS + 4, scenario);
    const flagged = [0, 1, 2, 3].map((offset) =>
      stabilityAlert(weeks, WARM_UP_WEEKS + offset, thresholds),
    );
    count.spikeWeek += Number(flagged[0]);
    count.after += Number(flagged.slice(1).some(Boolean));
    count.naive += Number([0, 1, 2, 3].some((offset) => naiveAlert(weeks, WARM_UP_WEEKS + offset)));
  }

  return count;
}

/** Runs every experiment in one market; each gets its own stream so results do not shift. */
function runMarket(seed: number, market: Market, campaigns: number, thresholds: Thresholds) {
  const experiment = (offset: number): Experiment => ({
    random: seededRandom(seed + offset),
    market,
    campaigns,
    thresholds,
  });

  return {
    market: market.name,
    stationary: runStationary(experiment(0)),
    decline: runDecline(experiment(1)),
    rateSpike: runSpike(experiment(2), 'rate_spike', 0.5),
    spendSpike: runSpike(experiment(3), 'spend_spike', 2),
    spikeControl: runSpike(experiment(2), 'rate_spike', 1),
  };
}

/** False-alert and detection rates of the noisy market for several `alertSigma` values. */
function sweepAlertSigma(seed: number, campaigns: number, thresholds: Thresholds) {
  const noisy = MARKETS[1] as Market;

  return [2, 2.5, 3, 3.5].map((alertSigma) => {
    const tuned = { ...thresholds, alertSigma };
    const stationary = runStationary({
      random: seededRandom(seed),
      market: noisy,
      campaigns,
      thresholds: tuned,
    });
    const decline = runDecline({
      random: seededRandom(seed + 1),
      market: noisy,
      campaigns,
      thresholds: tuned,
    });

    return {
      alertSigma,
      falseAlertRate: stationary.stability / stationary.campaignWeeks,
      detectedWithinThreeWeeks: decline.total.stability / decline.total.campaigns,
    };
  });
}

// ---------------------------------------------------------------- report

type MarketResult = ReturnType<typeof runMarket>;

const pct = (part: number, whole: number) => (whole ? Math.round((10000 * part) / whole) / 100 : 0);

/** Rows of the results table: measure, stability-first, naive, target. */
function resultRows(result: MarketResult): string[][] {
  const { stationary, decline, rateSpike, spendSpike, spikeControl } = result;
  const rows = [
    [
      'False ALERT, stationary campaign-weeks (3–300 leads/week)',
      `${pct(stationary.stability, stationary.campaignWeeks)} %`,
      `${pct(stationary.naive, stationary.campaignWeeks)} %`,
      '≤ 0.5 %',
    ],
    [
      '25 % lead-rate decline flagged within 3 weeks, 20–1,000 leads/week',
      `${pct(decline.total.stability, decline.total.campaigns)} %`,
      `${pct(decline.total.naive, decline.total.campaigns)} %`,
      '≥ 90 %',
    ],
    ...decline.buckets.map((bucket) => [
      `… of which ${bucket.low}–${bucket.high} leads/week (${bucket.campaigns} campaigns)`,
      `${pct(bucket.stability, bucket.campaigns)} %`,
      `${pct(bucket.naive, bucket.campaigns)} %`,
      '≥ 90 %',
    ]),
    [
      '… flagged within 4 weeks',
      `${pct(decline.total.stabilityWithinFourWeeks, decline.total.campaigns)} %`,
      '',
      '',
    ],
    ...spikeRows('One week at half the lead rate', rateSpike),
    ...spikeRows('One week at twice the spend', spendSpike),
    ...spikeRows('Control: the same campaigns with no spike', spikeControl),
  ];

  return rows;
}

function spikeRows(label: string, spike: ReturnType<typeof runSpike>): string[][] {
  return [
    [
      `${label}: ALERT in that week`,
      `${pct(spike.spikeWeek, spike.campaigns)} %`,
      `${pct(spike.naive, spike.campaigns)} % (weeks 0–3)`,
      '0 %',
    ],
    [`${label}: ALERT in the 3 weeks after`, `${pct(spike.after, spike.campaigns)} %`, '', '0 %'],
  ];
}

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function parseArgs(argv: string[]): { seed: number; campaigns: number } {
  const read = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    const value = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`Invalid ${name} "${argv[index + 1]}": use a positive integer`);
    }

    return value;
  };

  return { seed: read('--seed', 20261130), campaigns: read('--campaigns', 2000) };
}

function main(): void {
  const { seed, campaigns } = parseArgs(process.argv.slice(2));
  const thresholds = thresholdsSchema.parse({});
  const started = performance.now();
  const results = MARKETS.map((market) => runMarket(seed, market, campaigns, thresholds));
  const sweepCampaigns = Math.max(100, Math.round(campaigns / 4));
  const sweep = sweepAlertSigma(seed, sweepCampaigns, thresholds);
  const durationMs = Math.round(performance.now() - started);
  const machine = {
    nproc: Number(execFileSync('nproc').toString().trim()),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
  };
  for (const result of results) {
    console.log(`\n${result.market}`);
    console.table(
      resultRows(result).map(([measure, stability, naive, target]) => ({
        measure,
        stability,
        naive,
        target,
      })),
    );
  }
  console.table(sweep);
  const record = {
    seed,
    campaigns,
    sweepCampaigns,
    machine,
    durationMs,
    thresholds,
    markets: MARKETS,
    results,
    sweep,
  };
  writeFileSync('docs/bench/signals.json', `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync('docs/bench/signals.md', renderMarkdown(record));
  console.log(`Wrote docs/bench/signals.md and docs/bench/signals.json in ${durationMs} ms`);
}

function renderMarkdown(record: {
  seed: number;
  campaigns: number;
  sweepCampaigns: number;
  machine: { nproc: number; node: string; cpu: string };
  durationMs: number;
  thresholds: Thresholds;
  results: MarketResult[];
  sweep: ReturnType<typeof sweepAlertSigma>;
}): string {
  const header = ['Measure', 'Stability-first', 'Naive ±10 %', 'Target'];
  const sections = record.results.map(
    (result) => `### ${result.market}\n\n${markdownTable(header, resultRows(result))}`,
  );
  const sweepRows = record.sweep.map((row) => [
    String(row.alertSigma),
    `${pct(row.falseAlertRate, 1)} %`,
    `${pct(row.detectedWithinThreeWeeks, 1)} %`,
  ]);

  return `${[
    '# Signals benchmark',
    '',
    'Generated by `npm run bench:signals` (bench/signals.ts); do not edit by hand.',
    '',
    `Seed ${record.seed}, ${record.campaigns} simulated campaigns per experiment and market, ` +
      `default thresholds (\`${JSON.stringify(record.thresholds)}\`). Machine: ` +
      `${record.machine.nproc} CPUs (${record.machine.cpu}), Node ${record.machine.node}; ` +
      `the run took ${(record.durationMs / 1000).toFixed(1)} s.`,
    '',
    'Reproduce: `npm run bench:signals -- --seed 20261130 --campaigns 2000`.',
    '',
    ...sections.flatMap((section) => [section, '']),
    `### Trade-off of \`alertSigma\` (noisy market, ${record.sweepCampaigns} campaigns)`,
    '',
    markdownTable(
      ['alertSigma', 'False ALERT per campaign-week', 'Decline flagged within 3 weeks'],
      sweepRows,
    ),
    '',
  ].join('\n')}`;
}

if (process.argv[1]?.endsWith('signals.ts')) main();
