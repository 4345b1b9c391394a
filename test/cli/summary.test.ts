import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/summary.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { buildReportData } from '../helpers/report-data.ts';

function result(overrides: Partial<RunResult> = {}): RunResult {
  const report = buildReportData({ campaigns: 6 });

  return {
    runId: report.runId,
    reportId: report.reportId,
    week: report.week,
    outcome: 'delivered',
    report,
    outputFiles: ['/tmp/out/report.html'],
    email: { status: 'sent', messageId: 'm-1' },
    slack: { status: 'posted', ts: '1.2' },
    notes: [],
    ...overrides,
  };
}

describe('formatRunSummary', () => {
  it('lists each property with spend, leads and CPL', () => {
    const run = result();

    const text = formatRunSummary(run);

    for (const property of run.report?.properties ?? []) expect(text).toContain(property.name);
    expect(text).toMatch(/Property\s+Spend\s+Leads\s+CRM leads\s+CPL\s+Alerts/);
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('explains a delivery skipped as already sent', () => {
    const text = formatRunSummary(
      result({ email: { status: 'already_sent' }, slack: { status: 'already_posted' } }),
    );

    expect(text).toContain(
      'Email: already sent for this week, so not sent again (--force sends it again)',
    );
    expect(text).toContain('Slack: already posted for this week');
  });

  it('shows the failure reason and notes of a failed run', () => {
    const text = formatRunSummary(
      result({
        outcome: 'failed',
        report: null,
        email: { status: 'skipped' },
        notes: ['Run failed: Meta data is unavailable for every property'],
      }),
    );

    expect(text).toContain('— failed');
    expect(text).toContain('Note: Run failed: Meta data is unavailable for every property');
    expect(text).toContain('Email: not sent');
  });
});
