import { describe, expect, it } from 'vitest';
import {
  DELIVERY_CHECK_TIME,
  nextOccurrence,
  REPORT_RUN_TIME,
  toCronExpression,
} from '../../src/config/schedule.ts';

describe('toCronExpression', () => {
  it('formats the weekly run', () => {
    expect(toCronExpression(REPORT_RUN_TIME)).toBe('cron(0 7 ? * MON *)');
  });

  it('formats the delivery check', () => {
    expect(toCronExpression(DELIVERY_CHECK_TIME)).toBe('cron(0 9 ? * MON *)');
  });

  it('formats other days and minutes', () => {
    expect(toCronExpression({ weekday: 7, hour: 18, minute: 30 })).toBe('cron(30 18 ? * SUN *)');
  });
});

describe('nextOccurrence', () => {
  // Berlin leaves summer time on Sunday 2026-10-25 and starts it on Sunday 2027-03-28.
  it.each([
    { case: 'Wednesday in winter', after: '2026-12-02T10:00:00Z', utc: '2026-12-07T06:00:00.000Z' },
    { case: 'Wednesday in summer', after: '2026-07-01T10:00:00Z', utc: '2026-07-06T05:00:00.000Z' },
    { case: 'Monday before 07:00', after: '2026-12-07T05:59:00Z', utc: '2026-12-07T06:00:00.000Z' },
    { case: 'Monday at 07:00', after: '2026-12-07T06:00:00Z', utc: '2026-12-14T06:00:00.000Z' },
    {
      case: 'day of the autumn change',
      after: '2026-10-25T12:00:00Z',
      utc: '2026-10-26T06:00:00.000Z',
    },
    {
      case: 'day of the spring change',
      after: '2027-03-28T12:00:00Z',
      utc: '2027-03-29T05:00:00.000Z',
    },
  ])('returns 07:00 Berlin time on the $case', ({ after, utc }) => {
    const next = nextOccurrence(REPORT_RUN_TIME, 'Europe/Berlin', new Date(after));

    expect(next.toUTC().toISO()).toBe(utc);
  });

  it('keeps local time in the given zone', () => {
    const next = nextOccurrence(
      REPORT_RUN_TIME,
      'America/New_York',
      new Date('2026-12-02T10:00:00Z'),
    );

    expect(next.toISO()).toBe('2026-12-07T07:00:00.000-05:00');
  });
});
