import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type { WebClient } from '@slack/web-api';
import type { PipelineDeps, RunRequest, RunResult } from '../pipeline/types.ts';
import { isAdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { escapeInline } from '../slack/mrkdwn.ts';
import { StateStore } from '../storage/state-store.ts';
import { runAskJob } from './ask/run-ask-job.ts';
import type { BotJob } from './job-types.ts';
import { postToResponseUrl } from './respond.ts';
import { runWeekJob } from './run-week-job.ts';
import { runTrendJob } from './trend/run-trend-job.ts';

export type { BotJob } from './job-types.ts';

/** Dependencies of the worker's bot jobs. */
export interface BotDeps {
  pipeline: PipelineDeps;
  slack: WebClient;
  /** Null when no Anthropic key is configured; `ask` then explains how to enable it. */
  anthropic: Anthropic | null;
  runReport: (deps: PipelineDeps, request: RunRequest) => Promise<RunResult>;
  /** Used for `response_url` posts; the global fetch by default. */
  fetch?: typeof fetch;
}

/**
 * How long a job's claim lasts. Lambda retries a failed asynchronous invoke for up to 6 hours,
 * and a claim outliving that stops a duplicate delivery from posting twice.
 */
const JOB_CLAIM_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Runs one bot job in the worker. The job is claimed first, so a duplicate delivery of the same
 * job does nothing. Failures are logged and reported to the caller, never thrown, because a
 * thrown error would make Lambda retry the job and post twice.
 */
export async function runBotJob(job: BotJob, deps: BotDeps): Promise<void> {
  const startedAt = performance.now();
  const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable, {
    now: deps.pipeline.now,
  });
  const ids = { kind: job.kind, channelId: job.channelId, userId: job.userId };
  if (!(await state.claimEvent(jobKey(job), JOB_CLAIM_TTL_SECONDS))) {
    logger.info('Skipped a bot job that already ran', ids);
    return;
  }

  try {
    await runClaimedJob(job, deps);
    logger.info('Finished a bot job', {
      ...ids,
      durationMs: Math.round(performance.now() - startedAt),
    });
  } catch (error) {
    logger.error('Bot job failed', { ...ids, error });
    await reportFailure(job, deps, error);
  }
}

function runClaimedJob(job: BotJob, deps: BotDeps): Promise<void> {
  switch (job.kind) {
    case 'week':
      return runWeekJob(job, deps);
    case 'trend':
      return runTrendJob(job, deps);
    case 'ask':
    case 'thread-reply':
      return runAskJob(job, deps);
  }
}

/** Tells the caller that the job failed, with the fix when the error carries one. */
async function reportFailure(job: BotJob, deps: BotDeps, error: unknown): Promise<void> {
  const detail = isAdreportError(error)
    ? error.message
    : 'an unexpected error occurred (see the worker log)';
  const text = `Sorry, that did not work: ${escapeInline(detail)}`;
  try {
    if (job.kind === 'thread-reply') {
      await deps.slack.chat.postMessage({ channel: job.channelId, thread_ts: job.threadTs, text });
    } else {
      await postToResponseUrl(job.responseUrl, { response_type: 'ephemeral', text }, deps.fetch);
    }
  } catch (replyError) {
    logger.error('Reporting a failed bot job to Slack failed', {
      kind: job.kind,
      error: replyError,
    });
  }
}

/** Returns a job's claim key: the mention's event id, or a hash of the command's response URL. */
export function jobKey(job: BotJob): string {
  if (job.kind === 'thread-reply') return `bot-job#event#${job.eventKey}`;
  const digest = createHash('sha256').update(job.responseUrl).digest('hex').slice(0, 32);

  return `bot-job#command#${digest}`;
}
