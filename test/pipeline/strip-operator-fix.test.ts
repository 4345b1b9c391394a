import { describe, expect, it } from 'vitest';
import { stripOperatorFix } from '../../src/pipeline/strip-operator-fix.ts';

describe('stripOperatorFix', () => {
  it.each([
    {
      case: 'a fix inside brackets',
      note: 'Meta data unavailable (The file is not valid JSON. Fix: regenerate it), so it is empty',
      expected: 'Meta data unavailable (The file is not valid JSON), so it is empty',
    },
    {
      case: 'a fix at the end',
      note: 'HubSpot data unavailable: token expired. Fix: set HUBSPOT_ACCESS_TOKEN',
      expected: 'HubSpot data unavailable: token expired',
    },
    {
      case: 'a note without a fix',
      note: 'Slack summary not posted',
      expected: 'Slack summary not posted',
    },
    {
      case: 'a fix with brackets',
      note: 'Failed. Fix: run it (again)',
      expected: 'Failed. Fix: run it (again)',
    },
  ])('handles $case', ({ note, expected }) => {
    const text = stripOperatorFix(note);

    expect(text).toBe(expected);
  });
});
