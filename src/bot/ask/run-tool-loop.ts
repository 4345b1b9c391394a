import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  MessageParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { logger } from '../../shared/logger.ts';

/** Bounds of one question: model calls and wall-clock time. */
export interface LoopLimits {
  maxIterations: number;
  timeBudgetMs: number;
}

export const DEFAULT_LIMITS: LoopLimits = { maxIterations: 6, timeBudgetMs: 120_000 };

/** Maximum length of a tool result sent back to the model, in characters. */
const MAX_TOOL_RESULT_CHARS = 20_000;

export interface ToolCallRecord {
  name: string;
  input: unknown;
  isError: boolean;
}

export interface ToolLoopResult {
  answer: string;
  /** The whole conversation, ending with an assistant message and no unanswered `tool_use`. */
  messages: MessageParam[];
  toolCalls: ToolCallRecord[];
  /** Why the loop ended: the model finished, or a limit cut it short. */
  ending: 'answered' | 'max_iterations' | 'time_budget' | 'other';
  usage: { inputTokens: number; outputTokens: number };
}

export interface ToolLoopInput {
  client: Anthropic;
  model: string;
  effort: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  maxTokens: number;
  system: string;
  tools: Tool[];
  /** Earlier turns, replayed verbatim (thinking blocks and signatures included). */
  history: MessageParam[];
  question: string;
  runTool: (name: string, input: unknown) => Promise<string>;
  limits?: LoopLimits;
  nowMs?: () => number;
}

/**
 * Answers a question with Claude and the given tools. Each assistant turn is appended verbatim,
 * and every `tool_use` id gets a `tool_result` in the next user message (failures as
 * `is_error: true`). The last of `maxIterations` calls allows no tools, and a spent time budget
 * stops the loop. The returned messages always end with an assistant turn. API errors are thrown.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult> {
  const limits = input.limits ?? DEFAULT_LIMITS;
  const nowMs = input.nowMs ?? Date.now;
  const deadline = nowMs() + limits.timeBudgetMs;
  const messages = appendQuestion(input.history, input.question);
  const toolCalls: ToolCallRecord[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };

  for (let iteration = 1; iteration <= limits.maxIterations; iteration += 1) {
    const remaining = deadline - nowMs();
    if (remaining <= 0) return stopped(messages, toolCalls, usage, 'time_budget');
    const response = await input.client.messages.create(
      {
        model: input.model,
        max_tokens: input.maxTokens,
        system: input.system,
        messages,
        tools: input.tools,
        // The last allowed call may not request tools, so the model replies from what it has read.
        ...(iteration === limits.maxIterations ? { tool_choice: { type: 'none' as const } } : {}),
        thinking: { type: 'adaptive' },
        output_config: { effort: input.effort },
      },
      { timeout: remaining, maxRetries: 2 },
    );
    usage.inputTokens += response.usage.input_tokens ?? 0;
    usage.outputTokens += response.usage.output_tokens;
    messages.push({ role: 'assistant', content: response.content });
    const toolUses = response.content.filter(
      (block): block is ToolUseBlock => block.type === 'tool_use',
    );
    if (response.stop_reason !== 'tool_use' || toolUses.length === 0) {
      const ending = response.stop_reason === 'end_turn' ? 'answered' : 'other';
      logger.info('Claude answered a question', {
        iterations: iteration,
        stopReason: response.stop_reason,
        ...usage,
      });

      return { answer: textOf(response.content), messages, toolCalls, ending, usage };
    }
    messages.push({ role: 'user', content: await runTools(toolUses, input.runTool, toolCalls) });
  }

  return stopped(messages, toolCalls, usage, 'max_iterations');
}

/** Runs every requested tool; each id gets exactly one result, failures included. */
async function runTools(
  toolUses: ToolUseBlock[],
  runTool: ToolLoopInput['runTool'],
  records: ToolCallRecord[],
): Promise<ToolResultBlockParam[]> {
  return Promise.all(
    toolUses.map(async (use) => {
      try {
        const content = await runTool(use.name, use.input);
        records.push({ name: use.name, input: use.input, isError: false });

        return {
          type: 'tool_result' as const,
          tool_use_id: use.id,
          content: content.slice(0, MAX_TOOL_RESULT_CHARS),
        };
      } catch (error) {
        records.push({ name: use.name, input: use.input, isError: true });
        logger.warn('Tool call failed', { tool: use.name, error: (error as Error).message });

        return {
          type: 'tool_result' as const,
          tool_use_id: use.id,
          content: `Error: ${(error as Error).message}`,
          is_error: true,
        };
      }
    }),
  );
}

/**
 * Ends a loop cut short by a limit. The last message contains the tool results, so a closing
 * assistant note keeps the stored history well-formed for the next question in the thread.
 */
function stopped(
  messages: MessageParam[],
  toolCalls: ToolCallRecord[],
  usage: ToolLoopResult['usage'],
  ending: 'max_iterations' | 'time_budget',
): ToolLoopResult {
  const answer =
    ending === 'time_budget'
      ? 'I ran out of time before I could finish reading the figures. Try a narrower question.'
      : 'I needed more lookups than allowed for one question. Try a narrower question.';
  messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
  logger.warn('Question stopped at a limit', { ending, toolCalls: toolCalls.length, ...usage });

  return { answer, messages, toolCalls, ending, usage };
}

/**
 * Appends the user's question. After a stored history that ends with a user turn (which a
 * failed call can leave), the text joins that turn, because user and assistant turns alternate.
 */
export function appendQuestion(history: MessageParam[], question: string): MessageParam[] {
  const messages = [...history];
  const last = messages.at(-1);
  if (last?.role === 'user') {
    const content =
      typeof last.content === 'string'
        ? [{ type: 'text' as const, text: last.content }]
        : last.content;
    messages[messages.length - 1] = {
      role: 'user',
      content: [...content, { type: 'text', text: question }],
    };
  } else {
    messages.push({ role: 'user', content: question });
  }

  return messages;
}

function textOf(content: ContentBlock[]): string {
  const text = content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('\n')
    .trim();

  return text || 'Claude returned no text for this question.';
}
