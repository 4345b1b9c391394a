import { Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatRunSummary, VERBOSE_HINT } from '../../src/cli/summary.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { buildReportData } from '../helpers/report-data.ts';

/** Delivery lines of a week delivered before, when the caller names --force as the resend option. */
const EMAIL_NOT_RESENT =
  'Email: already sent for this week, so not sent again (--force sends it again)';
const SLACK_NOT_REPOSTED =
  'Slack: already posted for this week, so not posted again (--force posts it again)';

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

  it('cuts a long property name', () => {
    const run = result();
    const property = run.report?.properties[0];
    if (property) property.name = `Sunset \u202egnp.${'P'.repeat(180)}`;

    const row = formatRunSummary(run)
      .split('\n')
      .find((line) => line.startsWith('Sunset'));

    expect(row).toMatch(/^Sunset gnp\.P{68}… /);
    expect(row).not.toContain('\u202e');
  });

  it('cleans property names in notes', () => {
    const run = result();
    const name = `Sunset \u202egnp.${'P'.repeat(180)}`;
    const property = run.report?.properties[0];
    if (property) property.name = name;

    const text = formatRunSummary({ ...run, notes: [`Meta data unavailable for ${name}`] });

    expect(text).toContain(`Note: Meta data unavailable for Sunset gnp.${'P'.repeat(68)}…\n`);
  });

  it('gives the offline reason unbracketed', () => {
    const report = buildReportData({ campaigns: 6, analysisSource: 'offline' });
    const reason = 'Claude is not configured (no Anthropic API key), so the figures speak alone';
    report.analysis.fallbackReason = reason;

    const text = formatRunSummary(result({ report }));

    expect(text).toContain(`\nAnalysis: offline narrative. ${reason}\n`);
  });

  it('names the expiry of a stopped claim', () => {
    const expiry = new Date('2026-12-04T22:15:00Z');
    const run = result({
      outcome: 'in_progress',
      email: { status: 'in_progress' },
      slack: { status: 'in_progress' },
    });
    const until = 'Sat 5 Dec 07:15 (Asia/Tokyo)';
    const zone = Settings.defaultZone;
    Settings.defaultZone = 'Asia/Tokyo';

    let lines: string;
    try {
      lines = formatRunSummary(run, { resend: '--force', claimExpiry: { email: expiry } });
    } finally {
      Settings.defaultZone = zone;
    }

    expect(lines).toContain('— not delivered: an earlier run stopped while delivering\n');
    expect(lines).toContain(
      `Email: not sent, because a run that stopped while it was being sent holds the claim until ${until}. ` +
        'Run the same command after that time to send it, or now with --force (the stopped run ' +
        'may have sent it already)\n',
    );
  });

  it('names the channel a stopped run delivered', () => {
    const run = result({
      outcome: 'in_progress',
      email: { status: 'in_progress' },
      slack: { status: 'already_posted' },
    });

    const lines = formatRunSummary(run, {
      claimExpiry: { email: new Date('2026-12-04T22:15:00Z') },
    });

    expect(lines).toContain(
      '— email not delivered: an earlier run stopped while delivering it; Slack summary delivered\n',
    );
  });

  it('names a summary written to the folder', () => {
    const run = result({
      outcome: 'in_progress',
      email: { status: 'in_progress' },
      slack: { status: 'written' },
    });

    const lines = formatRunSummary(run, {
      claimExpiry: { email: new Date('2026-12-04T22:15:00Z') },
    });

    expect(lines).toContain(
      '— email not delivered: an earlier run stopped while delivering it; Slack summary written to the output folder\n',
    );
  });

  it.each([
    {
      stuck: 'email',
      other: 'already_posted',
      hint: '(the stopped run may have sent it already), which also posts the Slack summary again\n',
    },
    {
      stuck: 'slack',
      other: 'sent',
      hint: '(the stopped run may have posted it already), which also emails the report again\n',
    },
    {
      stuck: 'slack',
      other: 'already_sent',
      hint: 'which also emails the report again\n',
    },
  ] as const)('names the $other channel --force repeats', ({ stuck, other, hint }) => {
    const otherChannel = stuck === 'email' ? 'slack' : 'email';
    const run = result({
      outcome: 'in_progress',
      [stuck]: { status: 'in_progress' },
      [otherChannel]: { status: other },
    });

    const lines = formatRunSummary(run, {
      resend: '--force',
      claimExpiry: { [stuck]: new Date('2026-12-04T22:15:00Z') },
    });

    expect(lines).toContain(hint);
  });

  it.each([{ other: 'failed' }, { other: 'written' }] as const)(
    'names no repeat after a $other summary',
    ({ other }) => {
      const run = result({
        outcome: 'in_progress',
        email: { status: 'in_progress' },
        slack: { status: other },
      });

      const lines = formatRunSummary(run, {
        resend: '--force',
        claimExpiry: { email: new Date('2026-12-04T22:15:00Z') },
      });

      expect(lines).toContain('(the stopped run may have sent it already)\n');
    },
  );

  it('keeps the claim wording without an expiry', () => {
    const run = result({ outcome: 'in_progress', email: { status: 'in_progress' } });

    const lines = formatRunSummary(run, { resend: '--force' });

    expect(lines).toContain('Email: in progress in another run, which holds the claim\n');
  });

  it('shows CRM leads as unknown without HubSpot', () => {
    const run = result({ report: buildReportData({ campaigns: 6, hubspotAvailable: false }) });

    const lines = formatRunSummary(run).split('\n');

    const totalRow = lines.find((line) => line.startsWith('Total')) ?? '';
    expect(totalRow.split(/\s{2,}/)[3]).toBe('—');
    expect(lines).toContain('CRM leads —: HubSpot data is unavailable for this week');
  });

  it('shows CRM lead counts with HubSpot', () => {
    const run = result();
    const expected = String(run.report?.totalsMetrics?.hubspotLeads);

    const lines = formatRunSummary(run).split('\n');

    const totalRow = lines.find((line) => line.startsWith('Total')) ?? '';
    expect(totalRow.split(/\s{2,}/)[3]).toBe(expected);
  });

  it('names the resend option it is given', () => {
    const run = result({ email: { status: 'already_sent' }, slack: { status: 'already_posted' } });

    const text = formatRunSummary(run, { resend: '--force' });

    expect(text).toContain(EMAIL_NOT_RESENT);
    expect(text).toContain(SLACK_NOT_REPOSTED);
  });

  it('reports a skipped delivery made earlier', () => {
    const run = result({ email: { status: 'skipped' }, slack: { status: 'skipped' } });
    const hints = {
      send: '--send',
      resend: '--force',
      deliveredBefore: { email: true, slack: true },
    };

    const lines = formatRunSummary(run, hints).split('\n');

    expect(lines[0]).toMatch(/— already delivered, so only rebuilt$/);
    expect(lines).toContain(EMAIL_NOT_RESENT);
    expect(lines).toContain(SLACK_NOT_REPOSTED);
  });

  it('offers --send after a partial delivery', () => {
    const run = result({ email: { status: 'skipped' }, slack: { status: 'skipped' } });
    const hints = { send: '--send', deliveredBefore: { email: true, slack: false } };

    const lines = formatRunSummary(run, hints).split('\n');

    expect(lines[0]).toMatch(/— rebuilt, not delivered \(--send delivers it\)$/);
    expect(lines).toContain('Email: already sent for this week, so not sent again');
    expect(lines).toContain('Slack: not sent');
  });

  it('ignores a rewritten summary file', () => {
    const run = result({ email: { status: 'already_sent' }, slack: { status: 'written' } });

    const lines = formatRunSummary(run).split('\n');

    expect(lines[0]).toMatch(/— already delivered$/);
  });

  it('names no resend option without one', () => {
    const run = result({ email: { status: 'already_sent' }, slack: { status: 'already_posted' } });

    const text = formatRunSummary(run);

    expect(text).toContain('Email: already sent for this week, so not sent again\n');
    expect(text).not.toContain('--force');
  });

  it.each([
    { email: 'sent', slack: 'posted', outcome: 'delivered' },
    { email: 'sent', slack: 'already_posted', outcome: 'delivered' },
    { email: 'already_sent', slack: 'already_posted', outcome: 'already delivered' },
    { email: 'skipped', slack: 'skipped', outcome: 'not delivered' },
  ] as const)('reads $email and $slack as $outcome', ({ email, slack, outcome }) => {
    const run = result({ email: { status: email }, slack: { status: slack } });

    const firstLine = formatRunSummary(run).split('\n')[0];

    expect(firstLine).toMatch(new RegExp(` — ${outcome}$`));
  });

  it('names the send option of a rebuilt report', () => {
    const run = result({ email: { status: 'skipped' }, slack: { status: 'skipped' } });

    const firstLine = formatRunSummary(run, { send: '--send' }).split('\n')[0];

    expect(firstLine).toMatch(/ — rebuilt, not delivered \(--send delivers it\)$/);
  });

  const SKIPPED_NOTE =
    "Harbor View, week of 16–22 Nov 2026: 3 Meta rows were skipped as invalid, so the property's " +
    'figures for that week are partial. First reason: spend is "abc", not a non-negative decimal';

  it('says how to see a hidden run log', () => {
    const run = result({ notes: [SKIPPED_NOTE] });

    const text = formatRunSummary(run, { logHidden: true });

    expect(text).toContain(`${SKIPPED_NOTE}\n${VERBOSE_HINT}`);
  });

  it.each([
    {
      case: 'the log prints',
      notes: [SKIPPED_NOTE],
      logHidden: false,
    },
    { case: 'no note needs it', notes: ['HubSpot leads are unavailable'], logHidden: true },
  ])('omits the log hint when $case', ({ notes, logHidden }) => {
    const text = formatRunSummary(result({ notes }), { logHidden });

    expect(text).not.toContain(VERBOSE_HINT);
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
