/** Location of a JSON.parse error as 1-based line and column, with the parser's reason. */
export interface JsonErrorLocation {
  line: number;
  column: number;
  reason: string;
}

/**
 * Finds the line and column of a JSON.parse error in `text`. V8 gives a character offset for
 * most errors ("... in JSON at position 9") but none for an unexpected token. Then the offset is
 * found by parsing prefixes, because a prefix that stops before the bad character fails only at
 * its end, and every longer one fails at that character.
 */
export function locateJsonError(text: string, error: SyntaxError): JsonErrorLocation {
  const source = text.replace(/^\uFEFF/, '');
  const stated = /at position (\d+)/.exec(error.message);
  const offset = stated ? Number(stated[1]) : findErrorOffset(source);

  return { ...lineAndColumn(source, offset), reason: describeReason(error.message) };
}

function findErrorOffset(text: string): number {
  let low = 0;
  let high = text.length;
  // The character after the longest prefix that does not fail early is the bad one.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (failsBefore(text.slice(0, middle))) high = middle - 1;
    else low = middle;
  }

  return low;
}

/** True when the prefix fails before its end, not merely because the input stops there. */
function failsBefore(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const stated = /at position (\d+)/.exec(message);
    if (stated) return Number(stated[1]) < prefix.length;

    return !message.startsWith('Unexpected end of JSON input');
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');

  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Drops V8's position and its quote of the whole input, which the line and column replace. */
function describeReason(message: string): string {
  return message
    .replace(/(?: in JSON)? at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}
