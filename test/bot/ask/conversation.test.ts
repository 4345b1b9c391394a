import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import {
  loadConversation,
  saveConversation,
  threadKey,
  trimConversation,
} from '../../../src/bot/ask/conversation.ts';
import { StateStore } from '../../../src/storage/state-store.ts';
import { uniqueId, useLocalBackend } from '../../helpers/local-backend.ts';

const backend = useLocalBackend();

function turn(question: string, answerSize = 10): MessageParam[] {
  return [
    { role: 'user', content: question },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: `t-${question}`, name: 'list_campaigns', input: {} }],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `t-${question}`, content: 'x'.repeat(answerSize) },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: `answer to ${question}` }] },
  ];
}

describe('trimConversation', () => {
  it('keeps a conversation that fits', () => {
    const messages = [...turn('q1'), ...turn('q2')];

    expect(trimConversation(messages, 100_000)).toEqual(messages);
  });

  it('drops whole questions from the start', () => {
    const messages = [...turn('q1', 5000), ...turn('q2', 10)];

    const kept = trimConversation(messages, 2000);

    expect(kept).toEqual(turn('q2', 10));
  });

  it('never starts at a tool result', () => {
    const messages = [...turn('q1', 10), ...turn('q2', 10)];

    const kept = trimConversation(messages, Buffer.byteLength(JSON.stringify(messages.slice(2))));

    expect(kept[0]).toEqual({ role: 'user', content: 'q2' });
  });

  it('returns nothing when the last question is too big', () => {
    expect(trimConversation(turn('q1', 5000), 1000)).toEqual([]);
  });
});

describe('saveConversation', () => {
  it('stores messages and the report for the thread', async () => {
    const state = new StateStore(backend().clients.dynamo, backend().stateTable);
    const key = threadKey('C0REPORTS1', uniqueId('ts'));
    const messages: MessageParam[] = [
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 't', signature: 's' },
          { type: 'text', text: 'a' },
        ],
      },
    ];

    await saveConversation(state, key, messages, 'acme');
    const loaded = await loadConversation(state, key);

    expect(loaded).toEqual({ messages, reportId: 'acme' });
  });

  it('loads nothing for an unknown thread', async () => {
    const state = new StateStore(backend().clients.dynamo, backend().stateTable);

    const loaded = await loadConversation(state, threadKey('C0REPORTS1', uniqueId('ts')));

    expect(loaded).toEqual({ messages: [], reportId: null });
  });
});
