import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import type { WebClient } from '@slack/web-api';
import { ENV } from '../config/env.ts';
import {
  type AdreportConfig,
  type ReportConfig,
  type Thresholds,
  thresholdsFor,
} from '../config/schema.ts';
import type { Secrets } from '../config/secrets.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { lastCompleteWeek, weeksEndingWith } from '../shared/week.ts';
import { createSlackClient, SLACK_RETRY } from '../slack/create-slack-client.ts';
import { MetricsStore } from '../storage/metrics-store.ts';
import { StateStore } from '../storage/state-store.ts';
import type { EarlierWeekNote, PipelineDeps, RunRequest } from './types.ts';

/** Everything one run carries from step to step. */
export interface RunContext {
  deps: PipelineDeps;
  request: RunRequest;
  report: ReportConfig;
  thresholds: Thresholds;
  week: Week;
  /** The report week and the earlier weeks re-fetched for Meta's restatements, oldest first. */
  fetchWeeks: Week[];
  runId: string;
  startedAt: Date;
  secrets: Secrets;
  metrics: MetricsStore;
  state: StateStore;
  slack: WebClient | null;
  anthropic: Anthropic | null;
  /** Degradations the report and the ops message must mention. */
  notes: string[];
  /** The entries of `notes` that concern earlier weeks, each with those weeks. */
  earlierWeekNotes: EarlierWeekNote[];
  steps: Record<
    string,
    { status: 'ok' | 'failed' | 'skipped'; durationMs: number; detail?: string }
  >;
}

/** Resolves the report and week, loads secrets and builds the clients a run needs. */
export async function startRun(deps: PipelineDeps, request: RunRequest): Promise<RunContext> {
  const report = findReport(deps, request.reportId);
  const startedAt = deps.now();
  const week = request.week ?? lastCompleteWeek(startedAt, report.timeZone);
  const secrets = await deps.secrets.get();

  return {
    deps,
    request,
    report,
    thresholds: thresholdsFor(deps.config, report),
    week,
    fetchWeeks: weeksEndingWith(week, deps.config.meta.restatementWeeks),
    runId: newRunId(week, startedAt),
    startedAt,
    secrets,
    metrics: new MetricsStore(deps.dynamo, deps.metricsTable, { sleep: deps.sleep }),
    state: new StateStore(deps.dynamo, deps.stateTable, { now: deps.now }),
    slack: slackClient(deps, secrets),
    anthropic: anthropicClient(deps, secrets),
    notes: [],
    earlierWeekNotes: [],
    steps: {},
  };
}

function findReport(deps: PipelineDeps, reportId: string): ReportConfig {
  const report = deps.config.reports.find((r) => r.id === reportId);
  if (!report) {
    const known = deps.config.reports.map((r) => r.id).join(', ');
    throw new InputError('report_not_found', `Unknown report "${reportId}"`, {
      fix: `use one of the configured reports: ${known}`,
    });
  }

  return report;
}

/** Run ids sort by time and name the week, so archive listings read in order. */
function newRunId(week: Week, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

  return `${week.start}_${stamp}_${randomUUID().slice(0, 8)}`;
}

function slackClient(deps: PipelineDeps, secrets: Secrets): WebClient | null {
  return secrets.SLACK_BOT_TOKEN
    ? createRunSlackClient(deps.config, secrets.SLACK_BOT_TOKEN)
    : null;
}

/**
 * Creates the Web API client of the worker, with bounded retries and a request timeout. The
 * WebClient's defaults retry a failing call for about 30 minutes with no timeout, past the
 * worker's 15-minute limit, so the run would end without its record or an ops message.
 */
export function createRunSlackClient(config: AdreportConfig, token: string): WebClient {
  return createSlackClient(token, {
    apiUrl: process.env[ENV.slackApiUrl] ?? config.slack.apiUrl,
    retryConfig: { ...SLACK_RETRY, retries: config.slack.retries },
    timeoutMs: config.slack.timeoutMs,
  });
}

function anthropicClient(deps: PipelineDeps, secrets: Secrets): Anthropic | null {
  if (!secrets.ANTHROPIC_API_KEY) return null;
  const options = deps.config.anthropic;

  return new Anthropic({
    apiKey: secrets.ANTHROPIC_API_KEY,
    baseURL: options.baseUrl ?? process.env[ENV.anthropicBaseUrl] ?? null,
    timeout: options.timeoutMs,
    maxRetries: 2,
  });
}
