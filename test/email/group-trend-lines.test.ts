import { describe, expect, it } from 'vitest';
import { groupTrendLines } from '../../src/email/group-trend-lines.ts';

const NAMES = ['HV | Leads | Always On', 'HV | Leads', 'MC | Leads | Senior Living Tours'];

describe('groupTrendLines', () => {
  it('groups two lines about one campaign', () => {
    const lines = [
      'HV | Leads | Always On [ALERT]: Leads per click lower for 3 weeks running.',
      'MC | Leads | Senior Living Tours [ALERT]: No leads for 2 weeks.',
      'HV | Leads | Always On [UP]: Clicks 1,297 against a 4-week average of 1,092.',
    ];

    const items = groupTrendLines(lines, NAMES);

    expect(items).toEqual([
      {
        text: 'HV | Leads | Always On',
        details: [
          '[ALERT] Leads per click lower for 3 weeks running.',
          '[UP] Clicks 1,297 against a 4-week average of 1,092.',
        ],
      },
      { text: 'MC | Leads | Senior Living Tours [ALERT]: No leads for 2 weeks.', details: [] },
    ]);
  });

  it('keeps a single line about a name as is', () => {
    const lines = ['HV | Leads | Always On [UP]: Clicks rose.'];

    const items = groupTrendLines(lines, NAMES);

    expect(items).toEqual([{ text: 'HV | Leads | Always On [UP]: Clicks rose.', details: [] }]);
  });

  it('matches the longest name first', () => {
    const lines = ['HV | Leads [UP]: Spend rose.', 'HV | Leads | Always On [UP]: Clicks rose.'];

    const items = groupTrendLines(lines, NAMES);

    expect(items).toHaveLength(2);
  });

  it('keeps lines that name no entity', () => {
    const lines = ['Every KPI is within its normal range.', 'Restated: spend of HV moved.'];

    const items = groupTrendLines(lines, NAMES);

    expect(items.map((item) => item.text)).toEqual(lines);
  });

  it('ignores a name that only prefixes a word', () => {
    const lines = ['HV | Leadsx: one.', 'HV | Leadsx: two.'];

    const items = groupTrendLines(lines, NAMES);

    expect(items.every((item) => item.details.length === 0)).toBe(true);
  });
});
