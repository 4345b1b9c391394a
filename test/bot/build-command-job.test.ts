import { describe, expect, it } from 'vitest';
import { buildCommandJob, resolveWeek } from '../../src/bot/build-command-job.ts';
import { ADMIN, CHANNEL, makeBotConfig, TEAM, USER } from './bot-fixtures.ts';

const NOW = new Date('2026-12-02T12:00:00Z');
const ZONE = 'America/New_York';

describe('resolveWeek', () => {
  it.each([
    { date: '1999-01-04', case: 'a week in 1999' },
    { date: '2023-10-30', case: 'the week before the window' },
  ])('rejects $case', ({ date }) => {
    const week = resolveWeek(date, ZONE, NOW);

    expect(week).toHaveProperty('message', expect.stringContaining('cannot be run again'));
    expect(week).toHaveProperty(
      'message',
      expect.stringContaining('The earliest week is 6–12 Nov 2023'),
    );
  });

  it('accepts the earliest fetchable week', () => {
    expect(resolveWeek('2023-11-06', ZONE, NOW)).toEqual({
      start: '2023-11-06',
      end: '2023-11-12',
    });
  });

  it('accepts the last complete week', () => {
    expect(resolveWeek('last', ZONE, NOW)).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });
});

describe('buildCommandJob', () => {
  const config = makeBotConfig();
  const parsed = { kind: 'week', date: '2026-11-18', email: true, reportId: null } as const;

  function caller(userId: string) {
    return {
      channel_id: CHANNEL,
      user_id: userId,
      team_id: TEAM,
      response_url: 'http://127.0.0.1/response',
    };
  }

  it('acks email without saying again', () => {
    const plan = buildCommandJob(parsed, caller(ADMIN), config, NOW);

    expect(plan).toMatchObject({
      ack: 'Running Acme paid social for 16–22 Nov 2026. The summary will be posted in this channel, and the report emailed if the week has data.',
    });
  });

  it('acks a week without email', () => {
    const plan = buildCommandJob({ ...parsed, email: false }, caller(USER), config, NOW);

    expect(plan).toMatchObject({
      ack: 'Running Acme paid social for 16–22 Nov 2026. The summary will be posted in this channel.',
    });
  });

  it('rejects email from a non-admin', () => {
    const plan = buildCommandJob(parsed, caller(USER), config, NOW);

    expect(plan).toEqual({
      message:
        'Only adreport admins may email the report. Ask the app owner to add your user id to `slack.adminUsers`.',
    });
  });
});
