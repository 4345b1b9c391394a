import Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { type AnalysisEvent, MAX_RAW_TEXT, type TokenUsage } from '../analysis/analysis-events.ts';
import {
  type AnalysisOutput,
  analysisOutputSchema,
  buildAnalysisRequest,
  clampOutput,
} from '../analysis/analysis-prompt.ts';
import type { AnalysisFacts } from '../analysis/facts.ts';
import { writeOfflineNarrative } from '../analysis/offline-narrative.ts';
import { verifyAnalysis } from '../analysis/verify-analysis.ts';
import type { AdreportConfig } from '../config/schema.ts';
import { logger, maskSecrets } from '../shared/logger.ts';
import type { Analysis } from '../shared/types.ts';

export type { AnalysisEvent } from '../analysis/analysis-events.ts';

/** HTTP retries the SDK makes on 408, 409, 429, 5xx and 529, each bounded by the budget. */
export const HTTP_RETRIES = 3;
/** Calls made when Claude's output is unusable (cut off, not JSON, wrong shape, a refusal). */
export const ANSWER_ATTEMPTS = 2;
/** A second call is only made with at least this much of the budget left. */
export const MIN_ATTEMPT_MS = 1000;
/** Above this share of dropped claims, the offline narrative replaces Claude's output. */
export const MAX_DROPPED_SHARE = 0.3;

const NOT_CONFIGURED =
  'Claude is not configured (no Anthropic API key), so the figures speak alone';

type Attempt =
  | { kind: 'analysis'; analysis: Analysis; usage: TokenUsage }
  | { kind: 'failure'; reason: string; retry: boolean; usage: TokenUsage };

interface AttemptContext {
  client: Anthropic;
  request: MessageCreateParamsNonStreaming;
  facts: AnalysisFacts;
  options: AdreportConfig['anthropic'];
  events: AnalysisEvent[];
  budgetMs: number;
}

/**
 * Has Claude write the analysis from the facts, checks every number in it, and falls back to
 * the offline narrative on any failure, with the reason. Never throws. `budgetMs` (twice
 * `timeoutMs` by default) bounds the whole step, SDK retries and their waits included: an abort
 * signal ends a call still running at the deadline, and no new call starts after it.
 */
export async function writeAnalysis(input: {
  facts: AnalysisFacts;
  client: Anthropic | null;
  options: AdreportConfig['anthropic'];
  budgetMs?: number;
}): Promise<{ analysis: Analysis; events: AnalysisEvent[] }> {
  const started = Date.now();
  const events: AnalysisEvent[] = [];
  const finish = (analysis: Analysis) => {
    const durationMs = Date.now() - started;
    events.push({
      type: 'result',
      source: analysis.source,
      fallbackReason: analysis.fallbackReason,
      durationMs,
    });
    const log = analysis.source === 'claude' || !input.client ? logger.info : logger.warn;
    log.call(logger, 'Wrote analysis', {
      source: analysis.source,
      fallbackReason: analysis.fallbackReason,
      durationMs,
    });

    return { analysis, events };
  };
  try {
    if (!input.client) return finish(writeOfflineNarrative(input.facts, NOT_CONFIGURED));
    const budgetMs = input.budgetMs ?? 2 * input.options.timeoutMs;
    const context: AttemptContext = {
      client: input.client,
      request: buildAnalysisRequest(input.facts, input.options),
      facts: input.facts,
      options: input.options,
      events,
      budgetMs,
    };

    return finish(await callWithinBudget(context, started + budgetMs));
  } catch (error) {
    logger.error('Analysis failed unexpectedly', { error });
    const reason = `The analysis failed unexpectedly (${errorMessage(error)})`;

    return finish(writeOfflineNarrative(input.facts, reason));
  }
}

/** Calls Claude until its output is usable, the attempts run out or the deadline passes. */
async function callWithinBudget(context: AttemptContext, deadline: number): Promise<Analysis> {
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let reason = `Claude did not answer within ${seconds(context.budgetMs)}`;
  for (let attempt = 1; attempt <= ANSWER_ATTEMPTS; attempt += 1) {
    const remaining = deadline - Date.now();
    if (remaining < MIN_ATTEMPT_MS && attempt > 1) break;
    const outcome = await attemptAnalysis(context, attempt, Math.max(remaining, 1));
    usage = addUsage(usage, outcome.usage);
    if (outcome.kind === 'analysis') return { ...outcome.analysis, usage };
    reason = outcome.reason;
    if (!outcome.retry) break;
  }
  const spent = usage.inputTokens + usage.outputTokens > 0 ? usage : null;

  return { ...writeOfflineNarrative(context.facts, reason), usage: spent };
}

async function attemptAnalysis(
  context: AttemptContext,
  attempt: number,
  remainingMs: number,
): Promise<Attempt> {
  const { request, events, options } = context;
  const timeoutMs = Math.min(options.timeoutMs, remainingMs);
  const promptChars = request.messages.reduce(
    (sum, message) => sum + JSON.stringify(message.content).length,
    0,
  );
  events.push({ type: 'request', attempt, model: request.model, promptChars, timeoutMs });
  logger.info('Requesting Claude analysis', {
    attempt,
    model: request.model,
    promptChars,
    timeoutMs,
  });
  const started = Date.now();
  let response: Message;
  try {
    response = await context.client.messages.create(request, {
      timeout: timeoutMs,
      maxRetries: HTTP_RETRIES,
      signal: AbortSignal.timeout(remainingMs),
    });
  } catch (error) {
    return failedCall(error, context, attempt, Date.now() - started);
  }

  return readResponse(response, context, attempt, Date.now() - started);
}

function readResponse(
  response: Message,
  context: AttemptContext,
  attempt: number,
  latencyMs: number,
): Attempt {
  const usage = usageOf(response);
  const rawText = response.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('');
  const requestId = (response as Message & { _request_id?: string | null })._request_id ?? null;
  context.events.push({
    type: 'response',
    attempt,
    requestId,
    stopReason: response.stop_reason,
    latencyMs,
    usage,
    rawText: rawText.slice(0, MAX_RAW_TEXT),
  });
  logger.info('Received Claude analysis', {
    attempt,
    requestId,
    stopReason: response.stop_reason,
    latencyMs,
    ...usage,
  });
  logger.debug('Received Claude raw output', { attempt, rawText: rawText.slice(0, MAX_RAW_TEXT) });
  if (response.stop_reason !== 'end_turn') {
    return { kind: 'failure', reason: describeStop(response.stop_reason), retry: true, usage };
  }
  const parsed = parseOutput(rawText);
  context.events.push({
    type: 'parse',
    attempt,
    ok: parsed.ok,
    error: parsed.ok ? null : parsed.error,
  });
  if (!parsed.ok) {
    logger.warn('Claude output is unusable', { attempt, error: parsed.error });

    return { kind: 'failure', reason: parsed.reason, retry: true, usage };
  }

  return verifiedAnalysis(parsed.output, response.model, context, attempt, usage);
}

function verifiedAnalysis(
  output: AnalysisOutput,
  model: string,
  context: AttemptContext,
  attempt: number,
  usage: TokenUsage,
): Attempt {
  const check = verifyAnalysis(clampOutput(output), context.facts);
  const { claims, kept, dropped, droppedClaims, headlineVerified } = check;
  context.events.push({
    type: 'verification',
    attempt,
    claims,
    kept,
    dropped,
    droppedClaims,
    headlineVerified,
  });
  const log = dropped > 0 ? logger.warn : logger.info;
  log.call(logger, 'Verified Claude analysis', {
    attempt,
    claims,
    kept,
    dropped,
    droppedClaims,
    headlineVerified,
  });
  if (!headlineVerified || dropped > MAX_DROPPED_SHARE * claims) {
    const what = headlineVerified ? `${dropped} of ${claims} claims` : 'the headline';
    const reason = `Claude's analysis failed the number check: ${what} quoted figures that match no computed fact`;

    return { kind: 'failure', reason, retry: false, usage };
  }

  return {
    kind: 'analysis',
    usage,
    analysis: {
      ...check.output,
      source: 'claude',
      model,
      fallbackReason: null,
      droppedClaims: dropped,
      usage,
    },
  };
}

type Parsed = { ok: true; output: AnalysisOutput } | { ok: false; error: string; reason: string };

/** Parses the structured answer: JSON first, then the schema. */
function parseOutput(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: errorMessage(error), reason: "Claude's answer was not valid JSON" };
  }
  const result = analysisOutputSchema.safeParse(json);
  if (!result.success) {
    const error = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');

    return { ok: false, error, reason: "Claude's answer did not match the expected structure" };
  }

  return { ok: true, output: result.data };
}

function failedCall(
  error: unknown,
  context: AttemptContext,
  attempt: number,
  latencyMs: number,
): Attempt {
  const apiError = error instanceof Anthropic.APIError ? error : null;
  const status = typeof apiError?.status === 'number' ? apiError.status : null;
  const requestId = apiError?.requestID ?? null;
  const message = maskSecrets(errorMessage(error)).slice(0, 500);
  const errorType = error instanceof Error ? error.constructor.name : typeof error;
  context.events.push({ type: 'error', attempt, errorType, status, requestId, message, latencyMs });
  logger.warn('Claude request failed', {
    attempt,
    errorType,
    status,
    requestId,
    message,
    latencyMs,
  });
  const zero = { inputTokens: 0, outputTokens: 0 };

  return {
    kind: 'failure',
    reason: describeError(error, context.budgetMs),
    retry: false,
    usage: zero,
  };
}

/** Says why the API call failed, in words for the report footer. */
function describeError(error: unknown, budgetMs: number): string {
  if (
    error instanceof Anthropic.APIUserAbortError ||
    error instanceof Anthropic.APIConnectionTimeoutError
  ) {
    return `The Claude API did not answer within ${seconds(budgetMs)}`;
  }
  if (error instanceof Anthropic.APIConnectionError) return 'The Claude API could not be reached';
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const what = `${error.status}${error.type ? ` ${error.type}` : ''}`;
    if (RETRIED_STATUSES(error.status)) return `The Claude API failed with ${what} after retries`;

    return `The Claude API rejected the request with ${what} (${fixFor(error.status)})`;
  }

  return `The Claude API call failed (${maskSecrets(errorMessage(error))})`;
}

/** Statuses the SDK retries: 408, 409, 429 and every 5xx (529 overloaded included). */
const RETRIED_STATUSES = (status: number) =>
  status === 408 || status === 409 || status === 429 || status >= 500;

function fixFor(status: number): string {
  if (status === 401 || status === 403) return 'check the Anthropic API key and its permissions';
  if (status === 404) return 'check anthropic.model and anthropic.baseUrl';

  return 'check anthropic.model, anthropic.effort and anthropic.maxTokens';
}

function describeStop(stopReason: string | null): string {
  if (stopReason === 'max_tokens') {
    return "Claude's answer was cut off at the token limit (anthropic.maxTokens)";
  }
  if (stopReason === 'refusal') return 'Claude declined to write the analysis (refusal)';

  return `Claude stopped before finishing its answer (stop reason ${stopReason ?? 'missing'})`;
}

function usageOf(response: Message): TokenUsage {
  const usage = response.usage;

  return {
    inputTokens:
      (usage?.input_tokens ?? 0) +
      (usage?.cache_creation_input_tokens ?? 0) +
      (usage?.cache_read_input_tokens ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
  };
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
