import { stripControlCharacters } from '../slack/mrkdwn.ts';

/** Maximum length of the command text, in characters. */
export const MAX_COMMAND_LENGTH = 3000;

/** Maximum length of an `ask` question, so the job payload and the prompt stay small. */
export const MAX_QUESTION_LENGTH = 1500;

export const DEFAULT_TREND_WEEKS = 8;
export const MAX_TREND_WEEKS = 52;

/** A parsed `/adreport` command, or a usage problem to show the caller. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'week'; date: string | 'last'; email: boolean; reportId: string | null }
  | { kind: 'trend'; query: string; weeks: number; reportId: string | null }
  | { kind: 'ask'; question: string; reportId: string | null }
  | { kind: 'invalid'; message: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const REPORT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Parses the text after `/adreport`. Slack sends `&`, `<` and `>` escaped as entities, so they
 * are decoded first, and control characters are removed. Bad input returns `invalid`.
 */
export function parseCommand(rawText: string): ParsedCommand {
  if (rawText.length > MAX_COMMAND_LENGTH) {
    return invalid(
      `The command is ${rawText.length} characters long; the limit is ${MAX_COMMAND_LENGTH}.`,
    );
  }
  const text = stripControlCharacters(decodeSlackEntities(rawText)).trim();
  const [first = '', ...rest] = text.split(/\s+/);
  const subcommand = first.toLowerCase();
  const remainder = text.slice(first.length).trim();

  switch (subcommand) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'week':
      return parseWeek(rest);
    case 'trend':
      return parseTrend(remainder);
    case 'ask':
      return parseAsk(remainder);
    default:
      return invalid(`Unknown command "${truncate(first, 40)}". Try \`/adreport help\`.`);
  }
}

/** Decodes the three entities Slack escapes in command and message text. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function parseWeek(tokens: string[]): ParsedCommand {
  const extracted = extractReportOption(tokens);
  if ('message' in extracted) return invalid(extracted.message);
  const email = extracted.tokens.includes('--email');
  const args = extracted.tokens.filter((token) => token !== '--email');
  const unknownFlag = args.find((token) => token.startsWith('--'));
  if (unknownFlag)
    return invalid(
      `Unknown option "${truncate(unknownFlag, 40)}" for week. Use --email or --report <id>.`,
    );
  if (args.length > 1)
    return invalid('`week` takes one date: `/adreport week 2026-11-23` or `/adreport week last`.');
  const date = (args[0] ?? 'last').toLowerCase();
  if (date !== 'last' && !ISO_DATE.test(date)) {
    return invalid(
      `"${truncate(args[0] ?? '', 40)}" is not a date. Use YYYY-MM-DD (e.g. 2026-11-23) or "last".`,
    );
  }

  return { kind: 'week', date, email, reportId: extracted.reportId };
}

function parseTrend(remainder: string): ParsedCommand {
  const extracted = extractReportOption(remainder.split(/\s+/).filter(Boolean));
  if ('message' in extracted) return invalid(extracted.message);
  const weeksOption = extractWeeks(extracted.tokens);
  if ('message' in weeksOption) return invalid(weeksOption.message);
  const query = unquote(weeksOption.tokens.join(' '));
  if (!query) {
    return invalid(
      'Name a campaign: `/adreport trend Spring Sale` or `/adreport trend 120000000001 12`.',
    );
  }
  if (query.length > 200)
    return invalid(`The campaign name is ${query.length} characters; the limit is 200.`);

  return { kind: 'trend', query, weeks: weeksOption.weeks, reportId: extracted.reportId };
}

/**
 * Reads the number of weeks: `--weeks N`, or a trailing number after the name. A quoted name
 * keeps a trailing number as part of the name (`trend "Sale 2024"`).
 */
function extractWeeks(tokens: string[]): { tokens: string[]; weeks: number } | { message: string } {
  const flagIndex = tokens.indexOf('--weeks');
  if (flagIndex >= 0) {
    const weeks = parseWeeks(tokens[flagIndex + 1]);
    if (typeof weeks === 'string') return { message: weeks };

    return {
      tokens: tokens.filter((_, index) => index !== flagIndex && index !== flagIndex + 1),
      weeks,
    };
  }
  const last = tokens.at(-1);
  if (tokens.length >= 2 && last !== undefined && /^[+-]?\d+(\.\d+)?$/.test(last)) {
    const weeks = parseWeeks(last);
    if (typeof weeks === 'string') return { message: weeks };

    return { tokens: tokens.slice(0, -1), weeks };
  }

  return { tokens, weeks: DEFAULT_TREND_WEEKS };
}

function parseWeeks(value: string | undefined): number | string {
  const weeks = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || weeks < 1 || weeks > MAX_TREND_WEEKS) {
    return `The number of weeks must be a whole number from 1 to ${MAX_TREND_WEEKS}, not "${truncate(value ?? '', 20)}". To look up a name ending in a number, quote it: \`/adreport trend "Sale 2024"\`.`;
  }

  return weeks;
}

function parseAsk(remainder: string): ParsedCommand {
  const extracted = extractReportOption(remainder.split(/\s+/).filter(Boolean));
  if ('message' in extracted) return invalid(extracted.message);
  const question = extracted.tokens.join(' ').trim();
  if (!question) return invalid('Ask a question: `/adreport ask why did CPL rise last week?`');
  if (question.length > MAX_QUESTION_LENGTH) {
    return invalid(
      `The question is ${question.length} characters; the limit is ${MAX_QUESTION_LENGTH}.`,
    );
  }

  return { kind: 'ask', question, reportId: extracted.reportId };
}

function extractReportOption(
  tokens: string[],
): { tokens: string[]; reportId: string | null } | { message: string } {
  const index = tokens.indexOf('--report');
  if (index < 0) return { tokens, reportId: null };
  const reportId = tokens[index + 1] ?? '';
  if (!REPORT_ID.test(reportId)) {
    return {
      message: `"${truncate(reportId, 40)}" is not a report id. Use --report <id>, e.g. --report acme.`,
    };
  }

  return {
    tokens: tokens.filter((_, position) => position !== index && position !== index + 1),
    reportId,
  };
}

function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^["“”'‘’](.*)["“”'‘’]$/.exec(trimmed);

  return (quoted?.[1] ?? trimmed).trim();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function invalid(message: string): ParsedCommand {
  return { kind: 'invalid', message };
}
