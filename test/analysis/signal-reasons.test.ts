import { describe, expect, it } from 'vitest';
import { kpiDefinition } from '../../src/analysis/kpis.ts';
import { describeSustainedMove } from '../../src/analysis/signal-reasons.ts';
import type { SustainedMove } from '../../src/analysis/sustained-move.ts';

/** Returns a three-week move against eight reference weeks with the given rates. */
function move(windowRate: number, referenceRate: number): SustainedMove {
  return {
    weeks: 3,
    referenceWeeks: 9,
    windowRate,
    referenceRate,
    change: (windowRate - referenceRate) / referenceRate,
    score: 3,
    requiredScore: 1.7,
  };
}

describe('describeSustainedMove', () => {
  it.each([
    {
      case: 'a percentage',
      rates: [0.03, 0.04],
      reason:
        'Leads per click lower for 3 weeks running: 3.0% over the last 3 weeks against a ' +
        'typical 4.0% in the 9 weeks before them (−25%)',
    },
    {
      case: 'two decimals below 1%',
      rates: [0.006, 0.008],
      reason:
        'Leads per click lower for 3 weeks running: 0.60% over the last 3 weeks against a ' +
        'typical 0.80% in the 9 weeks before them (−25%)',
    },
  ])('quotes leads per click as $case', ({ rates, reason }) => {
    const [windowRate = 0, referenceRate = 0] = rates;

    const text = describeSustainedMove(
      kpiDefinition('leads'),
      move(windowRate, referenceRate),
      'USD',
    );

    expect(text).toBe(reason);
  });

  it('quotes CPL as the cost of a lead', () => {
    const text = describeSustainedMove(kpiDefinition('cpl'), move(0.025, 0.05), 'USD');

    expect(text).toBe(
      'CPL higher for 3 weeks running: $40.00 over the last 3 weeks against a typical $20.00 ' +
        'in the 9 weeks before them (+100%)',
    );
  });

  it('shows an undefined CPL as a dash', () => {
    const text = describeSustainedMove(kpiDefinition('cpl'), move(0, 0.05), 'USD');

    expect(text).toBe(
      'CPL higher for 3 weeks running: — over the last 3 weeks against a typical $20.00 in ' +
        'the 9 weeks before them',
    );
  });
});
