/** Tables and text of the signals benchmark page (docs/bench/signals.md). */
import {
  MAX_OUTLIER_EXTRA_SIGMA,
  OUTLIER_FREE_GAP_SD,
  OUTLIER_SIGMA_PER_SD,
} from '../../src/analysis/sustained-move.ts';
import type { BenchRecord, MarketResult, SpikeResult } from '../signals.ts';
import {
  clickNoise,
  DECLINE_BUCKETS,
  normalCdf,
  normalQuantile,
  spendNoise,
} from './best-detection.ts';
import { triedSection } from './signals-rules-tried.ts';
import { MARKETS } from './simulate-campaigns.ts';

export const pct = (part: number, whole: number) =>
  whole ? Math.round((10000 * part) / whole) / 100 : 0;

/** Rows of the results table: measure, stability-first, naive, target. */
export function resultRows(result: MarketResult): string[][] {
  const { stationary, decline, rateSpike, rateRise, spendSpike, spikeControl } = result;
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
    ...spikeRows('One week at twice the lead rate', rateRise),
    ...spikeRows('One week at twice the spend', spendSpike),
    ...spikeRows('Control: the same campaigns with no spike', spikeControl, ''),
  ];

  return rows;
}

/**
 * Returns the rows of a spike experiment. The target is no ALERT caused by the spike, so no
 * more ALERTs than the control has by chance.
 */
function spikeRows(
  label: string,
  spike: SpikeResult,
  target = '0 % above the control',
): string[][] {
  return [
    [
      `${label}: ALERT in that week`,
      `${pct(spike.spikeWeek, spike.campaigns)} %`,
      `${pct(spike.naive, spike.campaigns)} % (weeks 0–3)`,
      target,
    ],
    [`${label}: ALERT in the 3 weeks after`, `${pct(spike.after, spike.campaigns)} %`, '', target],
  ];
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function printTables(record: BenchRecord): void {
  for (const result of record.results) {
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
  console.log(markdownTable(SWEEP_HEADER, sweepRows(record)));
  console.log(markdownTable(bestPossibleHeader(record), bestPossibleRows(record)));
  console.table(record.prompt);
}

const SWEEP_HEADER = [
  'alertSigma',
  'False ALERT, counting noise',
  'False ALERT, noisy market',
  'Decline flagged, counting noise',
  'Decline flagged, noisy market',
  'ALERT after a dip, counting noise',
  'ALERT after a dip, noisy market',
];

function sweepRows(record: BenchRecord): string[][] {
  return record.sweep.map((row) => {
    const cells = (pick: (market: (typeof row.markets)[0]) => number) =>
      row.markets.map((market) => `${pct(pick(market), 1)} %`);
    const label = row.alertSigma === record.thresholds.alertSigma ? ' (default)' : '';

    return [
      `${row.alertSigma}${label}`,
      ...cells((market) => market.falseAlertRate),
      ...cells((market) => market.detectedWithinThreeWeeks),
      ...cells((market) => market.alertAfterSpike),
    ];
  });
}

function bestPossibleHeader(record: BenchRecord): string[] {
  return [
    'Leads/week',
    ...record.results.flatMap((result) => [
      `Measured, ${result.market}`,
      `Best, 3 weeks, ${result.market}`,
      `Best, 2 weeks, ${result.market}`,
    ]),
  ];
}

/** Rows per decline bucket and overall: measured detection beside the best possible. */
function bestPossibleRows(record: BenchRecord): string[][] {
  const ranges = [...DECLINE_BUCKETS, [20, 1000]];

  return ranges.map(([low, high], index) => {
    const cells = record.results.flatMap((result, marketIndex) => {
      const best = record.bestPossible.markets[marketIndex]?.byBucket[index];
      const bucket = result.decline.buckets[index];
      const measured = bucket
        ? pct(bucket.stability, bucket.campaigns)
        : pct(result.decline.total.stability, result.decline.total.campaigns);

      return [
        `${measured} %`,
        `${pct(best?.threeWeeks ?? 0, 1)} %`,
        `${pct(best?.twoWeeks ?? 0, 1)} %`,
      ];
    });

    return [`${low}–${high}${index === DECLINE_BUCKETS.length ? ' (all)' : ''}`, ...cells];
  });
}

export function renderMarkdown(record: BenchRecord): string {
  const header = ['Measure', 'Stability-first', 'Naive ±10 %', 'Target'];
  const sections = record.results.map(
    (result) => `### ${result.market}\n\n${markdownTable(header, resultRows(result))}`,
  );
  const base = record.prompt[0]?.chars ?? 1;
  const promptRows = record.prompt.map((row) => [
    String(row.campaigns),
    row.chars.toLocaleString('en-US'),
    `${(row.chars / base).toFixed(2)}×`,
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
    'Reproduce: `npm run bench:signals -- --seed 20261130 --campaigns 2000 --check-seed 20261201`.',
    '',
    '## Results',
    '',
    ...sections.flatMap((section) => [section, '']),
    ...verdicts(record),
    '',
    `### Trade-off of \`alertSigma\` (${record.sweepCampaigns} campaigns per market)`,
    '',
    'False ALERTs per stationary campaign-week, the 25 % decline flagged within 3 weeks, and ' +
      'campaigns with an ALERT in the 3 weeks after one week at half the lead rate. The ' +
      'default is the lowest value that keeps false ALERTs under 0.5 % in both markets with ' +
      'a margin for other seeds.',
    '',
    markdownTable(SWEEP_HEADER, sweepRows(record)),
    '',
    ...secondSeedSection(record),
    '',
    ...bestPossibleSection(record),
    '',
    ...spikeSection(),
    '',
    ...triedSection(),
    '',
    '### Prompt size',
    '',
    'Characters of the system prompt and the facts sent to Claude for reports of simulated ' +
      'campaigns (target: 1,000 campaigns cost at most 1.5× what 50 do):',
    '',
    markdownTable(['Campaigns', 'Prompt characters', 'Against 50'], promptRows),
    '',
  ].join('\n')}`;
}

/** Shows the default's false ALERTs and detection on a second seed. */
function secondSeedSection(record: BenchRecord): string[] {
  const rows = record.secondSeed.markets.map((market) => [
    market.market,
    `${pct(market.falseAlertRate, 1)} %`,
    `${pct(market.detectedWithinThreeWeeks, 1)} %`,
  ]);

  return [
    `### Second seed (${record.secondSeed.seed}, ${record.campaigns} campaigns per market)`,
    '',
    'The default `alertSigma` was chosen on the seed above. The same experiments on another ' +
      'seed check that its false-ALERT margin holds on data it was not chosen on:',
    '',
    markdownTable(['Market', 'False ALERT', 'Decline flagged within 3 weeks'], rows),
    '',
    'The graded outlier bar and the prior of the rate spread were chosen on both seeds. On two ' +
      'further seeds (20261202 and 20261203), scored with the same one-off script as the ' +
      'table of rules tried, they kept false ALERTs at or under 0.4 % and flagged 2.3 to 3.8 ' +
      'points more declines than the rule before, with up to 0.45 points more ALERTs after a ' +
      'dip.',
  ];
}

/** Explains the decline target with the best possible detection (the power calculation). */
function bestPossibleSection(record: BenchRecord): string[] {
  const alpha = record.bestPossible.falseAlertRate;
  const bar = normalQuantile(1 - alpha);
  const shift = 0.25 * Math.sqrt(3 * 20);
  const noisy = MARKETS.find((market) => spendNoise(market) > 0);
  const rateSpread = noisy ? Math.sqrt(clickNoise(noisy)) : 0;
  const largeError = Math.sqrt(1 / 1000 + rateSpread ** 2);
  const noisyIndex = noisy ? MARKETS.indexOf(noisy) : -1;
  const perSpend = record.bestPossible.markets[noisyIndex]?.byBucket.at(-1)?.threeWeeksPerSpend;

  return [
    '### Why the decline target is missed: the best possible detection',
    '',
    'Take a test that is given the true weekly lead rate per click and the market noise. It ' +
      "compares the last weeks' leads with what their clicks should bring and spends the whole " +
      `false-ALERT budget of ${pct(alpha, 1)} % of campaign-weeks on this one comparison. ` +
      '"3 weeks" uses every week of the decline. "2 weeks" is a test that may set ' +
      'one of the three aside, roughly what a test that does not alert on a one-week dip ' +
      'keeps. Detection of the 25 % decline:',
    '',
    markdownTable(bestPossibleHeader(record), bestPossibleRows(record)),
    '',
    `The power calculation at the low end: at 20 leads a week, three weeks expect 60 ` +
      `leads and a 25 % fall removes 15 of them, ${shift.toFixed(2)} Poisson standard errors ` +
      `(15/√60). A one-sided false-ALERT rate of ${pct(alpha, 1)} % needs ${bar.toFixed(2)} ` +
      `standard errors, so even this test flags about ${Math.round(100 * normalCdf(shift - bar))} % of ` +
      'such campaigns (normal approximation). In the noisy market the lead rate itself moves ' +
      `${pct(rateSpread, 1)} % a week, so at 1,000 leads a week one week's error is ` +
      `${pct(largeError, 1)} % and not 3 %. CPM and CTR move too, but before the click, so ` +
      'they do not reach leads per click. A test that reads leads per unit of spend carries ' +
      `them as well, and at best flags ${pct(perSpend ?? 0, 1)} % of the noisy market's ` +
      'declines.',
    '',
    'So 90 % is out of reach at this false-ALERT rate in both markets, even for a test that ' +
      'knows the truth. The measured rule reads leads per click and spends the budget on that ' +
      'one lead test, and it falls short of the bound for two reasons. It does not know the ' +
      `rate: it estimates it from at most ${record.thresholds.referenceWeeks} reference weeks ` +
      '(a run reads 12 weeks, and 3 are the window), and the noise from the same weeks. And it ' +
      'sets the worst week aside, so that a one-week dip does not alert, which the "2 weeks" ' +
      'column prices.',
  ];
}

/** Explains where the ALERTs after a one-week dip come from. */
function spikeSection(): string[] {
  return [
    '### ALERTs after a one-week spike',
    '',
    'One abnormal week among the reference weeks, high or low, does not move the level the ' +
      'window is compared with, because the test sets the highest and the lowest reference ' +
      'week aside. The ALERTs that remain come from windows that contain the dip. The test ' +
      'always sets the worst window week aside, so the two other weeks must carry an ALERT ' +
      'alone. The further the worst week sits beyond the second worst, the higher their bar: ' +
      `${OUTLIER_SIGMA_PER_SD} more standard errors for each weekly standard deviation of gap ` +
      `beyond ${OUTLIER_FREE_GAP_SD}, at most ${MAX_OUTLIER_EXTRA_SIGMA} more. At 20 to 40 ` +
      'leads a week, one week at half the lead rate is only about 2 to 3 standard deviations ' +
      'low. That is as low as an ordinary week of a real decline, so some of these dips still ' +
      'count as its start.',
  ];
}

/** Lists, for each target, whether the defaults meet it and by how much they miss. */
function verdicts(record: BenchRecord): string[] {
  const lines = ['### Against the targets', ''];
  record.results.forEach((result, index) => {
    const falseRate = pct(result.stationary.stability, result.stationary.campaignWeeks);
    const detection = pct(result.decline.total.stability, result.decline.total.campaigns);
    const best = record.bestPossible.markets[index]?.byBucket.at(-1);
    const spike = pct(result.rateSpike.after, result.rateSpike.campaigns);
    const rise = pct(result.rateRise.after, result.rateRise.campaigns);
    const control = pct(result.spikeControl.after, result.spikeControl.campaigns);
    const falseVerdict =
      falseRate <= 0.5 ? 'meets the target' : `misses it by ${(falseRate - 0.5).toFixed(2)} points`;
    const detectionVerdict =
      detection >= 90 ? 'meets the target' : `misses it by ${(90 - detection).toFixed(1)} points`;
    lines.push(
      `- ${result.market}: false ALERTs on ${falseRate} % of campaign-weeks, which ` +
        `${falseVerdict} of 0.5 %. The decline is flagged within 3 weeks for ${detection} %, ` +
        `which ${detectionVerdict} of 90 %; the best possible test reaches ` +
        `${pct(best?.threeWeeks ?? 0, 1)} % (${pct(best?.twoWeeks ?? 0, 1)} % with 2 of the 3 ` +
        `weeks). After one week at half the lead rate, ${spike} % have an ALERT in the next 3 ` +
        `weeks, and ${rise} % after one week at twice the rate. The same campaigns without the ` +
        `spike have ${control} %, so the dip adds ${(spike - control).toFixed(2)} points.`,
    );
  });
  const large = record.prompt.at(-1);
  const ratio = large ? large.chars / (record.prompt[0]?.chars ?? 1) : 0;
  lines.push(
    `- Prompt: ${large?.campaigns} campaigns cost ${ratio.toFixed(2)}× the characters of 50 ` +
      `(${ratio <= 1.5 ? 'meets' : 'misses'} the 1.5× target).`,
  );

  return lines;
}
