/**
 * One timed weekly run. It restores a seeded emulator snapshot, serves its DynamoDB data from a
 * dynalite process of its own, puts counting proxies in front of DynamoDB, S3 and SES, and runs
 * the worker in a child process with a scheduled event. Then
 * it collects the requests every service received, the run record's step times and the email
 * that went out.
 */
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENV } from '../../src/config/env.ts';
import {
  LOCAL_CREDENTIALS,
  type LocalBackend,
  startLocalBackend,
} from '../../src/local/emulators.ts';
import type { Week } from '../../src/shared/types.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { BENCH_REPORT } from './bench-config.ts';
import { BENCH_SECRET_ID, type BenchWorld } from './bench-world.ts';
import {
  type CountingProxy,
  dynamoItemsRead,
  dynamoOperation,
  s3Operation,
  sesOperation,
  startCountingProxy,
} from './counting-proxy.ts';
import { promptChars } from './fake-anthropic.ts';
import { type EmailSizes, measureEmail, rawMessageOf } from './measure-email.ts';
import { runWorkerChild } from './run-child.ts';
import { startDynaliteProcess } from './start-dynalite-process.ts';

/** Requests each service received during one run. */
export interface ServiceRequests {
  graph: { account: number; insights: number };
  hubspot: number;
  anthropic: number;
  secretsManager: number;
  slack: Record<string, number>;
  dynamodb: Record<string, number>;
  /** Items returned by DynamoDB reads, by operation. */
  dynamodbItemsRead: Record<string, number>;
  s3: Record<string, number>;
  ses: Record<string, number>;
}

export interface RunMeasurement {
  handlerMs: number;
  processMs: number;
  maxRssMb: number;
  /** The handler's summary (`outcome`, `email`, `slack`), or its error. */
  output: unknown;
  error: string | null;
  /** Step durations from the run record, in ms. */
  steps: Record<string, number>;
  requests: ServiceRequests;
  /** Time during which at least one request waited for the DynamoDB or S3 emulator, in ms. */
  emulatorBusyMs: { dynamodb: number; s3: number };
  /** Characters of the Claude prompt: system text and user message. */
  promptChars: number | null;
  /** The report email (to the report's recipients), or null when none was sent. */
  email: EmailSizes | null;
  logFile: string;
}

export interface RunSetup {
  world: BenchWorld;
  /** Folder of the seeded emulator data, copied afresh for every run. */
  seedDir: string;
  workDir: string;
  label: string;
  handlerModule: string;
  configPath: string;
  reportWeek: Week;
  /** Runs the child with `--enable-source-maps`, as the stack's `NODE_OPTIONS` does. */
  sourceMaps: boolean;
  timeoutMs: number;
}

/** Runs the worker once on a fresh copy of the seeded data and measures the run. */
export async function measureRun(setup: RunSetup): Promise<RunMeasurement> {
  const dataDir = join(setup.workDir, `${setup.label}-data`);
  await cp(setup.seedDir, dataDir, { recursive: true });
  const dynalite = await startDynaliteProcess(join(dataDir, 'dynamodb'));
  const backend = await startLocalBackend({ dataDir, dynamodbUrl: dynalite.url });
  const messages: Buffer[] = [];
  const proxies = await startProxies(backend, messages);
  try {
    const before = countFakeRequests(setup.world);
    const child = await runWorkerChild({
      handlerModule: setup.handlerModule,
      event: scheduleEvent(setup.reportWeek),
      env: workerEnv(setup, backend, proxies),
      workDir: setup.workDir,
      label: setup.label,
      timeoutMs: setup.timeoutMs,
    });
    const after = countFakeRequests(setup.world);
    const anthropicBodies = setup.world.anthropic.requests.slice(before.anthropic);

    return {
      handlerMs: child.handlerMs,
      processMs: child.processMs,
      maxRssMb: child.maxRssKb / 1024,
      output: child.output,
      error: child.error,
      steps: await readSteps(backend, child.output),
      requests: serviceRequests(before, after, proxies),
      emulatorBusyMs: { dynamodb: proxies.dynamodb.busyMs(), s3: proxies.s3.busyMs() },
      promptChars: anthropicBodies.length > 0 ? promptChars(anthropicBodies[0]) : null,
      email: await reportEmail(messages, join(setup.workDir, `${setup.label}.eml`)),
      logFile: child.logFile,
    };
  } finally {
    await Promise.all([proxies.dynamodb.close(), proxies.s3.close(), proxies.ses.close()]);
    await backend.stop();
    await dynalite.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Proxies = { dynamodb: CountingProxy; s3: CountingProxy; ses: CountingProxy };

async function startProxies(backend: LocalBackend, messages: Buffer[]): Promise<Proxies> {
  const [dynamodb, s3, ses] = await Promise.all([
    startCountingProxy({
      upstream: backend.endpoints.dynamodb,
      classify: dynamoOperation,
      countItems: dynamoItemsRead,
    }),
    startCountingProxy({ upstream: backend.endpoints.s3, classify: s3Operation }),
    startCountingProxy({
      upstream: backend.endpoints.ses,
      classify: sesOperation,
      inspect: (request) => {
        const raw = rawMessageOf(request);
        if (raw) messages.push(raw);
      },
    }),
  ]);

  return { dynamodb, s3, ses };
}

/** Builds the event EventBridge Scheduler sends on the Monday after the report week. */
function scheduleEvent(reportWeek: Week) {
  const monday = new Date(`${reportWeek.end}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + 1);

  return {
    kind: 'schedule',
    reportId: BENCH_REPORT.id,
    // Noon UTC on Monday is past midnight in every zone from UTC-11 to UTC+11.
    scheduledTime: `${monday.toISOString().slice(0, 10)}T12:00:00Z`,
  };
}

/**
 * Builds the environment Lambda would give the worker, with every AWS endpoint and API base URL
 * on loopback and fake credentials that s3rver accepts.
 */
function workerEnv(setup: RunSetup, backend: LocalBackend, proxies: Proxies) {
  const { world } = setup;

  return {
    HOME: setup.workDir,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    // Missing files, so no shared AWS config of this machine is read.
    AWS_CONFIG_FILE: join(setup.workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(setup.workDir, 'no-aws-credentials'),
    AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
    AWS_ENDPOINT_URL_S3: proxies.s3.url,
    AWS_ENDPOINT_URL_SES: proxies.ses.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: world.secretsManager.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [ENV.config]: setup.configPath,
    [ENV.metricsTable]: backend.metricsTable,
    [ENV.stateTable]: backend.stateTable,
    [ENV.archiveBucket]: backend.bucket,
    [ENV.secretId]: BENCH_SECRET_ID,
    [ENV.metaBaseUrl]: world.urls.graph,
    [ENV.hubspotBaseUrl]: world.urls.hubspot,
    [ENV.slackApiUrl]: world.urls.slackApi,
    [ENV.anthropicBaseUrl]: world.urls.anthropic,
    // The settings the CDK stack gives the worker function.
    POWERTOOLS_SERVICE_NAME: 'adreport-worker',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...(setup.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };
}

type FakeCounts = ReturnType<typeof countFakeRequests>;

function countFakeRequests(world: BenchWorld) {
  return {
    graph: world.graph.requests.length,
    hubspot: world.hubspot.requests.length,
    slack: world.slack.calls.length,
    anthropic: world.anthropic.requests.length,
    secretsManager: world.secretsManager.calls(),
    world,
  };
}

function serviceRequests(before: FakeCounts, after: FakeCounts, proxies: Proxies): ServiceRequests {
  const graph = after.world.graph.requests.slice(before.graph);
  const slack: Record<string, number> = {};
  for (const call of after.world.slack.calls.slice(before.slack)) {
    slack[call.method] = (slack[call.method] ?? 0) + 1;
  }

  return {
    graph: {
      account: graph.filter((request) => !request.path.endsWith('/insights')).length,
      insights: graph.filter((request) => request.path.endsWith('/insights')).length,
    },
    hubspot: after.hubspot - before.hubspot,
    anthropic: after.anthropic - before.anthropic,
    secretsManager: after.secretsManager - before.secretsManager,
    slack,
    dynamodb: proxies.dynamodb.requests(),
    dynamodbItemsRead: proxies.dynamodb.items(),
    s3: proxies.s3.requests(),
    ses: proxies.ses.requests(),
  };
}

/**
 * Reads the step durations of the timed run's record, found by the run id in the handler's
 * output, or else as the newest scheduled run (backfill records are `cli` runs).
 */
async function readSteps(backend: LocalBackend, output: unknown): Promise<Record<string, number>> {
  const state = new StateStore(backend.clients.dynamo, backend.stateTable);
  const runId = (output as { runId?: unknown } | null)?.runId;
  const record =
    typeof runId === 'string'
      ? await state.getRun(runId)
      : (await state.listRuns(BENCH_REPORT.id, 50)).find((run) => run.trigger === 'schedule');
  const steps: Record<string, number> = {};
  for (const [name, step] of Object.entries(record?.steps ?? {})) steps[name] = step.durationMs;

  return steps;
}

/** Measures the report email and saves it as `emlPath` for inspection with `--keep`. */
async function reportEmail(messages: Buffer[], emlPath: string): Promise<EmailSizes | null> {
  for (const raw of messages) {
    const sizes = await measureEmail(raw);
    if (!sizes.to.includes('marketing@example.com')) continue;
    await writeFile(emlPath, raw);

    return sizes;
  }

  return null;
}
