/**
 * No secret is ever logged, stored or sent. Runs go through the whole pipeline with known
 * credentials, once cleanly and once with faults whose error bodies echo each token back, and a
 * slash command goes through the Bolt app and the worker's bot job. Then every log line, error
 * message, DynamoDB item, archived S3 object, output file, email and Slack message is searched
 * for every secret value.
 */
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApp } from '../../src/bot/app.ts';
import { signedSlashCommandEvent } from '../../src/bot/function-url-event.ts';
import { type BotJob, runBotJob } from '../../src/bot/jobs.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { type CapturedOutput, captureOutput } from './capture-output.ts';
import type { Fault } from './fault-proxy.ts';
import { anthropicMessages, graphAccount, hubspotSearch, slackPost } from './matchers.ts';
import { CLAUDE_ANSWER, createWorld, REPORT_CHANNEL, SECRETS, WEEK, type World } from './world.ts';

const TEAM = 'T0SECRETS1';
const USER = 'U0SECRETS1';

let world: World;
let output: CapturedOutput;
const results: RunResult[] = [];
const errors: string[] = [];

const echo = (status: number, body: unknown): Fault => ({
  kind: 'status',
  status,
  body: JSON.stringify(body),
});

beforeAll(async () => {
  world = await createWorld();
  world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER, CLAUDE_ANSWER);
  output = captureOutput();
  try {
    results.push(await world.run({ trigger: 'cli' }));
    injectEchoingFaults(world);
    results.push(await world.run({ trigger: 'cli', forceDelivery: true }));
    await runSlashCommand(world);
  } catch (error) {
    errors.push(String(error), (error as Error).stack ?? '');
  } finally {
    output.restore();
  }
});

afterAll(async () => {
  await world?.close();
});

function injectEchoingFaults(target: World): void {
  const { proxies } = target;
  proxies.graph.inject(
    graphAccount(target.accounts.branch),
    echo(400, {
      error: {
        message: `Malformed access token ${SECRETS.META_ACCESS_TOKEN}`,
        type: 'OAuthException',
        code: 190,
      },
    }),
  );
  proxies.hubspot.inject(
    hubspotSearch(WEEK.start),
    echo(401, {
      status: 'error',
      message: `The access token ${SECRETS.HUBSPOT_ACCESS_TOKEN} is not valid`,
      category: 'INVALID_AUTHENTICATION',
    }),
  );
  proxies.anthropic.inject(
    anthropicMessages,
    echo(401, {
      type: 'error',
      error: {
        type: 'authentication_error',
        message: `invalid x-api-key ${SECRETS.ANTHROPIC_API_KEY}`,
      },
    }),
  );
  proxies.slack.inject(
    slackPost(REPORT_CHANNEL),
    {
      kind: 'status',
      status: 500,
      body: `upstream failed for token=${SECRETS.SLACK_BOT_TOKEN}`,
    },
    2,
  );
}

/** `/adreport week` through the Bolt app, then the dispatched job through the worker. */
async function runSlashCommand(target: World): Promise<void> {
  const jobs: BotJob[] = [];
  const config = { ...target.config, slack: { ...target.config.slack, teamId: TEAM } };
  const bot = createBotApp({
    signingSecret: SECRETS.SLACK_SIGNING_SECRET,
    botToken: SECRETS.SLACK_BOT_TOKEN,
    config,
    dispatch: async (job) => {
      jobs.push(job);
    },
    state: new StateStore(target.deps.dynamo, target.deps.stateTable),
    slackApiUrl: `${target.slack.origin}/api/`,
  });
  const command = signedSlashCommandEvent(SECRETS.SLACK_SIGNING_SECRET, {
    text: `week ${WEEK.start}`,
    teamId: TEAM,
    channelId: REPORT_CHANNEL,
    userId: USER,
    responseUrl: target.slack.responseUrl('week'),
  });
  const forged = signedSlashCommandEvent('not-the-signing-secret', {
    text: 'help',
    teamId: TEAM,
    channelId: REPORT_CHANNEL,
    userId: USER,
    responseUrl: target.slack.responseUrl('forged'),
  });
  await bot.handler(forged, {});
  await bot.handler(command, {});
  for (const job of jobs) {
    await runBotJob(job, {
      pipeline: { ...target.deps, config },
      slack: new WebClient(SECRETS.SLACK_BOT_TOKEN, { slackApiUrl: `${target.slack.origin}/api/` }),
      anthropic: null,
      runReport,
    });
  }
  if (jobs.length !== 1) errors.push(`Expected one dispatched job, got ${jobs.length}`);
}

async function storedItems(): Promise<string> {
  const scans = await Promise.all(
    [world.deps.metricsTable, world.deps.stateTable].map((table) =>
      world.backend.clients.dynamo.send(new ScanCommand({ TableName: table })),
    ),
  );

  return JSON.stringify(scans.flatMap((scan) => scan.Items ?? []));
}

async function archivedObjects(): Promise<string> {
  const s3 = world.backend.clients.s3;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: world.backend.bucket }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (object) => {
      const got = await s3.send(
        new GetObjectCommand({ Bucket: world.backend.bucket, Key: object.Key }),
      );

      return `${object.Key}\n${await got.Body?.transformToString()}`;
    }),
  );

  return bodies.join('\n');
}

async function outputFiles(): Promise<string> {
  const files = results.flatMap((result) => result.outputFiles);
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));

  return texts.join('\n');
}

function slackTraffic(): string {
  const calls = world.slack.calls.map((call) => ({ method: call.method, body: call.body }));

  return JSON.stringify({ calls, responses: world.slack.responses });
}

describe('secrets', () => {
  it('ran the scenarios', () => {
    expect(errors).toEqual([]);
    expect(results.map((r) => r.outcome)).toEqual(['delivered', 'degraded']);
    expect(world.slack.responses.length).toBeGreaterThan(0);
    expect(output.lines.length).toBeGreaterThan(50);
  });

  it.each(Object.entries(SECRETS))('keeps %s out of every place', async (_name, secret) => {
    const places = {
      logs: output.lines.join('\n'),
      errors: JSON.stringify(results.map((r) => [r.notes, r.email.error, r.slack.error])),
      dynamodb: await storedItems(),
      s3: await archivedObjects(),
      files: await outputFiles(),
      emails: JSON.stringify(await world.backend.readSentEmails()),
      slack: slackTraffic(),
    };

    const leaks = Object.entries(places).filter(([, text]) => text.includes(secret));

    expect(leaks.map(([place]) => place)).toEqual([]);
  });
});
