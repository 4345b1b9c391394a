import { describe, expect, it } from 'vitest';
import {
  count,
  countsByName,
  kilobytes,
  megabytes,
  percent,
  seconds,
  table,
  times,
} from '../../../bench/lib/markdown.ts';

describe('table', () => {
  it('renders a header, a rule and rows', () => {
    expect(table(['a', 'b'], [[1, 'x']])).toBe('| a | b |\n| --- | --- |\n| 1 | x |');
  });

  it('escapes pipes inside cells', () => {
    expect(table(['a'], [['x|y']])).toContain('x\\|y');
  });
});

describe('number formats', () => {
  it.each([
    { case: 'seconds', actual: seconds(1280), expected: '1.28 s' },
    { case: 'count', actual: count(15015), expected: '15,015' },
    { case: 'kilobytes', actual: kilobytes(99_328), expected: '99.3 KB' },
    { case: 'megabytes', actual: megabytes(7_044_471), expected: '7.0 MB' },
    { case: 'times', actual: times(7.1234), expected: '7.12×' },
    { case: 'undefined ratio', actual: times(null), expected: '—' },
    { case: 'percent', actual: percent(54, 26_000), expected: '0.21 %' },
    { case: 'percent of nothing', actual: percent(0, 0), expected: '—' },
  ])('formats $case', ({ actual, expected }) => {
    expect(actual).toBe(expected);
  });
});

describe('countsByName', () => {
  it('lists names by descending count', () => {
    expect(countsByName({ Query: 5, PutItem: 26, Scan: 0 })).toBe('PutItem 26, Query 5');
  });

  it('returns 0 for no counts', () => {
    expect(countsByName({})).toBe('0');
  });
});
