import { describe, expect, it } from 'vitest';
import { type DoctorReport, formatChecklist, runDoctor } from '../../src/doctor/run-doctor.ts';
import { testConfig, testContext } from './doctor-test-context.ts';

const REPORT: DoctorReport = {
  sections: [
    {
      title: 'Meta',
      results: [
        { status: 'pass', subject: 'Access token', detail: 'valid', fix: null },
        { status: 'fail', subject: 'Ad account act_1', detail: 'closed', fix: 'reopen it' },
      ],
    },
    {
      title: 'Anthropic',
      results: [{ status: 'warn', subject: 'API key', detail: 'not set', fix: 'set it' }],
    },
  ],
  failures: 1,
  warnings: 1,
};

describe('formatChecklist', () => {
  it('marks each status with its symbol', () => {
    const text = formatChecklist(REPORT);

    expect(text).toContain('  ✓ Access token: valid\n');
    expect(text).toContain('  ✗ Ad account act_1: closed\n');
    expect(text).toContain('  ! API key: not set\n');
  });

  it('prints the fix under a problem', () => {
    const text = formatChecklist(REPORT);

    expect(text).toContain('  ✗ Ad account act_1: closed\n      Fix: reopen it\n');
  });

  it('ends with the failure count', () => {
    const text = formatChecklist(REPORT);

    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '1 check failed, 1 warning. Fix the lines marked ✗ and run adreport doctor again.',
    );
  });

  it('ends with a pass line when nothing failed', () => {
    const text = formatChecklist({ ...REPORT, failures: 0, warnings: 2 });

    expect(text.trimEnd().split('\n').at(-1)).toBe('All checks passed (2 warnings).');
  });
});

describe('runDoctor', () => {
  it('returns every section in a fixed order', async () => {
    const report = await runDoctor(testContext());

    // The SES title names the region: "Amazon SES (eu-west-1)".
    expect(report.sections.map((section) => section.title.split(' (')[0])).toEqual([
      'Meta',
      'HubSpot',
      'Anthropic',
      'Slack',
      'Amazon SES',
      'Schedules',
    ]);
  });

  it('counts failures and warnings with no credentials', async () => {
    const report = await runDoctor(testContext());

    // Meta, HubSpot, Slack token, Slack signing secret and SES (closed port) fail; Anthropic warns.
    expect(report.failures).toBe(5);
    expect(report.warnings).toBe(1);
  });

  it('turns a throwing check into a failed line', async () => {
    const context = testContext({ config: { ...testConfig(), reports: undefined } as never });

    const report = await runDoctor(context);

    const schedules = report.sections.find((section) => section.title === 'Schedules');
    expect(schedules?.results[0]?.status).toBe('fail');
  });
});
