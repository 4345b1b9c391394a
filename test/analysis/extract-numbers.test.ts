import { describe, expect, it } from 'vitest';
import { extractNumbers } from '../../src/analysis/extract-numbers.ts';

describe('extractNumbers', () => {
  it('reads thousands separators, decimals and suffixes', () => {
    const values = extractNumbers('$1,234.5 and 12% and 3.4k and 2 percent').map((n) => [
      n.value,
      n.percent,
    ]);

    expect(values).toEqual([
      [1234.5, false],
      [12, true],
      [3400, false],
      [2, true],
    ]);
  });

  it('ignores ISO dates, month dates and durations', () => {
    expect(extractNumbers('On 2026-11-16, Nov 23 and 23–29 Nov 2026, over 3 weeks')).toEqual([]);
  });

  it.each(['Leads declined 25%', 'Leads decreased 25%', 'It may be 25%'])(
    'keeps figures after month-like words: %s',
    (text) => {
      expect(extractNumbers(text).map((quoted) => quoted.value)).toEqual([25]);
    },
  );

  it('ignores digits inside words', () => {
    expect(extractNumbers('Meta v27 and the A1 audience')).toEqual([]);
  });
});

describe('extractNumbers tolerance', () => {
  it.each([
    { text: '412', tolerance: 0.5 },
    { text: '400', tolerance: 0.5 },
    { text: '12,300', tolerance: 50 },
    { text: '$12.30', tolerance: 0.005 },
    { text: '1.2k', tolerance: 50 },
  ])('allows ±$tolerance for $text', ({ text, tolerance }) => {
    const [quoted] = extractNumbers(text);

    expect(quoted?.tolerance).toBeCloseTo(tolerance, 9);
  });
});

describe('extractNumbers direction', () => {
  it.each([
    { text: 'Leads rose 25%', direction: 1 },
    { text: 'Leads increased by about 25 %', direction: 1 },
    { text: 'CPL is up 12 percent', direction: 1 },
    { text: 'Leads grew 25%', direction: 1 },
    { text: 'Leads fell 25%', direction: -1 },
    { text: 'Leads dropped 25%', direction: -1 },
    { text: 'Leads were down 25%', direction: -1 },
    { text: 'Leads declined 25%', direction: -1 },
    { text: 'Leads decreased by 25%', direction: -1 },
    { text: 'Leads were 25% lower', direction: -1 },
    { text: 'CPL was 25% above the average', direction: 1 },
    { text: 'a 25% drop in leads', direction: -1 },
    { text: 'a 25% increase in CPL', direction: 1 },
    { text: 'leads (−25%)', direction: -1 },
    { text: 'leads (+25%)', direction: 1 },
    { text: 'spend -$40', direction: -1 },
    { text: '14 more leads than last week', direction: 1 },
    { text: '14 fewer leads than the average', direction: -1 },
    { text: '2 more campaigns', direction: 0 },
    { text: 'Leads rose to 412', direction: 0 },
    { text: 'up to 412 leads', direction: 0 },
    { text: 'Leads were down 3 of the last 4 weeks', direction: 0 },
    { text: 'Leads did not fall 25%', direction: 0 },
    { text: "Leads didn't fall 25%", direction: 0 },
    { text: 'Leads were 25% of the total', direction: 0 },
    { text: 'a normal range of ±45%', direction: 0 },
    { text: 'Leads held at 412', direction: 0 },
  ])('reads $direction from "$text"', ({ text, direction }) => {
    const [quoted] = extractNumbers(text);

    expect(quoted?.direction).toBe(direction);
  });

  it('reads a direction for each number of a sentence', () => {
    const quoted = extractNumbers('Spend rose 12% while leads fell 38% to 37');

    expect(quoted.map((number) => number.direction)).toEqual([1, -1, 0]);
  });

  it('reads a percent sign after a space', () => {
    expect(extractNumbers('rose 25 %')[0]).toMatchObject({ value: 25, percent: true });
  });
});
