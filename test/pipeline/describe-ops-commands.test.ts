import { describe, expect, it } from 'vitest';
import {
  checkCommand,
  replayCommand,
  rerunCommand,
} from '../../src/pipeline/describe-ops-commands.ts';
import { lastCompleteWeek } from '../../src/shared/week.ts';

const WEEK = { start: '2026-11-23', end: '2026-11-29' };
const WORKER = { workerFunctionName: 'adreport-worker' };

/** Returns the event in the `--payload '…'` of an `aws lambda invoke` command. */
function payloadOf(command: string): Record<string, unknown> {
  const match = /--payload '([^']*)'/.exec(command);

  return JSON.parse(match?.[1] ?? 'null');
}

describe('replayCommand', () => {
  it.each([
    { send: true, expected: 'adreport replay --report acme --week 2026-11-23 --send' },
    { send: false, expected: 'adreport replay --report acme --week 2026-11-23' },
  ])('gives the CLI form when send is $send', ({ send, expected }) => {
    const command = replayCommand({}, { reportId: 'acme', weekStart: WEEK.start, send });

    expect(command).toBe(expected);
  });

  it('invokes the worker when deployed', () => {
    const command = replayCommand(WORKER, { reportId: 'acme', weekStart: WEEK.start, send: true });

    expect(command).toMatch(/^aws lambda invoke --function-name adreport-worker /);
    expect(payloadOf(command)).toEqual({
      kind: 'replay',
      reportId: 'acme',
      weekStart: WEEK.start,
      send: true,
    });
  });

  it('leaves out send when not sending', () => {
    const command = replayCommand(WORKER, { reportId: 'acme', weekStart: WEEK.start, send: false });

    expect(payloadOf(command)).not.toHaveProperty('send');
  });
});

describe('rerunCommand', () => {
  it('gives the CLI form locally', () => {
    const command = rerunCommand({}, { reportId: 'acme', week: WEEK });

    expect(command).toBe('adreport run --report acme --week 2026-11-23');
  });

  it.each([
    'Etc/GMT+12',
    'Pacific/Pago_Pago',
    'America/Los_Angeles',
    'UTC',
    'Asia/Tokyo',
    'Pacific/Kiritimati',
  ])('schedules the same week in %s', (timeZone) => {
    const command = rerunCommand(WORKER, { reportId: 'acme', week: WEEK });

    const { scheduledTime } = payloadOf(command) as { scheduledTime: string };
    expect(lastCompleteWeek(new Date(scheduledTime), timeZone)).toEqual(WEEK);
  });

  it('sends a schedule event', () => {
    const command = rerunCommand(WORKER, { reportId: 'acme', week: WEEK });

    expect(payloadOf(command)).toMatchObject({ kind: 'schedule', reportId: 'acme' });
  });
});

describe('checkCommand', () => {
  it('gives a run of the week locally', () => {
    const command = checkCommand({}, { reportId: 'acme', week: WEEK });

    expect(command).toBe('adreport run --report acme --week 2026-11-23');
  });

  it('sends a delivery-check event', () => {
    const command = checkCommand(WORKER, { reportId: 'acme', week: WEEK });

    expect(payloadOf(command)).toMatchObject({ kind: 'delivery-check', reportId: 'acme' });
  });

  it('checks the same week in Tokyo', () => {
    const command = checkCommand(WORKER, { reportId: 'acme', week: WEEK });

    const { scheduledTime } = payloadOf(command) as { scheduledTime: string };
    expect(lastCompleteWeek(new Date(scheduledTime), 'Asia/Tokyo')).toEqual(WEEK);
  });
});

describe('local command flags', () => {
  it.each([
    {
      case: 'the sample folder alone',
      target: { sampleDir: '/repo/sample-data' },
      expected: 'adreport replay --report acme --week 2026-11-23 --sample --send',
    },
    {
      case: 'every CLI option',
      target: { localCommand: { config: 'my.json', dataDir: 'D', sample: true } },
      expected:
        'adreport replay --report acme --week 2026-11-23 --config my.json --data D --sample --send',
    },
    {
      case: 'a folder with a space',
      target: { localCommand: { dataDir: "it's here" } },
      expected: `adreport replay --report acme --week 2026-11-23 --data 'it'\\''s here' --send`,
    },
    {
      case: 'CLI options without sample',
      target: { sampleDir: '/repo/sample-data', localCommand: { dataDir: 'D' } },
      expected: 'adreport replay --report acme --week 2026-11-23 --data D --send',
    },
  ])('repeats $case in replay', ({ target, expected }) => {
    const command = replayCommand(target, { reportId: 'acme', weekStart: WEEK.start, send: true });

    expect(command).toBe(expected);
  });

  it('repeats the options in run', () => {
    const target = { localCommand: { dataDir: 'D', sample: true } };

    const command = rerunCommand(target, { reportId: 'acme', week: WEEK });

    expect(command).toBe('adreport run --report acme --week 2026-11-23 --data D --sample');
  });

  it('leaves them out when deployed', () => {
    const target = { ...WORKER, localCommand: { dataDir: 'D', sample: true } };

    const command = replayCommand(target, { reportId: 'acme', weekStart: WEEK.start, send: true });

    expect(command).not.toContain('--data');
  });
});
