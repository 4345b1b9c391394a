import type { BotDeps } from '../../src/bot/jobs.ts';
import type { LocalBackend } from '../../src/local/emulators.ts';
import { createSlackClient } from '../../src/slack/create-slack-client.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { FAST_RETRY, type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { uniqueId } from '../helpers/local-backend.ts';
import { useFake } from '../helpers/use-fake.ts';
import { CHANNEL, makeBotConfig, USER } from './bot-fixtures.ts';
import { pipelineDeps, type SeedCampaign, seedMetrics } from './seed-metrics.ts';

/** Monday 2026-11-30 09:00 UTC, so the latest complete week starts 2026-11-23. */
const JOB_NOW = new Date('2026-11-30T09:00:00Z');

/** A channel the bot has not joined, so the Slack fake rejects posts to it with not_in_channel. */
export const NOT_JOINED_CHANNEL = 'C0NOTJOIN1';

/** Starts a Slack fake with CHANNEL and NOT_JOINED_CHANNEL for the tests of the calling file. */
export function useJobSlackFake(): () => SlackFake {
  return useFake(() =>
    startSlackFake({
      channels: [CHANNEL, NOT_JOINED_CHANNEL],
      notInChannel: [NOT_JOINED_CHANNEL],
    }),
  );
}

/** Creates a report with fresh ids and the pipeline dependencies that read and store it. */
export function makeJobReport(backend: LocalBackend) {
  const reportId = uniqueId('rep');
  const propertyId = uniqueId('prop');
  const config = makeBotConfig({}, [], { reportId, propertyId });

  return { reportId, propertyId, pipeline: pipelineDeps(backend, config, JOB_NOW) };
}

/**
 * Builds job dependencies that post to the Slack fake, with no Claude client and a `runReport`
 * that throws unless `overrides` replaces them.
 */
export function makeJobDeps(
  slack: SlackFake,
  pipeline: BotDeps['pipeline'],
  overrides: Partial<BotDeps> = {},
): BotDeps {
  return {
    pipeline,
    slack: createSlackClient('xoxb-test-token', { apiUrl: slack.apiUrl, retryConfig: FAST_RETRY }),
    anthropic: null,
    runReport: async () => {
      throw new Error('runReport is not used by this job');
    },
    ...overrides,
  };
}

/** Creates a response URL on the Slack fake and a reader of the posts sent to it. */
export function makeResponseUrl(slack: SlackFake) {
  const responseId = uniqueId('resp');

  return {
    responseUrl: slack.responseUrl(responseId),
    responses: () => slack.responses.filter((post) => post.id === responseId),
  };
}

/** Builds a `/adreport week` job for the week of 2026-11-23, sent by USER in `channelId`. */
export function makeWeekJob(reportId: string, responseUrl: string, channelId = CHANNEL) {
  return {
    kind: 'week' as const,
    reportId,
    weekStart: '2026-11-23',
    resendEmail: false,
    responseUrl,
    channelId,
    userId: USER,
  };
}

/** Builds the job of a mention by USER that replies in the thread `threadTs` of CHANNEL. */
export function makeThreadReplyJob(text: string, threadTs: string) {
  return {
    kind: 'thread-reply' as const,
    eventKey: uniqueId('Ev'),
    text,
    channelId: CHANNEL,
    threadTs,
    userId: USER,
  };
}

/** Stores the campaigns of the report for the weeks ending with the week of 2026-11-23. */
export async function seedJobMetrics(
  pipeline: BotDeps['pipeline'],
  reportId: string,
  campaigns: SeedCampaign[],
): Promise<void> {
  const metrics = new MetricsStore(pipeline.dynamo, pipeline.metricsTable);

  await seedMetrics(metrics, { reportId, lastWeekStart: '2026-11-23', campaigns });
}
