import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  appendQuestion,
  runToolLoop,
  type ToolLoopInput,
} from '../../../src/bot/ask/run-tool-loop.ts';
import { startAnthropicFake } from '../../fakes/anthropic-api.ts';
import { useFake } from '../../helpers/use-fake.ts';

const fake = useFake(startAnthropicFake);

beforeEach(() => {
  fake().reset();
});

const TOOLS = [
  {
    name: 'get_campaign_weeks',
    description: 'weeks',
    input_schema: { type: 'object' as const, properties: {} },
  },
  {
    name: 'list_campaigns',
    description: 'list',
    input_schema: { type: 'object' as const, properties: {} },
  },
];

function input(overrides: Partial<ToolLoopInput> = {}): ToolLoopInput {
  return {
    client: new Anthropic({ apiKey: fake().apiKey, baseURL: fake().baseURL, maxRetries: 2 }),
    model: 'claude-sonnet-5-5',
    effort: 'medium',
    maxTokens: 4000,
    system: 'You answer questions.',
    tools: TOOLS,
    history: [],
    question: 'Which campaign had the lowest CPL?',
    runTool: async (name) => JSON.stringify({ tool: name, cpl: 12.5 }),
    ...overrides,
  };
}

type Body = {
  messages: Array<{ role: string; content: unknown }>;
  tool_choice?: unknown;
  thinking?: unknown;
};
const bodyOf = (index: number) => fake().requests[index]?.body as unknown as Body;

describe('runToolLoop', () => {
  it('returns the answer without tools', async () => {
    fake().reply({ kind: 'message', text: 'Spring Sale: $12.50 CPL.', thinking: ['easy'] });

    const result = await runToolLoop(input());

    expect(result.answer).toBe('Spring Sale: $12.50 CPL.');
    expect(result.ending).toBe('answered');
    expect(result.messages.at(-1)?.role).toBe('assistant');
  });

  it('sends adaptive thinking and the effort', async () => {
    fake().reply({ kind: 'message', text: 'ok' });

    await runToolLoop(input());

    expect(bodyOf(0).thinking).toEqual({ type: 'adaptive' });
    expect(fake().requests[0]?.body.output_config).toEqual({ effort: 'medium' });
  });

  it('replays thinking and answers each tool_use', async () => {
    fake().reply(
      {
        kind: 'tool_use',
        thinking: ['I need the weeks'],
        calls: [{ id: 'toolu_a', name: 'get_campaign_weeks', input: { campaign_id: '1' } }],
      },
      { kind: 'message', text: 'Spring Sale, week of 2026-11-23: $12.50 CPL.' },
    );

    const result = await runToolLoop(input());
    const second = bodyOf(1).messages;

    expect(result.answer).toContain('$12.50');
    expect(second[1]?.content).toEqual([
      {
        type: 'thinking',
        thinking: 'I need the weeks',
        signature: expect.stringMatching(/^sig_req_fake_\d+_0$/),
      },
      {
        type: 'tool_use',
        id: 'toolu_a',
        name: 'get_campaign_weeks',
        input: { campaign_id: '1' },
      },
    ]);
    expect(second[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_a',
          content: '{"tool":"get_campaign_weeks","cpl":12.5}',
        },
      ],
    });
  });

  it('returns a failing tool as is_error', async () => {
    fake().reply(
      {
        kind: 'tool_use',
        thinking: ['two lookups'],
        calls: [
          { id: 'toolu_list', name: 'list_campaigns', input: {} },
          { id: 'toolu_weeks', name: 'get_campaign_weeks', input: { campaign_id: 'x' } },
        ],
      },
      { kind: 'message', text: 'One lookup failed.' },
    );
    const runTool = async (name: string) => {
      if (name === 'get_campaign_weeks') throw new Error('Invalid campaign_id "x"');
      return '[]';
    };

    const result = await runToolLoop(input({ runTool }));
    const results = bodyOf(1).messages[2]?.content as Array<Record<string, unknown>>;

    expect(result.ending).toBe('answered');
    expect(results).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_list', content: '[]' },
      {
        type: 'tool_result',
        tool_use_id: 'toolu_weeks',
        content: 'Error: Invalid campaign_id "x"',
        is_error: true,
      },
    ]);
    expect(result.toolCalls.map((call) => call.isError)).toEqual([false, true]);
  });

  it('allows no tools on the last call', async () => {
    fake().reply(
      { kind: 'tool_use', calls: [{ name: 'list_campaigns', input: {} }] },
      { kind: 'message', text: 'Answer from one lookup.' },
    );

    const result = await runToolLoop(input({ limits: { maxIterations: 2, timeBudgetMs: 60_000 } }));

    expect(bodyOf(0).tool_choice).toBeUndefined();
    expect(bodyOf(1).tool_choice).toEqual({ type: 'none' });
    expect(result.answer).toBe('Answer from one lookup.');
  });

  it('stops at the iteration limit with a closed history', async () => {
    fake().reply(
      { kind: 'tool_use', calls: [{ name: 'list_campaigns', input: {} }] },
      { kind: 'tool_use', calls: [{ name: 'list_campaigns', input: {} }] },
    );

    const result = await runToolLoop(input({ limits: { maxIterations: 2, timeBudgetMs: 60_000 } }));

    expect(result.ending).toBe('max_iterations');
    expect(result.messages.at(-1)?.role).toBe('assistant');
    expect(result.messages.at(-2)?.content).toEqual([
      expect.objectContaining({ type: 'tool_result' }),
    ]);
  });

  it('stops when the time budget is spent', async () => {
    let now = 0;
    fake().reply({ kind: 'tool_use', calls: [{ name: 'list_campaigns', input: {} }] });
    const runTool = async () => {
      now += 61_000;
      return '[]';
    };

    const result = await runToolLoop(
      input({ runTool, nowMs: () => now, limits: { maxIterations: 6, timeBudgetMs: 60_000 } }),
    );

    expect(result.ending).toBe('time_budget');
    expect(fake().requests).toHaveLength(1);
  });

  it('continues a stored conversation', async () => {
    fake().reply(
      { kind: 'tool_use', thinking: ['look'], calls: [{ name: 'list_campaigns', input: {} }] },
      { kind: 'message', text: 'First answer.', thinking: ['done'] },
      { kind: 'message', text: 'Second answer.' },
    );
    const first = await runToolLoop(input());
    const stored = JSON.parse(JSON.stringify(first.messages)) as MessageParam[];

    const second = await runToolLoop(input({ history: stored, question: 'And the week before?' }));

    expect(second.answer).toBe('Second answer.');
    expect(bodyOf(2).messages).toHaveLength(first.messages.length + 1);
  });

  it('is rejected when thinking is dropped from a replay', async () => {
    fake().reply(
      { kind: 'tool_use', thinking: ['look'], calls: [{ name: 'list_campaigns', input: {} }] },
      { kind: 'message', text: 'First answer.' },
    );
    const first = await runToolLoop(input());
    const stripped = first.messages.map((message) =>
      Array.isArray(message.content)
        ? { ...message, content: message.content.filter((block) => block.type !== 'thinking') }
        : message,
    ) as MessageParam[];

    const retry = runToolLoop(input({ history: stripped, question: 'again?' }));

    await expect(retry).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('retries an overloaded API', async () => {
    fake().reply(
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: 0 },
      { kind: 'message', text: 'ok' },
    );

    const result = await runToolLoop(input());

    expect(result.answer).toBe('ok');
  });

  it('throws when the API stays down', async () => {
    const down = { kind: 'error' as const, status: 529, type: 'overloaded_error', retryAfterMs: 0 };
    fake().reply(down, down, down);

    await expect(runToolLoop(input())).rejects.toBeInstanceOf(Anthropic.APIError);
  });
});

describe('appendQuestion', () => {
  it('adds a user message after an assistant turn', () => {
    const history: MessageParam[] = [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
    ];

    expect(appendQuestion(history, 'q2').at(-1)).toEqual({ role: 'user', content: 'q2' });
  });

  it('joins a trailing user turn', () => {
    const history: MessageParam[] = [
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }] },
    ];

    const messages = appendQuestion(history, 'q2');

    expect(messages).toHaveLength(1);
    expect(messages[0]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'x' },
      { type: 'text', text: 'q2' },
    ]);
  });
});
