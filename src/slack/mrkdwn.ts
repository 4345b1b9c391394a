/**
 * Slack mrkdwn helpers. Slack treats `&`, `<` and `>` as control characters (`<!channel>`,
 * `<@U123>`, `<https://…|label>`), and Slack's formatting guide names those three as the only
 * characters to escape, so untrusted text escaped here can never mention, link or ping.
 */

import { shortenName, stripBidiControls } from '../shared/display-text.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Look-alike characters for mrkdwn's formatting marks. Slack documents no escape for `*`, `_`,
 * `~` and `` ` ``, so a name such as `*new*` inside a bold name would end the bold early. These
 * are the look-alikes that jsx-slack's `<Escape>` uses (src/mrkdwn/escape.ts in that project).
 */
const FORMATTING_MARKS: Record<string, string> = {
  '*': '\u2217',
  _: '\u02cd',
  '~': '\u223c',
  '`': '\u02cb',
};

/** Escapes `&`, `<` and `>` for mrkdwn, so `<!channel>` in a campaign name never pings. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (character) => ESCAPES[character] as string);
}

/**
 * Removes control characters (other than newline and tab) and bidirectional overrides, which
 * would garble a message or reorder the text after them.
 */
export function stripControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return stripBidiControls(text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ''));
}

/**
 * Replaces mrkdwn's formatting marks with look-alikes, so untrusted text cannot format. An
 * underscore between two letters or digits stays, so ids such as `act_123` remain searchable.
 * NOTE: Slack's formatting guide does not say that italics never start inside a word; this relies
 * on what Slack clients are reported to do.
 */
export function replaceFormattingMarks(text: string): string {
  return text.replace(/[*_~`]/g, (mark, offset: number) => {
    const insideWord =
      mark === '_' &&
      WORD_CHARACTER.test(text[offset - 1] ?? '') &&
      WORD_CHARACTER.test(text[offset + 1] ?? '');

    return insideWord ? mark : (FORMATTING_MARKS[mark] as string);
  });
}

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

/**
 * Escapes a campaign, ad set or property name for one line of mrkdwn: cleaned like
 * `escapeInline`, cut to the display length with "…", and its formatting marks replaced.
 */
export function escapeName(name: string): string {
  const flat = stripControlCharacters(name).replace(/\s+/g, ' ').trim();

  return escapeMrkdwn(replaceFormattingMarks(shortenName(flat)));
}

/** Escapes untrusted text for one line of mrkdwn: control characters and newlines removed. */
export function escapeInline(text: string): string {
  return escapeMrkdwn(stripControlCharacters(text).replace(/[\n\t]+/g, ' '));
}

/**
 * Cuts escaped mrkdwn to at most `max` characters, ending with an ellipsis when cut. The cut
 * never splits an escape sequence such as `&amp;` or a surrogate pair.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const entityStart = text.lastIndexOf('&', end);
  if (entityStart >= 0 && entityStart > end - 5 && !text.slice(entityStart, end).includes(';')) {
    const entityEnd = text.indexOf(';', entityStart);
    if (entityEnd >= end) end = entityStart;
  }
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;

  return `${text.slice(0, end)}…`;
}

/** Cuts plain text (for `plain_text` objects such as a header) to `max` characters. */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;

  return `${text.slice(0, end)}…`;
}

/**
 * Packs lines into chunks of at most `max` characters joined by newlines. A line longer than
 * `max` on its own is truncated, so no chunk ever exceeds the limit.
 */
export function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const rawLine of lines) {
    const line = truncateMrkdwn(rawLine, max);
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);

  return chunks;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
