import Anthropic from '@anthropic-ai/sdk';
import type { KnownBlock } from '@slack/types';
import type { ReportConfig } from '../../config/schema.ts';
import { logger } from '../../shared/logger.ts';
import { lastCompleteWeek } from '../../shared/week.ts';
import { contextBlock, sectionBlocks } from '../../slack/blocks.ts';
import {
  escapeInline,
  escapeMrkdwn,
  stripControlCharacters,
  truncateMrkdwn,
} from '../../slack/mrkdwn.ts';
import { toDeliveryError } from '../../slack/to-delivery-error.ts';
import { MetricsStore } from '../../storage/metrics-store.ts';
import { StateStore } from '../../storage/state-store.ts';
import type { BotJob } from '../job-types.ts';
import type { BotDeps } from '../jobs.ts';
import { postToResponseUrl } from '../respond.ts';
import { selectReport } from '../select-report.ts';
import { loadConversation, saveConversation, threadKey } from './conversation.ts';
import { METRIC_TOOLS, runMetricTool } from './metric-tools.ts';
import { type LoopLimits, runToolLoop, type ToolLoopResult } from './run-tool-loop.ts';
import { buildSystemPrompt } from './system-prompt.ts';

type AskJob = Extract<BotJob, { kind: 'ask' }>;
type ThreadJob = Extract<BotJob, { kind: 'thread-reply' }>;

/** Destination of a reply: a new message in the channel (ask) or a reply in a thread. */
interface Target {
  channelId: string;
  threadTs: string | null;
  responseUrl: string | null;
}

/**
 * Replies to `/adreport ask` and to mentions. The reply to `ask` starts a thread, and the
 * conversation is stored under that thread so a later mention continues it with its history.
 */
export async function runAskJob(
  job: AskJob | ThreadJob,
  deps: BotDeps,
  limits?: LoopLimits,
): Promise<void> {
  const target: Target =
    job.kind === 'ask'
      ? { channelId: job.channelId, threadTs: null, responseUrl: job.responseUrl }
      : { channelId: job.channelId, threadTs: job.threadTs, responseUrl: null };
  const state = new StateStore(deps.pipeline.dynamo, deps.pipeline.stateTable, {
    now: deps.pipeline.now,
  });
  const stored =
    job.kind === 'thread-reply'
      ? await loadConversation(state, threadKey(job.channelId, job.threadTs))
      : null;
  const question = job.kind === 'ask' ? job.question : job.text;
  const report = selectReport(
    deps.pipeline.config,
    job.channelId,
    job.kind === 'ask' ? job.reportId : stored?.reportId,
  );
  if ('message' in report) return sendNote(deps, target, report.message);
  if (!question)
    return sendNote(
      deps,
      target,
      'Ask a question after the mention, e.g. "which campaign had the lowest CPL?"',
    );
  if (!deps.anthropic) {
    return sendNote(
      deps,
      target,
      'Claude is not configured: set ANTHROPIC_API_KEY (in the secret on AWS, in the environment locally) to enable questions.',
    );
  }

  let result: ToolLoopResult;
  try {
    result = await answer(deps, deps.anthropic, report, stored?.messages ?? [], question, limits);
  } catch (error) {
    if (!(error instanceof Anthropic.APIError)) throw error;
    logger.error('Claude call failed for a question', {
      status: error.status,
      requestId: error.requestID,
      error,
    });
    return sendNote(
      deps,
      target,
      `Claude could not answer right now (${error.status ?? 'no response'}). Try again in a few minutes.`,
    );
  }
  const blocks = answerBlocks(job, question, result, deps.pipeline.config.anthropic.model);
  const ts = await postAnswer(deps, target, escapeInline(result.answer).slice(0, 2900), blocks);
  if (ts)
    await saveConversation(
      state,
      threadKey(job.channelId, target.threadTs ?? ts),
      result.messages,
      report.id,
    );
}

async function answer(
  deps: BotDeps,
  client: Anthropic,
  report: ReportConfig,
  history: ToolLoopResult['messages'],
  question: string,
  limits: LoopLimits | undefined,
): Promise<ToolLoopResult> {
  const { config } = deps.pipeline;
  const metrics = new MetricsStore(deps.pipeline.dynamo, deps.pipeline.metricsTable, {
    sleep: deps.pipeline.sleep,
  });
  const latestWeek = lastCompleteWeek(deps.pipeline.now(), report.timeZone);
  const context = { report, metrics, latestWeekStart: latestWeek.start };

  return runToolLoop({
    client,
    model: config.anthropic.model,
    effort: config.anthropic.effort,
    maxTokens: config.anthropic.maxTokens,
    system: buildSystemPrompt(report, latestWeek, deps.pipeline.now()),
    tools: METRIC_TOOLS,
    history,
    question: stripControlCharacters(question),
    runTool: (name, input) => runMetricTool(name, input, context),
    ...(limits ? { limits } : {}),
  });
}

/** Formats the reply: the question (for a new thread), the escaped answer, the tools used. */
function answerBlocks(
  job: AskJob | ThreadJob,
  question: string,
  result: ToolLoopResult,
  model: string,
): KnownBlock[] {
  const lines: string[] = [];
  if (job.kind === 'ask') lines.push(`*<@${job.userId}> asked:* ${escapeInline(question)}`, '');
  // About 10,000 characters keeps the message under Slack's cumulative block text limit.
  const answerText = truncateMrkdwn(escapeMrkdwn(stripControlCharacters(result.answer)), 10_000);
  lines.push(...answerText.split('\n'));
  const used = [
    ...new Set(result.toolCalls.filter((call) => !call.isError).map((call) => call.name)),
  ];
  const sources =
    used.length > 0 ? `Figures read with ${used.join(', ')}` : 'No stored figures were read';

  return [
    ...sectionBlocks(lines),
    contextBlock(
      truncateMrkdwn(
        `${sources}. Answered by Claude (${escapeInline(model)}). Mention the app in this thread to follow up.`,
        2000,
      ),
    ),
  ];
}

/** Posts the reply and returns its ts, or null when it could only go through the response URL. */
async function postAnswer(
  deps: BotDeps,
  target: Target,
  text: string,
  blocks: KnownBlock[],
): Promise<string | null> {
  try {
    const posted = await deps.slack.chat.postMessage({
      channel: target.channelId,
      text,
      blocks,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      unfurl_links: false,
    });

    return posted.ts ?? null;
  } catch (error) {
    const problem = toDeliveryError(error, `chat.postMessage to ${target.channelId}`);
    if (
      !target.responseUrl ||
      !['slack_not_in_channel', 'slack_channel_not_found'].includes(problem.code)
    )
      throw problem;
    logger.warn('Posted a reply through the response URL', {
      channelId: target.channelId,
      code: problem.code,
    });
    const note = contextBlock(
      'Invite the app to this channel (/invite @adreport) to follow up in a thread.',
    );
    await postToResponseUrl(
      target.responseUrl,
      { response_type: 'in_channel', text, blocks: [...blocks, note] },
      deps.fetch,
    );

    return null;
  }
}

/** Sends a short message to the caller: ephemeral for a command, a thread reply for a mention. */
async function sendNote(deps: BotDeps, target: Target, text: string): Promise<void> {
  if (target.responseUrl) {
    await postToResponseUrl(target.responseUrl, { response_type: 'ephemeral', text }, deps.fetch);
    return;
  }
  try {
    await deps.slack.chat.postMessage({
      channel: target.channelId,
      thread_ts: target.threadTs ?? undefined,
      text,
    });
  } catch (error) {
    throw toDeliveryError(error, `chat.postMessage to ${target.channelId}`);
  }
}
