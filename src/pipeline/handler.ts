import Anthropic from '@anthropic-ai/sdk';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type BotJob, runBotJob } from '../bot/jobs.ts';
import { ENV } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import { secretsFromSecretsManager } from '../config/secrets.ts';
import { InputError } from '../shared/errors.ts';
import { lastCompleteWeek, weekContaining } from '../shared/week.ts';
import { createAwsClients } from '../storage/aws-clients.ts';
import { checkDelivery } from './check-delivery.ts';
import { runReport } from './run-report.ts';
import { createRunSlackClient } from './start-run.ts';
import type { PipelineDeps, RunResult } from './types.ts';

/** Events the worker accepts: the weekly schedule, the 09:00 delivery check and bot jobs. */
export type WorkerEvent =
  | { kind: 'schedule'; reportId: string; scheduledTime?: string }
  | { kind: 'delivery-check'; reportId: string; scheduledTime?: string }
  /** Rebuilds a week from the raw archive; `send` delivers what has not gone out yet. */
  | { kind: 'replay'; reportId: string; weekStart: string; send?: boolean }
  | { kind: 'bot-job'; job: BotJob };

/** Built once per container, so warm invocations reuse config, clients and the secret cache. */
let depsPromise: Promise<PipelineDeps> | null = null;

/** Runs the worker Lambda's events: the weekly pipeline, the delivery check, replays and Slack jobs. */
export async function handler(event: WorkerEvent): Promise<unknown> {
  depsPromise ??= buildDeps(process.env);
  const deps = await depsPromise;
  switch (event.kind) {
    case 'schedule':
      return runScheduled(deps, event);
    case 'delivery-check':
      return checkDelivery(deps, event);
    case 'replay':
      return summarise(
        await runReport(deps, {
          reportId: event.reportId,
          week: weekContaining(event.weekStart),
          trigger: 'replay',
          replay: true,
          deliver: { email: event.send === true, slack: event.send === true },
        }),
      );
    case 'bot-job':
      return runBotJob(event.job, await botDeps(deps));
    default:
      throw new InputError('unknown_event', `Unknown worker event ${JSON.stringify(event)}`, {
        fix: 'send { kind: "schedule" | "delivery-check" | "replay" | "bot-job", … }',
      });
  }
}

async function buildDeps(env: NodeJS.ProcessEnv): Promise<PipelineDeps> {
  const configPath = requireEnv(env, ENV.config);
  const clients = createAwsClients();

  return {
    config: await loadConfig(configPath),
    secrets: secretsFromSecretsManager(new SecretsManagerClient({}), requireEnv(env, ENV.secretId)),
    dynamo: clients.dynamo,
    s3: clients.s3,
    ses: clients.ses,
    metricsTable: requireEnv(env, ENV.metricsTable),
    stateTable: requireEnv(env, ENV.stateTable),
    archiveBucket: requireEnv(env, ENV.archiveBucket),
    outDir: null,
    // The Lambda runtime sets it. Elsewhere, as in tests, a placeholder keeps commands readable.
    workerFunctionName: env.AWS_LAMBDA_FUNCTION_NAME ?? 'WORKER_FUNCTION_NAME',
    now: () => new Date(),
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
}

/**
 * Reports the week before the scheduled time, judged in the report's zone, so a late retry still
 * reports the intended week. A failed run throws so Lambda retries it; the retry finishes only the
 * deliveries that are missing. A delivery another run holds (`in_progress`) does not throw: Lambda
 * retries within that run's lease, and the delivery check finishes it if that run stopped.
 */
async function runScheduled(
  deps: PipelineDeps,
  event: { reportId: string; scheduledTime?: string },
) {
  const report = deps.config.reports.find((r) => r.id === event.reportId);
  const at = event.scheduledTime ? new Date(event.scheduledTime) : deps.now();
  const week = report ? lastCompleteWeek(at, report.timeZone) : undefined;
  const result = await runReport(deps, {
    reportId: event.reportId,
    trigger: 'schedule',
    ...(week ? { week } : {}),
  });
  if (
    result.outcome === 'failed' ||
    result.email.status === 'failed' ||
    result.slack.status === 'failed'
  ) {
    throw new Error(
      `Run ${result.runId} ${result.outcome}: ${result.notes.join('; ') || 'a delivery failed'}`,
    );
  }

  return summarise(result);
}

async function botDeps(deps: PipelineDeps) {
  const secrets = await deps.secrets.get();

  return {
    pipeline: deps,
    slack: createRunSlackClient(deps.config, secrets.SLACK_BOT_TOKEN ?? ''),
    anthropic: secrets.ANTHROPIC_API_KEY
      ? new Anthropic({
          apiKey: secrets.ANTHROPIC_API_KEY,
          baseURL: deps.config.anthropic.baseUrl ?? null,
          timeout: deps.config.anthropic.timeoutMs,
        })
      : null,
    runReport,
  };
}

function summarise(result: RunResult) {
  return {
    runId: result.runId,
    outcome: result.outcome,
    weekStart: result.week.start,
    email: result.email.status,
    slack: result.slack.status,
  };
}

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    throw new InputError('env_missing', `Environment variable ${name} is not set`, {
      fix: 'deploy with the CDK stack, which sets it, or set it by hand',
    });
  }

  return value;
}
