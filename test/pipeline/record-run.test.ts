import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/pipeline/record-run.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { makeReport } from '../slack/make-report.ts';

type EmailStatus = RunResult['email']['status'];
type SlackStatus = RunResult['slack']['status'];

function deliveries(email: EmailStatus, slack: SlackStatus) {
  return { email: { status: email }, slack: { status: slack } };
}

describe('outcomeOf', () => {
  it.each([
    { email: 'sent', slack: 'posted', outcome: 'delivered' },
    { email: 'already_sent', slack: 'posted', outcome: 'delivered' },
    { email: 'skipped', slack: 'written', outcome: 'delivered' },
    { email: 'skipped', slack: 'skipped', outcome: 'not_sent' },
    { email: 'already_sent', slack: 'already_posted', outcome: 'already_delivered' },
    { email: 'skipped', slack: 'already_posted', outcome: 'already_delivered' },
    { email: 'in_progress', slack: 'posted', outcome: 'in_progress' },
    { email: 'already_sent', slack: 'in_progress', outcome: 'in_progress' },
    { email: 'failed', slack: 'in_progress', outcome: 'degraded' },
    { email: 'sent', slack: 'failed', outcome: 'degraded' },
  ] as const)('returns $outcome for $email and $slack', ({ email, slack, outcome }) => {
    const result = outcomeOf(makeReport(), deliveries(email, slack), []);

    expect(result).toBe(outcome);
  });

  it('returns degraded when a note exists', () => {
    const result = outcomeOf(makeReport(), deliveries('skipped', 'skipped'), ['HubSpot failed']);

    expect(result).toBe('degraded');
  });

  it('returns failed without report data', () => {
    const result = outcomeOf(null, deliveries('skipped', 'skipped'), []);

    expect(result).toBe('failed');
  });
});
