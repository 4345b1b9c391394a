import { describe, expect, it } from 'vitest';
import { runWeekJob } from '../../src/bot/run-week-job.ts';
import type { PipelineDeps, RunRequest, RunResult } from '../../src/pipeline/types.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { makeReport } from '../slack/make-report.ts';
import { CHANNEL, uniqueNumericId } from './bot-fixtures.ts';
import {
  makeJobDeps,
  makeJobReport,
  makeResponseUrl,
  makeWeekJob,
  NOT_JOINED_CHANNEL,
  seedJobMetrics,
  useJobSlackFake,
} from './job-fixtures.ts';

const backend = useLocalBackend();
const slack = useJobSlackFake();

/** A runReport stand-in that records requests and returns `result` built for the request. */
function recordingRunReport(outcome: 'delivered' | 'failed' = 'delivered') {
  const requests: RunRequest[] = [];
  const outDirs: (string | null)[] = [];
  const runReport = async (deps: PipelineDeps, request: RunRequest): Promise<RunResult> => {
    requests.push(request);
    outDirs.push(deps.outDir);
    const report =
      outcome === 'failed' ? null : makeReport({ reportId: request.reportId, week: request.week });

    return {
      runId: 'run-1',
      reportId: request.reportId,
      week: request.week ?? { start: '2026-11-23', end: '2026-11-29' },
      outcome,
      report,
      outputFiles: [],
      email: request.deliver?.email ? { status: 'sent', messageId: 'm-1' } : { status: 'skipped' },
      slack: { status: 'skipped' },
      notes: outcome === 'failed' ? ['Meta data is unavailable for every property'] : [],
    };
  };

  return Object.assign(runReport, { requests, outDirs });
}

async function setup(
  options: { seedWeeks?: number; channel?: string; outcome?: 'delivered' | 'failed' } = {},
) {
  const { reportId, propertyId, pipeline } = makeJobReport(backend());
  if (options.seedWeeks) {
    const spend = Array.from({ length: options.seedWeeks }, () => 50_000);
    await seedJobMetrics(pipeline, reportId, [
      { id: uniqueNumericId(), name: 'Spring Sale', propertyId, spend, leads: spend.map(() => 20) },
    ]);
  }
  const runReport = recordingRunReport(options.outcome);
  const { responseUrl, responses } = makeResponseUrl(slack());
  const deps = makeJobDeps(slack(), pipeline, { runReport });
  const job = makeWeekJob(reportId, responseUrl, options.channel);

  return { deps, job, runReport, responses };
}

describe('runWeekJob', () => {
  it('re-runs the week without email or Slack delivery', async () => {
    const { deps, job, runReport } = await setup({ seedWeeks: 4 });

    await runWeekJob(job, deps);

    expect(runReport.requests).toEqual([
      {
        reportId: job.reportId,
        week: { start: '2026-11-23', end: '2026-11-29' },
        trigger: 'slack',
        forceDelivery: false,
        deliver: { email: false, slack: false },
      },
    ]);
  });

  it('posts the summary to the calling channel', async () => {
    const { deps, job } = await setup({ seedWeeks: 4 });
    const before = slack().callsOf('chat.postMessage').length;

    await runWeekJob(job, deps);
    const calls = slack().callsOf('chat.postMessage').slice(before);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.channel).toBe(CHANNEL);
  });

  it('tells the caller the outcome', async () => {
    const { deps, job, responses } = await setup({ seedWeeks: 4 });

    await runWeekJob(job, deps);

    expect(responses()[0]?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(responses()[0]?.body.text).toContain('The summary is posted in this channel.');
  });

  it('names no delivery it did not make', async () => {
    const { deps, job, responses } = await setup({ seedWeeks: 4 });

    await runWeekJob(job, deps);
    const lines = String(responses()[0]?.body.text).split('\n');

    expect(lines[0]).toBe('Finished 23–29 Nov 2026. The summary is posted in this channel.');
    expect(lines[1]).toContain('The report email for this week has not been sent.');
  });

  it('says the email went out earlier', async () => {
    const { deps, job, responses } = await setup({ seedWeeks: 4 });
    const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable);
    const key = { reportId: job.reportId, weekStart: job.weekStart, channel: 'email' as const };
    await state.claimDelivery({ ...key, runId: 'run-0', leaseMs: 60_000 });
    await state.completeDelivery({ ...key, runId: 'run-0', detail: { messageId: 'm-0' } });

    await runWeekJob(job, deps);

    expect(responses()[0]?.body.text).toContain(
      'The report email for this week was sent earlier, and this command did not send it again.',
    );
  });

  it('forces the email when asked', async () => {
    const { deps, job, runReport, responses } = await setup({ seedWeeks: 4 });

    await runWeekJob({ ...job, resendEmail: true }, deps);

    expect(runReport.requests[0]).toMatchObject({
      forceDelivery: true,
      deliver: { email: true, slack: false },
    });
    expect(responses()[0]?.body.text).toContain('The email was sent.');
  });

  it('says sent again after a send', async () => {
    const { deps, job, responses } = await setup({ seedWeeks: 4 });
    const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable);
    const key = { reportId: job.reportId, weekStart: job.weekStart, channel: 'email' as const };
    await state.claimDelivery({ ...key, runId: 'run-0', leaseMs: 60_000 });
    await state.completeDelivery({ ...key, runId: 'run-0', detail: { messageId: 'm-0' } });

    await runWeekJob({ ...job, resendEmail: true }, deps);

    expect(responses()[0]?.body.text).toContain('The email was sent again.');
  });

  it('says sent after a stuck claim', async () => {
    const { deps, job, responses } = await setup({ seedWeeks: 4 });
    const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable);
    const key = { reportId: job.reportId, weekStart: job.weekStart, channel: 'email' as const };
    // A run that stopped while sending left its claim in place and recorded no send.
    await state.claimDelivery({ ...key, runId: 'stopped-run', leaseMs: 15 * 60_000 });

    await runWeekJob({ ...job, resendEmail: true }, deps);
    const lines = String(responses()[0]?.body.text).split('\n');

    expect(lines[1]).toBe('The email was sent.');
  });

  it('writes no email copy without --email', async () => {
    const { deps, job, runReport } = await setup({ seedWeeks: 4 });
    const withOutDir = { ...deps, pipeline: { ...deps.pipeline, outDir: '/tmp/adreport-out' } };

    await runWeekJob(job, withOutDir);
    await runWeekJob({ ...job, resendEmail: true }, withOutDir);

    expect(runReport.outDirs).toEqual([null, '/tmp/adreport-out']);
  });

  it('rejects a week before the data begins', async () => {
    const { deps, job, runReport, responses } = await setup({ seedWeeks: 4 });

    await runWeekJob({ ...job, weekStart: '2026-10-26' }, deps);

    expect(runReport.requests).toHaveLength(0);
    expect(responses()[0]?.body.text).toContain('begins with the week of 2026-11-02');
  });

  it('runs any week before the first run', async () => {
    const { deps, job, runReport } = await setup();

    await runWeekJob({ ...job, weekStart: '2025-01-06' }, deps);

    expect(runReport.requests).toHaveLength(1);
  });

  it('reports a failed run', async () => {
    const { deps, job, responses } = await setup({ outcome: 'failed' });

    await runWeekJob(job, deps);

    expect(responses()[0]?.body.text).toContain(
      'failed: Meta data is unavailable for every property',
    );
  });

  it('falls back to the response URL outside the channel', async () => {
    const { deps, job, responses } = await setup({ channel: NOT_JOINED_CHANNEL });

    await runWeekJob(job, deps);
    const [summary, outcome] = responses();

    expect(summary?.body.response_type).toBe('in_channel');
    expect(Array.isArray(summary?.body.blocks)).toBe(true);
    expect(outcome?.body.text).toContain('invite the app');
  });

  it('names a report that is no longer configured', async () => {
    const { deps, job, responses } = await setup();

    await runWeekJob({ ...job, reportId: 'gone' }, deps);

    expect(responses()[0]?.body.text).toBe('Report "gone" is no longer configured.');
  });
});
