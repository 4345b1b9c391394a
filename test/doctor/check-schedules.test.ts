import { describe, expect, it } from 'vitest';
import { checkSchedules } from '../../src/doctor/check-schedules.ts';
import { testContext } from './doctor-test-context.ts';

describe('checkSchedules', () => {
  it('lists the next run in local time', () => {
    const section = checkSchedules(testContext({ now: () => new Date('2026-12-02T10:00:00Z') }));

    expect(section.results[0]?.detail).toContain('next run Mon 7 Dec 2026, 07:00');
    expect(section.results[0]?.detail).toContain('Europe/Berlin');
    expect(section.results[1]?.detail).toContain('next run Mon 7 Dec 2026, 07:00');
    expect(section.results[1]?.detail).toContain('America/New_York');
  });

  it('lists the delivery check at 09:00', () => {
    const section = checkSchedules(testContext());

    expect(section.results[0]?.detail).toContain('delivery check Mon 7 Dec 2026, 09:00');
  });

  it('marks every line as information', () => {
    const section = checkSchedules(testContext());

    expect(section.results.every((result) => result.status === 'info')).toBe(true);
  });
});
