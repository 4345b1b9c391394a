/**
 * Rules scored and not adopted while the signals test was chosen, for the benchmark page. The
 * figures are fixed here because the scoring script was a one-off.
 */
import { PRIOR_RATE_SPREAD, PRIOR_RATE_SPREAD_WEIGHT } from '../../src/analysis/sustained-move.ts';
import { table } from './markdown.ts';

/** Columns of the table of rules tried and not adopted. */
const TRIED_HEADER = [
  'Rule tried',
  'False ALERT, counting noise',
  'False ALERT, noisy market',
  'Decline flagged, counting noise',
  'Decline flagged, noisy market',
  'ALERT after a dip, worst change',
  'Why not adopted',
];

/**
 * Rules scored while the current rule was chosen. Each row gives the false ALERTs on the two
 * seeds and the change of detection within 3 weeks on the two seeds, in points against the rule
 * before. The last figure is the largest rise of ALERTs in or after a one-week dip over both
 * markets and seeds.
 */
const TRIED_ROWS = [
  [
    'Full 3-week test at 2.3 standard errors, the two better weeks at 0.8, 2.45 for a one-week outlier',
    '0.35 %, 0.3 %',
    '0.49 %, 0.46 %',
    '+1.5, +0.8',
    '+1.7, +2.3',
    '+0.8',
    'Noisy false ALERTs over 0.45 %, and under 2 points gained',
  ],
  [
    'The same at 2.0 standard errors',
    '0.69 %, 0.68 %',
    '0.91 %, 0.86 %',
    '+5.8, +4.9',
    '+6.1, +6.3',
    '+1.9',
    'False ALERTs and dips',
  ],
  [
    '3-week mean with the worst week capped at the second worst + 1 weekly standard deviation, 2.3 standard errors',
    '0.43 %, 0.36 %',
    '0.59 %, 0.56 %',
    '+5.7, +5',
    '+7.2, +7.1',
    '+10.2',
    'A dip plus one low week clears it',
  ],
  [
    'One-sided CUSUM of weekly z-scores clipped at 2, allowance 0.25, alarm at 3.5, every week short',
    '0.25 %, 0.21 %',
    '0.37 %, 0.34 %',
    '+2.9, +3',
    '+4.8, +4.2',
    '+5.2',
    'Dips: a clipped dip week still counts 2 standard deviations',
  ],
  [
    "Each window week's own counting error, plus the spread beyond counting noise",
    '0.29 %, 0.26 %',
    '0.38 %, 0.37 %',
    '−0.55, −0.1',
    '−0.05, −0.15',
    '+0.1',
    'No gain',
  ],
  [
    'Previous rule at `alertSigma` 1.6',
    '0.39 %, 0.37 %',
    '0.51 %, 0.5 %',
    '+1.7, +2.4',
    '+2.4, +2.3',
    '+0.4',
    'Noisy false ALERTs over 0.45 %',
  ],
  [
    'The same with a Student-t bar for the estimated spread',
    '0.38 %, 0.36 %',
    '0.5 %, 0.49 %',
    '+1.3, +2.2',
    '+1.7, +1.4',
    '+0.4',
    'Does not lower the noisy false ALERTs',
  ],
  [
    'A fixed 4 % rate movement added to the counting error, 9 reference weeks, `alertSigma` 1.6',
    '0.33 %, 0.28 %',
    '0.45 %, 0.42 %',
    '+1.8, +2.1',
    '+1.7, +2.5',
    '+0.4',
    'Under 2 points gained, dips',
  ],
  [
    'Part of the current rule: 9 reference weeks alone',
    '0.3 %, 0.25 %',
    '0.38 %, 0.38 %',
    '+0.55, +0.4',
    '+0.2, +0.95',
    '+0.15',
    'Adopted with the two below',
  ],
  [
    'Part of the current rule: the spread shrunk toward 3 % and 9 reference weeks',
    '0.29 %, 0.25 %',
    '0.42 %, 0.4 %',
    '+1.2, +0.9',
    '+1.8, +2.1',
    '+0.35',
    'Adopted with the graded bar',
  ],
  [
    'Part of the current rule: the graded outlier bar and 9 reference weeks',
    '0.3 %, 0.26 %',
    '0.38 %, 0.38 %',
    '+1.4, +1.7',
    '+1.8, +1.9',
    '+0.15',
    'Adopted with the shrunk spread',
  ],
  [
    'The spread shrunk toward 2 %, 9 reference weeks and the previous outlier bar',
    '0.32 %, 0.26 %',
    '0.43 %, 0.41 %',
    '+1.3, +1.2',
    '+2, +2.2',
    '+0.35',
    'Under 2 points gained',
  ],
  [
    'For scale, not a rule: the true rate spread given to the test, previous structure',
    '0.36 %, 0.36 %',
    '0.38 %, 0.41 %',
    '+2.15, +1.85',
    '+0.45, +1.5',
    '+0.7',
    'Not available to a real test',
  ],
];

/** Lists the rules scored and not adopted, with their figures. */
export function triedSection(): string[] {
  return [
    '### Tried and not adopted',
    '',
    'Scored while the current rule was chosen, on the simulated campaigns of this benchmark ' +
      '(2,000 per market, seeds 20261130 and 20261201, every figure given for both seeds). ' +
      'The scoring script was a one-off and is not part of the repository, so this table is ' +
      'not regenerated. The detection changes are points against the rule before: it took the ' +
      'larger of the counting error and the spread of the weeks before the window as a ' +
      "week's error, compared the window with 8 reference weeks, and added 0.75 standard " +
      'errors when the worst window week stood more than 1 weekly standard deviation beyond ' +
      'the second worst. That rule had false ALERTs of 0.3 % and 0.26 % (counting noise) and ' +
      '0.38 % and 0.37 % (noisy market), and flagged 74.85 % and 75.25 %, 71.7 % and 71.1 % of ' +
      'the declines. The current rule keeps its structure. It compares the window with ' +
      `9 weeks, shrinks the estimated movement of the rate toward ${PRIOR_RATE_SPREAD * 100} % ` +
      `with a weight of ${PRIOR_RATE_SPREAD_WEIGHT} degrees of freedom, and grades the bar ` +
      'for a one-week outlier.',
    '',
    table(TRIED_HEADER, TRIED_ROWS),
  ];
}
