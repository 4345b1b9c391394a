import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { logger } from '../../shared/logger.ts';
import type { StateStore } from '../../storage/state-store.ts';

/** How long a thread's conversation is kept for follow-up questions. */
export const CONVERSATION_TTL_SECONDS = 14 * 24 * 3600;

/** Stored conversations stay below this many bytes of JSON (DynamoDB items hold 400 KB). */
export const MAX_CONVERSATION_BYTES = 300_000;

/** Identifies a thread: its channel and the ts of its first message. */
export function threadKey(channelId: string, threadTs: string): string {
  return `${channelId}:${threadTs}`;
}

/** Loads a thread's conversation and the report it is about; empty when none is stored. */
export async function loadConversation(
  state: StateStore,
  key: string,
): Promise<{ messages: MessageParam[]; reportId: string | null }> {
  const [messages, meta] = await Promise.all([
    state.getConversation(key),
    state.getConversation(`${key}#report`),
  ]);

  return {
    messages: (messages as MessageParam[] | null) ?? [],
    reportId: typeof meta?.[0] === 'string' ? meta[0] : null,
  };
}

/** Stores a conversation, dropping its oldest questions until it fits the size limit. */
export async function saveConversation(
  state: StateStore,
  key: string,
  messages: MessageParam[],
  reportId: string,
): Promise<void> {
  const trimmed = trimConversation(messages, MAX_CONVERSATION_BYTES);
  if (trimmed.length < messages.length) {
    logger.info('Dropped the oldest turns of a conversation', {
      key,
      dropped: messages.length - trimmed.length,
    });
  }
  // A JSON round trip drops undefined fields, which the document client cannot store.
  const plain = JSON.parse(JSON.stringify(trimmed)) as unknown[];
  await Promise.all([
    state.putConversation(key, plain, CONVERSATION_TTL_SECONDS),
    state.putConversation(`${key}#report`, [reportId], CONVERSATION_TTL_SECONDS),
  ]);
}

/**
 * Drops whole questions from the start until the JSON fits `maxBytes`. A cut only happens before
 * a user message with a question (not one carrying tool results), so no `tool_use` loses
 * its `tool_result`. Returns an empty list when even the last question does not fit.
 */
export function trimConversation(messages: MessageParam[], maxBytes: number): MessageParam[] {
  const starts = messages.flatMap((message, index) => (isQuestion(message) ? [index] : []));
  for (const start of starts) {
    const kept = messages.slice(start);
    if (Buffer.byteLength(JSON.stringify(kept)) <= maxBytes) return kept;
  }

  return [];
}

function isQuestion(message: MessageParam): boolean {
  if (message.role !== 'user') return false;
  if (typeof message.content === 'string') return true;

  return !message.content.some((block) => block.type === 'tool_result');
}
