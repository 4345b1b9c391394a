/**
 * Exactly once per report and week, through the real worker Lambda handler. The handler builds
 * its dependencies from the environment as in AWS: the config file, the table and bucket names,
 * `AWS_ENDPOINT_URL_*` for the emulators and a loopback Secrets Manager, and the Slack fake's URL.
 * Lambda delivers an asynchronous event at least once and retries a failed invocation, so the
 * same scheduler event arrives twice at once, again later, and again after a partial failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from '../../bench/lib/fake-secrets-manager.ts';
import { handler } from '../../src/pipeline/handler.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { type FakeGraphApi, insightsRow, startFakeGraphApi } from '../fakes/graph-api.ts';
import { type FakeHubSpot, startFakeHubSpot } from '../fakes/hubspot-api.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { FaultProxy } from './fault-proxy.ts';
import { slackPost, slackThreadPost } from './matchers.ts';
import { setEnvironment, workerEnvironment } from './worker-env.ts';
import { leadRow, SECRETS, WEEKS } from './world.ts';

const SECRET_ID = 'adreport/reliability';
/** Monday 07:00 in New York, the weekly schedule; the report week is 23 to 29 November. */
const SCHEDULED_TIME = '2026-11-30T12:00:00Z';
const OPS_CHANNEL = 'C0ONCEOPS1';
const REPORTS = {
  concurrent: { id: 'once-concurrent', channel: 'C0ONCEAAA1', account: 'act_3001' },
  platformError: { id: 'once-platform-error', channel: 'C0ONCEBBB1', account: 'act_3002' },
  serverError: { id: 'once-server-error', channel: 'C0ONCECCC1', account: 'act_3003' },
  neverRun: { id: 'once-never-run', channel: 'C0ONCEDDD1', account: 'act_3004' },
  stopped: { id: 'once-stopped', channel: 'C0ONCEEEE1', account: 'act_3005' },
  partial: { id: 'once-partial', channel: 'C0ONCEFFF1', account: 'act_3006' },
} as const;
/**
 * Campaigns of the `partial` report's first property and its further properties. Their long names,
 * cut to 80 characters for display, fill the top-campaigns and property sections past the 12,000
 * characters of block text kept per message, so the Slack summary is split.
 */
const LONG_NAMED_CAMPAIGNS = 15;
const EXTRA_PROPERTIES = Array.from({ length: 70 }, (_, i) => ({
  id: `branch-${i}`,
  name: `Branch ${i} ${'with a long property name '.repeat(4)}`,
  metaAdAccountId: `act_${4000 + i}`,
}));
const LEASE_MS = 15 * 60_000;
/** Monday 09:00 in New York, the delivery check of the same week. */
const CHECK_TIME = '2026-11-30T14:00:00Z';

const backend = useLocalBackend();
let graph: FakeGraphApi;
let hubspot: FakeHubSpot;
let slack: SlackFake;
let slackProxy: FaultProxy;
let secretsManager: FakeSecretsManager;
let restoreEnvironment: () => void;

beforeAll(async () => {
  [graph, hubspot, slack, secretsManager] = await Promise.all([
    startFakeGraphApi({ accessToken: SECRETS.META_ACCESS_TOKEN }),
    startFakeHubSpot({ accessToken: SECRETS.HUBSPOT_ACCESS_TOKEN }),
    startSlackFake({ token: SECRETS.SLACK_BOT_TOKEN }),
    startFakeSecretsManager({
      [SECRET_ID]: {
        META_ACCESS_TOKEN: SECRETS.META_ACCESS_TOKEN,
        HUBSPOT_ACCESS_TOKEN: SECRETS.HUBSPOT_ACCESS_TOKEN,
        SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
      },
    }),
  ]);
  slackProxy = new FaultProxy(slack.origin);
  const slackUrl = await slackProxy.start();
  for (const { account } of Object.values(REPORTS)) {
    graph.setAccount(account, { currency: 'USD', timezone_name: 'America/New_York' });
    for (const weekStart of WEEKS)
      graph.setRows(account, weekStart, [leadRow('311', '3111', 90, 6)]);
  }
  const longNamed = Array.from({ length: LONG_NAMED_CAMPAIGNS }, (_, i) =>
    insightsRow({
      campaignId: String(500 + i),
      adsetId: String(5000 + i),
      campaignName: `Spring lease-up ${i} ${'with a very long campaign name '.repeat(40)}`,
      objective: 'OUTCOME_LEADS',
      spend: String(40 + i),
      impressions: 10_000,
      clicks: 100,
      actions: { lead: 2 + (i % 5) },
    }),
  );
  for (const weekStart of WEEKS) graph.setRows(REPORTS.partial.account, weekStart, longNamed);
  EXTRA_PROPERTIES.forEach((property, i) => {
    // Meta ids are unique across accounts, so each property gets its own campaign.
    const row = leadRow(String(7000 + i), String(70_000 + i), 90, 6);
    graph.setAccount(property.metaAdAccountId, {
      currency: 'USD',
      timezone_name: 'America/New_York',
    });
    for (const weekStart of WEEKS) graph.setRows(property.metaAdAccountId, weekStart, [row]);
  });
  restoreEnvironment = setEnvironment(
    await workerEnvironment({
      backend: backend(),
      config: workerConfig(),
      secretId: SECRET_ID,
      secretsManagerUrl: secretsManager.url,
      slackApiUrl: `${slackUrl}/api/`,
    }),
  );
});

afterAll(async () => {
  restoreEnvironment();
  await slackProxy.stop();
  await Promise.all([graph.close(), hubspot.close(), slack.close(), secretsManager.close()]);
});

function workerConfig() {
  return {
    reports: Object.values(REPORTS).map((report) => ({
      id: report.id,
      name: `Report ${report.id}`,
      timeZone: 'America/New_York',
      recipients: [recipientOf(report.id)],
      slackChannel: report.channel,
      properties: [
        { id: `home-${report.id}`, name: 'Home', metaAdAccountId: report.account },
        ...(report === REPORTS.partial ? EXTRA_PROPERTIES : []),
      ],
    })),
    email: { sender: 'reports@example.com', opsRecipients: ['ops-once@example.com'] },
    meta: { baseUrl: graph.url },
    hubspot: { baseUrl: hubspot.url },
    slack: { apiUrl: 'http://127.0.0.1:9/unused/', opsChannel: OPS_CHANNEL, retries: 1 },
  };
}

const recipientOf = (reportId: string) => `team-${reportId}@example.com`;
const scheduled = (reportId: string) =>
  ({ kind: 'schedule', reportId, scheduledTime: SCHEDULED_TIME }) as const;

async function deliveries(report: { id: string; channel: string }) {
  const emails = await backend().readSentEmails();
  const posts = slack.callsOf('chat.postMessage');

  return {
    emails: emails.filter((e) => e.destination.to.includes(recipientOf(report.id))).length,
    posts: posts.filter((p) => p.body.channel === report.channel && !p.body.thread_ts).length,
    opsPosts: posts.filter(
      (p) => p.body.channel === OPS_CHANNEL && String(p.body.text).includes(report.id),
    ).length,
  };
}

/**
 * Claims the report week's email for a run that then stops, as a Lambda that timed out while
 * sending would. A `claimedAt` more than 15 minutes back gives a claim whose lease has run out.
 */
async function claimForStoppedRun(reportId: string, claimedAt: Date) {
  const state = new StateStore(backend().clients.dynamo, backend().stateTable, {
    now: () => claimedAt,
  });

  return state.claimDelivery({
    reportId,
    weekStart: '2026-11-23',
    channel: 'email',
    runId: 'run-stopped',
    leaseMs: LEASE_MS,
  });
}

describe('handler on a duplicated schedule event', () => {
  it('delivers once when invoked twice at once', async () => {
    const report = REPORTS.concurrent;

    const settled = await Promise.allSettled([
      handler(scheduled(report.id)),
      handler(scheduled(report.id)),
    ]);

    const counts = await deliveries(report);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(counts.emails).toBe(1);
    expect(counts.posts).toBe(1);
    expect(counts.opsPosts).toBe(0);
  });

  it('delivers nothing on a later invocation', async () => {
    const report = REPORTS.concurrent;

    const result = await handler(scheduled(report.id));

    const counts = await deliveries(report);
    expect(result).toMatchObject({
      outcome: 'already_delivered',
      email: 'already_sent',
      slack: 'already_posted',
    });
    expect(counts.emails).toBe(1);
    expect(counts.posts).toBe(1);
  });
});

describe('handler retried after a Slack failure', () => {
  it('posts only to Slack after an ok:false error', async () => {
    const report = REPORTS.platformError;
    slackProxy.inject(slackPost(report.channel), {
      kind: 'status',
      status: 200,
      body: JSON.stringify({ ok: false, error: 'fatal_error' }),
    });

    const failed = handler(scheduled(report.id));
    await expect(failed).rejects.toThrow(/degraded/);
    const retried = await handler(scheduled(report.id));

    const counts = await deliveries(report);
    expect(retried).toMatchObject({ email: 'already_sent', slack: 'posted' });
    expect(counts.emails).toBe(1);
    expect(counts.posts).toBe(1);
    expect(counts.opsPosts).toBe(1);
  });

  it('posts only to Slack after HTTP 500s', async () => {
    const report = REPORTS.serverError;
    const serverError = { kind: 'status' as const, status: 500, body: 'Internal Server Error' };
    // The config allows one retry, so two 500s fail the post.
    slackProxy.inject(slackPost(report.channel), serverError, 2);

    const failed = handler(scheduled(report.id));
    await expect(failed).rejects.toThrow(/degraded/);
    const retried = await handler(scheduled(report.id));

    const counts = await deliveries(report);
    expect(retried).toMatchObject({ email: 'already_sent', slack: 'posted' });
    expect(counts.emails).toBe(1);
    expect(counts.posts).toBe(1);
    expect(counts.opsPosts).toBe(1);
  });
});

describe('handler on the delivery check', () => {
  it('tells ops when the email is missing', async () => {
    const report = REPORTS.neverRun;

    const result = await handler({
      kind: 'delivery-check',
      reportId: report.id,
      scheduledTime: CHECK_TIME,
    });

    const counts = await deliveries(report);
    const opsText = slack
      .callsOf('chat.postMessage')
      .map((p) => String(p.body.text))
      .find((text) => text.includes(report.id));
    expect(result).toEqual({
      delivered: false,
      weekStart: '2026-11-23',
      missing: ['email', 'slack'],
    });
    expect(counts.opsPosts).toBe(1);
    expect(opsText).toContain('aws lambda invoke --function-name WORKER_FUNCTION_NAME ');
    expect(opsText).toContain(`"kind":"schedule","reportId":"${report.id}"`);
  });

  it('stays quiet for a delivered week', async () => {
    const report = REPORTS.concurrent;

    const result = await handler({
      kind: 'delivery-check',
      reportId: report.id,
      scheduledTime: CHECK_TIME,
    });

    const counts = await deliveries(report);
    expect(result).toEqual({ delivered: true, weekStart: '2026-11-23' });
    expect(counts.opsPosts).toBe(0);
  });
});

describe('handler retried after a partial Slack post', () => {
  it('posts each part once', async () => {
    const report = REPORTS.partial;
    slackProxy.inject(slackThreadPost(report.channel), {
      kind: 'status',
      status: 200,
      body: JSON.stringify({ ok: false, error: 'fatal_error' }),
    });

    const failed = handler(scheduled(report.id));
    await expect(failed).rejects.toThrow(/degraded/);
    const retried = await handler(scheduled(report.id));

    const posts = slack
      .callsOf('chat.postMessage')
      .filter((p) => p.body.channel === report.channel);
    const texts = posts.map((p) => String(p.body.text));
    const parts = Number(/part \d+ of (\d+)/.exec(texts.at(-1) ?? '')?.[1]);
    expect(retried).toMatchObject({ email: 'already_sent', slack: 'posted' });
    expect(parts).toBeGreaterThan(1);
    expect(posts).toHaveLength(parts);
    expect(new Set(texts).size).toBe(parts);
  });

  it('keeps the parts in one thread', async () => {
    const report = REPORTS.partial;

    const posts = slack
      .callsOf('chat.postMessage')
      .filter((p) => p.body.channel === report.channel);

    const threads = new Set(posts.slice(1).map((p) => p.body.thread_ts));
    expect(posts[0]?.body.thread_ts).toBeUndefined();
    expect(threads.size).toBe(1);
  });
});

describe('handler after a run stopped while emailing', () => {
  it('reports the email in progress', async () => {
    const report = REPORTS.stopped;
    await claimForStoppedRun(report.id, new Date());

    const result = await handler(scheduled(report.id));

    const counts = await deliveries(report);
    expect(result).toMatchObject({ outcome: 'in_progress', email: 'in_progress', slack: 'posted' });
    expect(counts.emails).toBe(0);
    expect(counts.posts).toBe(1);
    expect(counts.opsPosts).toBe(0);
  });

  it('emails once at the delivery check', async () => {
    const report = REPORTS.stopped;
    await claimForStoppedRun(report.id, new Date(Date.now() - LEASE_MS - 1000));

    const result = await handler({
      kind: 'delivery-check',
      reportId: report.id,
      scheduledTime: CHECK_TIME,
    });

    const counts = await deliveries(report);
    expect(result).toMatchObject({
      delivered: true,
      finished: { email: 'sent', slack: 'skipped' },
    });
    expect(counts.emails).toBe(1);
    expect(counts.posts).toBe(1);
    expect(counts.opsPosts).toBe(1);
  });

  it('stays quiet on the next check', async () => {
    const report = REPORTS.stopped;

    const result = await handler({
      kind: 'delivery-check',
      reportId: report.id,
      scheduledTime: CHECK_TIME,
    });

    const counts = await deliveries(report);
    expect(result).toEqual({ delivered: true, weekStart: '2026-11-23' });
    expect(counts.emails).toBe(1);
    expect(counts.opsPosts).toBe(1);
  });
});
