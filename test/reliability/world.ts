/**
 * One isolated scenario for the reliability suites. Each world starts its own local backend
 * (dynalite, s3rver, aws-ses-v2-local) and its own Graph, HubSpot, Anthropic and Slack fakes. A
 * FaultProxy sits in front of each fake and each emulator, and the PipelineDeps point at the
 * proxies. Worlds share no tables, so tests can run side by side. Every address is 127.0.0.1. A
 * world's clock starts at NOW and moves forward only by the waits it records, so a test reads
 * back every backoff and rate-limit pause that the run requested.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type AdreportConfig, configSchema } from '../../src/config/schema.ts';
import { secretsFromEnv } from '../../src/config/secrets.ts';
import {
  LOCAL_CREDENTIALS,
  type LocalBackend,
  startLocalBackend,
} from '../../src/local/emulators.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { PipelineDeps, RunRequest, RunResult } from '../../src/pipeline/types.ts';
import type { Week } from '../../src/shared/types.ts';
import {
  type AwsClients,
  createAwsClients,
  destroyAwsClients,
} from '../../src/storage/aws-clients.ts';
import { type AnthropicFake, type FakeReply, startAnthropicFake } from '../fakes/anthropic-api.ts';
import { type FakeGraphApi, insightsRow, startFakeGraphApi } from '../fakes/graph-api.ts';
import { type FakeHubSpot, startFakeHubSpot } from '../fakes/hubspot-api.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { uniqueId } from '../helpers/local-backend.ts';
import { FaultProxy } from './fault-proxy.ts';

/** The report week; the run re-fetches it and the three weeks before it. */
export const WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };
export const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
/** Monday noon UTC: the week of 23 November has ended in every zone used here. */
export const NOW = new Date('2026-11-30T12:00:00Z');
export const REPORT_CHANNEL = 'C0REPORT01';
export const OPS_CHANNEL = 'C0OPSCHAN1';
const DAY_MS = 86_400_000;

/** Credentials the fakes accept. The secrets suite checks that none of them leaks. */
export const SECRETS = {
  META_ACCESS_TOKEN: 'meta-token-9f8e7d6c5b4a3928',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-hubspot-11aa22bb33cc44dd',
  ANTHROPIC_API_KEY: 'sk-ant-api03-reliability-5e6f7a8b',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-reliabilitytoken',
  SLACK_SIGNING_SECRET: 'signing-secret-0a1b2c3d4e5f6a7b',
} as const;

/** A Claude reply that quotes no figure, so the number check keeps it for any data. */
export const CLAUDE_ANSWER: FakeReply = {
  kind: 'message',
  text: JSON.stringify({
    headline: 'Both properties held steady last week.',
    weekSummary: ['Spend and leads stayed within their usual range.'],
    trendSummary: ['No campaign moved beyond its normal variation.'],
    recommendations: {
      marketing: ['Keep the current creative running.'],
      digital: ['No landing page changes are needed.'],
      leadership: ['No decision is needed this week.'],
    },
  }),
};

export interface WorldOptions {
  /** Leaves the Anthropic key out, so the run writes the offline narrative. */
  withoutClaude?: boolean;
  /** Leaves the ops Slack channel out, so ops messages go by email. */
  withoutOpsChannel?: boolean;
  /** Config fields to override, merged over the defaults of every section. */
  config?: Partial<Record<'meta' | 'hubspot' | 'anthropic' | 'slack', Record<string, unknown>>>;
}

export interface World {
  id: string;
  backend: LocalBackend;
  reportId: string;
  /** Ad account ids of the two properties, `home` and `branch`. */
  accounts: { home: string; branch: string };
  recipient: string;
  opsRecipient: string;
  graph: FakeGraphApi;
  hubspot: FakeHubSpot;
  anthropic: AnthropicFake;
  slack: SlackFake;
  proxies: Record<
    'graph' | 'hubspot' | 'anthropic' | 'slack' | 'dynamodb' | 's3' | 'ses',
    FaultProxy
  >;
  clients: AwsClients;
  config: AdreportConfig;
  deps: PipelineDeps;
  /** Every wait the run asked for through `deps.sleep`, in ms, in order. */
  sleeps: number[];
  run(request?: Partial<RunRequest>): Promise<RunResult>;
  close(): Promise<void>;
}

/** Starts the local backend, fakes and proxies of one scenario. */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const backend = await startLocalBackend({ dataDir: null });
  const id = uniqueId('rel');
  const suffix = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const accounts = { home: `act_1${suffix}`, branch: `act_2${suffix}` };
  const [graph, hubspot, anthropic, slack] = await Promise.all([
    startFakeGraphApi({ accessToken: SECRETS.META_ACCESS_TOKEN }),
    startFakeHubSpot({ accessToken: SECRETS.HUBSPOT_ACCESS_TOKEN }),
    startAnthropicFake({ apiKey: SECRETS.ANTHROPIC_API_KEY }),
    startSlackFake({ token: SECRETS.SLACK_BOT_TOKEN }),
  ]);
  seedGraph(graph, accounts);
  seedHubSpot(hubspot);
  const proxies = {
    graph: new FaultProxy(graph.url),
    hubspot: new FaultProxy(hubspot.url),
    anthropic: new FaultProxy(anthropic.baseURL),
    slack: new FaultProxy(slack.origin),
    dynamodb: new FaultProxy(backend.endpoints.dynamodb),
    s3: new FaultProxy(backend.endpoints.s3),
    ses: new FaultProxy(backend.endpoints.ses),
  };
  const urls = Object.fromEntries(
    await Promise.all(Object.entries(proxies).map(async ([name, p]) => [name, await p.start()])),
  ) as Record<keyof typeof proxies, string>;
  const clients = createAwsClients({
    region: 'us-east-1',
    endpoints: { dynamodb: urls.dynamodb, s3: urls.s3, ses: urls.ses },
    credentials: LOCAL_CREDENTIALS,
    requestTimeoutMs: 2000,
  });
  const names = { recipient: `team-${id}@example.com`, opsRecipient: `ops-${id}@example.com` };
  const config = buildConfig(id, accounts, names, urls, options);
  const clock = { at: NOW.getTime() };
  const sleeps: number[] = [];
  const secrets = options.withoutClaude ? { ...SECRETS, ANTHROPIC_API_KEY: '' } : { ...SECRETS };
  const deps: PipelineDeps = {
    config,
    secrets: secretsFromEnv(secrets),
    dynamo: clients.dynamo,
    s3: clients.s3,
    ses: clients.ses,
    metricsTable: backend.metricsTable,
    stateTable: backend.stateTable,
    archiveBucket: backend.bucket,
    outDir: await mkdtemp(join(tmpdir(), 'adreport-reliability-')),
    now: () => new Date(clock.at),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.at += ms;
    },
  };

  return {
    id,
    backend,
    reportId: config.reports[0]?.id as string,
    accounts,
    ...names,
    graph,
    hubspot,
    anthropic,
    slack,
    proxies,
    clients,
    config,
    deps,
    sleeps,
    run: (request = {}) =>
      runReport(deps, { reportId: id, week: WEEK, trigger: 'schedule', ...request }),
    close: async () => {
      destroyAwsClients(clients);
      await Promise.all(Object.values(proxies).map((proxy) => proxy.stop()));
      await Promise.all([graph.close(), hubspot.close(), anthropic.close(), slack.close()]);
      await backend.stop();
    },
  };
}

/** Creates a world that closes when the current test finishes, so concurrent tests can share a file. */
export async function worldForTest(
  onTestFinished: (cleanup: () => Promise<void>) => void,
  options: WorldOptions = {},
): Promise<World> {
  const world = await createWorld(options);
  onTestFinished(() => world.close());

  return world;
}

function buildConfig(
  id: string,
  accounts: World['accounts'],
  names: { recipient: string; opsRecipient: string },
  urls: Record<string, string>,
  options: WorldOptions,
): AdreportConfig {
  const overrides = options.config ?? {};

  return configSchema.parse({
    reports: [
      {
        id,
        name: 'Reliability report',
        timeZone: 'America/New_York',
        recipients: [names.recipient],
        slackChannel: REPORT_CHANNEL,
        properties: [
          { id: 'home', name: 'Home', metaAdAccountId: accounts.home },
          { id: 'branch', name: 'Branch', metaAdAccountId: accounts.branch },
        ],
      },
    ],
    email: { sender: 'reports@example.com', opsRecipients: [names.opsRecipient] },
    meta: { baseUrl: urls.graph, requestTimeoutMs: 1000, ...overrides.meta },
    hubspot: { baseUrl: urls.hubspot, timeoutMs: 1000, ...overrides.hubspot },
    anthropic: { baseUrl: urls.anthropic, timeoutMs: 2000, ...overrides.anthropic },
    slack: {
      apiUrl: `${urls.slack}/api/`,
      // One retry after about 1 s: the WebClient waits on its own timer, which tests cannot skip.
      retries: 1,
      timeoutMs: 1000,
      ...(options.withoutOpsChannel ? {} : { opsChannel: OPS_CHANNEL }),
      ...overrides.slack,
    },
  });
}

function seedGraph(graph: FakeGraphApi, accounts: World['accounts']): void {
  graph.setAccount(accounts.home, { currency: 'USD', timezone_name: 'America/New_York' });
  graph.setAccount(accounts.branch, { currency: 'USD', timezone_name: 'America/Chicago' });
  for (const [index, weekStart] of WEEKS.entries()) {
    graph.setRows(accounts.home, weekStart, [
      leadRow('111', '1111', 100 + index * 10, 10),
      leadRow('111', '1112', 50, 5),
    ]);
    graph.setRows(accounts.branch, weekStart, [leadRow('211', '2111', 80, 4)]);
  }
}

/** Seeds one paid-social contact per week, created on its Tuesday and attributed to campaign 111. */
function seedHubSpot(hubspot: FakeHubSpot): void {
  hubspot.setContacts(
    WEEKS.map((weekStart, index) => ({
      id: `c${index + 1}`,
      properties: {
        createdate: new Date(Date.parse(`${weekStart}T15:00:00Z`) + DAY_MS).toISOString(),
        hs_analytics_source: 'PAID_SOCIAL',
        hsa_cam: '111',
        hsa_grp: '1111',
      },
    })),
  );
}

/** Builds an insights row of a lead campaign with `leads` on Meta's roll-up `lead` action. */
export function leadRow(campaignId: string, adsetId: string, spend: number, leads: number) {
  return insightsRow({
    campaignId,
    adsetId,
    objective: 'OUTCOME_LEADS',
    spend: spend.toFixed(2),
    impressions: 20_000,
    clicks: 300,
    actions: { lead: leads, landing_page_view: 120 },
  });
}

/** Archive keys of one run: the raw objects stored under it and its manifest, if written. */
export async function readArchive(
  world: World,
  runId: string,
): Promise<{ rawKeys: string[]; manifestKeys: string[] | null }> {
  const { backend } = world;
  const s3 = backend.clients.s3;
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: backend.bucket, Prefix: 'raw/' }),
  );
  const rawKeys = (listed.Contents ?? [])
    .map((object) => object.Key as string)
    .filter((key) => key.includes(`/${runId}/`))
    .sort();
  try {
    const manifest = await s3.send(
      new GetObjectCommand({
        Bucket: backend.bucket,
        Key: `runs/${world.reportId}/${WEEK.start}/${runId}.json`,
      }),
    );
    const body = JSON.parse((await manifest.Body?.transformToString()) ?? '{}') as {
      keys: string[];
    };

    return { rawKeys, manifestKeys: [...body.keys].sort() };
  } catch {
    return { rawKeys, manifestKeys: null };
  }
}

/**
 * Archive keys a run should leave. For each property named in `meta`: its `account` payload and
 * one `insights` payload for each week listed (an empty list when only the account was fetched).
 * For HubSpot: one `contacts` payload for each week listed.
 */
export function expectedArchive(
  world: World,
  runId: string,
  plan: { meta: Partial<Record<'home' | 'branch', string[]>>; hubspot: string[] },
): string[] {
  const keys: string[] = [];
  for (const [property, weeks] of Object.entries(plan.meta)) {
    const account = world.accounts[property as 'home' | 'branch'];
    keys.push(`raw/meta/${account}/${WEEKS.at(-1)}/${runId}/account.json`);
    for (const week of weeks) keys.push(`raw/meta/${account}/${week}/${runId}/insights.json`);
  }
  for (const week of plan.hubspot) {
    keys.push(`raw/hubspot/${world.reportId}/${week}/${runId}/contacts.json`);
  }

  return keys.sort();
}

export interface Deliveries {
  /** Report emails accepted by SES for this world's recipient. */
  reportEmails: number;
  /** Top-level summary posts in the report channel (thread parts not counted). */
  reportPosts: number;
  /** Ops emails plus ops channel posts. */
  opsMessages: number;
  opsTexts: string[];
}

/** Counts what reached SES and the Slack fake for this world. */
export async function countDeliveries(world: World): Promise<Deliveries> {
  const emails = await world.backend.readSentEmails();
  const posts = world.slack.callsOf('chat.postMessage');
  const opsEmails = emails.filter((e) => e.destination.to.includes(world.opsRecipient));
  const opsPosts = posts.filter((p) => p.body.channel === OPS_CHANNEL);

  return {
    reportEmails: emails.filter((e) => e.destination.to.includes(world.recipient)).length,
    reportPosts: posts.filter((p) => p.body.channel === REPORT_CHANNEL && !p.body.thread_ts).length,
    opsMessages: opsEmails.length + opsPosts.length,
    opsTexts: [
      ...opsEmails.map((e) => e.body.text ?? ''),
      ...opsPosts.map((p) => String(p.body.text ?? '')),
    ],
  };
}
