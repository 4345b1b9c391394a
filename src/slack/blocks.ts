import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { chunkLines, stripControlCharacters, truncateMrkdwn, truncatePlain } from './mrkdwn.ts';

/** Block Kit limits that Slack enforces with `invalid_blocks` or `msg_blocks_too_long`. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /**
   * Characters of block text per message. Slack does not document a cumulative limit, but
   * bolt-js users have reported `msg_blocks_too_long` at about 13,000 characters, so this keeps a
   * margin. NOTE: an estimate, because the real limit is undocumented.
   */
  blockTextPerMessage: 12_000,
  /** Top-level `text`: chat.postMessage truncates it above 40,000; its docs advise under 4,000. */
  fallbackText: 3000,
} as const;

/** One chat message: the notification fallback and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Builds a header block; its text is plain (never parsed as mrkdwn) and cut to 150 characters. */
export function headerBlock(text: string): HeaderBlock {
  const plain = stripControlCharacters(text).replace(/\s+/g, ' ').trim() || 'Report';

  return {
    type: 'header',
    text: { type: 'plain_text', text: truncatePlain(plain, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** Builds a section of escaped mrkdwn text, cut to the section limit. */
export function sectionBlock(mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

/** Builds as many sections of escaped mrkdwn lines as the 3,000-character limit needs. */
export function sectionBlocks(lines: string[]): SectionBlock[] {
  return chunkLines(lines, SLACK_LIMITS.sectionText).map(sectionBlock);
}

/** Builds sections of at most ten fields each, every field cut to 2,000 characters. */
export function fieldBlocks(fields: string[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  for (let start = 0; start < fields.length; start += SLACK_LIMITS.fieldsPerSection) {
    const group = fields.slice(start, start + SLACK_LIMITS.fieldsPerSection);
    blocks.push({
      type: 'section',
      fields: group.map((text) => ({
        type: 'mrkdwn',
        text: truncateMrkdwn(text, SLACK_LIMITS.fieldText),
      })),
    });
  }

  return blocks;
}

/** Builds a context block (small grey text) with one escaped mrkdwn element. */
export function contextBlock(mrkdwn: string): ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncateMrkdwn(mrkdwn, SLACK_LIMITS.sectionText) }],
  };
}

/** Counts the characters of text a block carries, for the per-message budget. */
export function blockTextLength(block: KnownBlock): number {
  let length = 0;
  if ('text' in block && block.text && typeof block.text === 'object' && 'text' in block.text) {
    length += block.text.text.length;
  }
  if (block.type === 'section') {
    for (const field of block.fields ?? []) length += field.text.length;
  }
  if (block.type === 'context') {
    for (const element of block.elements) {
      if ('text' in element && typeof element.text === 'string') length += element.text.length;
    }
  }

  return length;
}

/**
 * Packs blocks into messages within the per-message block and text limits. `firstTail` is
 * appended to the first message (the one posted in the channel) so it always ends with it.
 */
export function packMessages(
  blocks: KnownBlock[],
  firstTail: KnownBlock[],
): Array<{ blocks: KnownBlock[] }> {
  const messages: Array<{ blocks: KnownBlock[] }> = [];
  let current: KnownBlock[] = [];
  let currentChars = 0;
  let reservedBlocks = firstTail.length;
  let reservedChars = firstTail.reduce((sum, block) => sum + blockTextLength(block), 0);

  for (const block of blocks) {
    const chars = blockTextLength(block);
    const fullByCount = current.length + 1 + reservedBlocks > SLACK_LIMITS.blocksPerMessage;
    const fullByChars = currentChars + chars + reservedChars > SLACK_LIMITS.blockTextPerMessage;
    if (current.length > 0 && (fullByCount || fullByChars)) {
      messages.push({ blocks: current });
      current = [];
      currentChars = 0;
      reservedBlocks = 0;
      reservedChars = 0;
    }
    current.push(block);
    currentChars += chars;
  }
  if (current.length > 0 || messages.length === 0) messages.push({ blocks: current });
  messages[0]?.blocks.push(...firstTail);

  return messages;
}
