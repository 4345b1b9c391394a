/**
 * Turns the runs of each scale case into medians, and the cases into the ratios and target
 * checks the benchmark page reports. Pure functions, so the arithmetic is tested on its own.
 */
import { GRAPH_PAGE_SIZE } from './bench-config.ts';
import type { EmailSizes } from './measure-email.ts';
import type { RunMeasurement, ServiceRequests } from './measure-run.ts';
import { median, ratio, type Summary, summarise } from './stats.ts';

/** One measured configuration: a campaign count, a history length and a Graph page size. */
export interface ScaleCase {
  campaigns: number;
  historyWeeks: number;
  runs: number;
  pageSize: number;
  /** Whether the child runs with `NODE_OPTIONS=--enable-source-maps`, as the stack sets it. */
  sourceMaps: boolean;
  /** Purpose of the case, shown on the page. */
  purpose: string;
}

/** Facts about the seeded data of a case, measured outside the timed runs. */
export interface DatasetFacts {
  seed: { runs: number; durationMs: number };
  /** Characters of the report week's raw Graph rows as JSON: a naive prompt's size. */
  rawInsightsChars: number;
  /** HubSpot contacts created in the report week that the lead filter selects (paid social). */
  reportWeekLeads: number;
}

export interface CaseResult extends ScaleCase, DatasetFacts {
  handlerMs: Summary;
  processMs: Summary;
  maxRssMb: Summary;
  /** Median duration of each pipeline step, in ms. */
  steps: Record<string, number>;
  /** Median time with a request waiting for the DynamoDB or S3 emulator, in ms. */
  emulatorBusyMs: { dynamodb: number; s3: number };
  /** The handler's outcome per run, or its error. */
  outcomes: string[];
  /** Requests of the first run; `requestsStable` is false when another run differed. */
  requests: ServiceRequests;
  requestsStable: boolean;
  prompt: { chars: number; estimatedTokens: number } | null;
  email: EmailSizes | null;
}

/** Campaign count of the two cases that compare 12 and 104 weeks of stored history. */
export const HISTORY_CAMPAIGNS = 10;

/** DynamoDB operations that read. */
const READ_OPERATIONS = ['GetItem', 'BatchGetItem', 'Query', 'Scan'];

/** Summarises the runs of one case. Throws InputError (from `median`) when there are none. */
export function summariseCase(
  scaleCase: ScaleCase,
  dataset: DatasetFacts,
  runs: RunMeasurement[],
): CaseResult {
  const first = runs[0];
  const stepNames = [...new Set(runs.flatMap((run) => Object.keys(run.steps)))];
  const chars = first?.promptChars ?? null;

  return {
    ...scaleCase,
    ...dataset,
    handlerMs: summarise(runs.map((run) => run.handlerMs)),
    processMs: summarise(runs.map((run) => run.processMs)),
    maxRssMb: summarise(runs.map((run) => run.maxRssMb)),
    steps: Object.fromEntries(
      stepNames.map((name) => [name, median(runs.map((run) => run.steps[name] ?? 0))]),
    ),
    emulatorBusyMs: {
      dynamodb: median(runs.map((run) => run.emulatorBusyMs.dynamodb)),
      s3: median(runs.map((run) => run.emulatorBusyMs.s3)),
    },
    outcomes: runs.map(outcomeOf),
    requests: (first as RunMeasurement).requests,
    requestsStable: runs.every(
      (run) => JSON.stringify(run.requests) === JSON.stringify(first?.requests),
    ),
    prompt: chars === null ? null : { chars, estimatedTokens: Math.round(chars / 4) },
    email: first?.email ?? null,
  };
}

function outcomeOf(run: RunMeasurement): string {
  if (run.error) return `error: ${run.error}`;
  const output = run.output as { outcome?: unknown; email?: unknown; slack?: unknown } | null;

  return `${String(output?.outcome)} (email ${String(output?.email)}, Slack ${String(output?.slack)})`;
}

/**
 * Finds the case with `campaigns` and, unless given otherwise, 12 weeks of history, the default
 * Graph page size and source maps on.
 */
export function findCase(
  cases: CaseResult[],
  wanted: { campaigns: number; historyWeeks?: number; pageSize?: number; sourceMaps?: boolean },
): CaseResult | undefined {
  return cases.find(
    (c) =>
      c.campaigns === wanted.campaigns &&
      c.historyWeeks === (wanted.historyWeeks ?? 12) &&
      c.pageSize === (wanted.pageSize ?? GRAPH_PAGE_SIZE) &&
      c.sourceMaps === (wanted.sourceMaps ?? true),
  );
}

/** DynamoDB read requests of a run, all read operations together. */
export function dynamoReads(requests: ServiceRequests): number {
  return READ_OPERATIONS.reduce((sum, name) => sum + (requests.dynamodb[name] ?? 0), 0);
}

/** Items DynamoDB reads returned in a run. */
export function dynamoItemsRead(requests: ServiceRequests): number {
  return Object.values(requests.dynamodbItemsRead).reduce((sum, value) => sum + value, 0);
}

/** Graph API requests of a run. */
export function graphCalls(requests: ServiceRequests): number {
  return requests.graph.account + requests.graph.insights;
}

/** A target from the task, the measured value and whether it was met (null: not measured). */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export interface ScaleFindings {
  /** Median wall time at 1,000 campaigns over the median at 100. */
  wallTimeGrowth: number | null;
  memoryGrowth: number | null;
  /** Prompt characters at 1,000 campaigns over those at 50. */
  promptGrowth: number | null;
  /** DynamoDB reads (requests and items) at 12 and 104 weeks of stored history. */
  historyReads: {
    campaigns: number;
    weeks12: { requests: number; items: number };
    weeks104: { requests: number; items: number };
  } | null;
  scans: number;
  targets: TargetCheck[];
}

/**
 * Computes growth ratios and checks the targets. At 1,000 campaigns a run stays under 10 s and
 * 512 MB and its email HTML under 100 KB. Wall time grows about tenfold from 100 to 1,000
 * campaigns, no request is a Scan, and reads do not depend on history length. The prompt grows
 * at most 1.5 times from 50 to 1,000 campaigns.
 */
export function findScaleFindings(cases: CaseResult[]): ScaleFindings {
  const find = (campaigns: number, historyWeeks = 12) =>
    findCase(cases, { campaigns, historyWeeks });
  const at1000 = find(1000);
  const at100 = find(100);
  const at50 = find(50);
  const history12 = find(HISTORY_CAMPAIGNS);
  const history104 = find(HISTORY_CAMPAIGNS, 104);
  const scans = cases.reduce((sum, c) => sum + (c.requests.dynamodb.Scan ?? 0), 0);
  const wallTimeGrowth =
    at1000 && at100 ? ratio(at1000.handlerMs.median, at100.handlerMs.median) : null;
  const promptGrowth =
    at1000?.prompt && at50?.prompt ? ratio(at1000.prompt.chars, at50.prompt.chars) : null;
  const historyReads = history12 && history104 ? compareReads(history12, history104) : null;

  return {
    wallTimeGrowth,
    memoryGrowth: at1000 && at100 ? ratio(at1000.maxRssMb.median, at100.maxRssMb.median) : null,
    promptGrowth,
    historyReads,
    scans,
    targets: [
      under('Wall time, 1,000 campaigns', 10_000, at1000?.handlerMs.median, seconds),
      under('Peak memory, 1,000 campaigns', 512, at1000?.maxRssMb.median, megabytes),
      check(
        'Wall time growth, 100 to 1,000 campaigns',
        'close to 10×, far from 100×',
        wallTimeGrowth ?? undefined,
        (r) => r <= 15,
        times,
      ),
      check('DynamoDB Scans, all runs', '0', scans, (n) => n === 0, String),
      check(
        'DynamoDB reads, 104 vs 12 weeks of history',
        'equal',
        historyReads ? historyReads.weeks104.requests - historyReads.weeks12.requests : undefined,
        (difference) => difference === 0,
        (difference) => `${difference >= 0 ? '+' : ''}${difference} requests`,
      ),
      check(
        'Claude prompt growth, 50 to 1,000 campaigns',
        'within 1.5×',
        promptGrowth ?? undefined,
        (r) => r <= 1.5,
        times,
      ),
      under('Email HTML, 1,000 campaigns', 100_000, at1000?.email?.htmlBytes, kilobytes),
    ],
  };
}

function compareReads(weeks12: CaseResult, weeks104: CaseResult) {
  const reads = (result: CaseResult) => ({
    requests: dynamoReads(result.requests),
    items: dynamoItemsRead(result.requests),
  });

  return { campaigns: weeks12.campaigns, weeks12: reads(weeks12), weeks104: reads(weeks104) };
}

/** Checks that `value` is under `limit`, and reports how far over it is when it is not. */
function under(
  name: string,
  limit: number,
  value: number | undefined,
  format: (value: number) => string,
): TargetCheck {
  const target = `under ${format(limit)}`;
  if (value === undefined) return { name, target, measured: 'not measured', met: null };
  const met = value < limit;

  return {
    name,
    target,
    measured: met ? format(value) : `${format(value)}, ${format(value - limit)} over`,
    met,
  };
}

function check(
  name: string,
  target: string,
  value: number | undefined,
  passes: (value: number) => boolean,
  format: (value: number) => string,
): TargetCheck {
  if (value === undefined) return { name, target, measured: 'not measured', met: null };

  return { name, target, measured: format(value), met: passes(value) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (mb: number) => `${Math.round(mb)} MB`;
const times = (value: number) => `${value.toFixed(2)}×`;
// 1 KB is 1,000 bytes, as on the email benchmark page.
const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
