/**
 * Maximum characters of a campaign, ad set or property name in the email and the Slack summary.
 * Names are free text typed into Ads Manager, and one very long name would otherwise push the
 * other rows out of a Slack section or stretch an email column. Stored data keeps the full name.
 */
export const MAX_DISPLAY_NAME_LENGTH = 80;

/**
 * Unicode bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). One
 * of them in a name reorders the text after it, e.g. U+202E displays the rest of the line
 * reversed. The marks U+200E and U+200F only set the direction of neutral characters, so
 * right-to-left names may keep them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Removes bidirectional embedding, override and isolate characters from text shown to readers. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const LINE_BREAKING_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Puts free text on one line: control characters and line separators (ESC, newlines) become a
 * space, bidi controls are removed, and the ends are trimmed.
 */
export function flattenText(text: string): string {
  return stripBidiControls(text.replace(LINE_BREAKING_CHARACTERS, ' ')).trim();
}

/**
 * Cuts a name to `max` characters, ending with "…" when cut. The cut never splits a surrogate
 * pair, so an emoji at the boundary is dropped whole.
 */
export function shortenName(name: string, max = MAX_DISPLAY_NAME_LENGTH): string {
  if (name.length <= max) return name;
  let end = Math.max(0, max - 1);
  const code = name.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;

  return `${name.slice(0, end).trimEnd()}…`;
}

/**
 * Cuts each name in `names` longer than `max` where it occurs in free text, such as a narrative
 * line or a note, to `shortenName(name, max)`. The text may contain a longer cut of the name, for
 * example the 120-character form the analysis passes to the model, and that form with its "…" is
 * replaced too. `names` should be free of bidi controls, as `stripBidiControls` leaves them.
 */
export function shortenNamesInText(
  text: string,
  names: Iterable<string>,
  max = MAX_DISPLAY_NAME_LENGTH,
): string {
  let result = text;
  const longNames = [...new Set(names)].filter((name) => name.length > max);
  for (const name of longNames.sort((a, b) => b.length - a.length)) {
    result = replaceNamePrefixes(result, name, shortenName(name, max), max);
  }

  return result;
}

/** Replaces every run of `text` that starts with the first `max - 1` characters of `name`. */
function replaceNamePrefixes(text: string, name: string, short: string, max: number): string {
  const head = name.slice(0, max - 1);
  let result = text;
  let from = 0;
  for (let index = result.indexOf(head, from); index >= 0; index = result.indexOf(head, from)) {
    let end = index + head.length;
    while (end < result.length && end - index < name.length && result[end] === name[end - index]) {
      end += 1;
    }
    if (result[end] === '…') end += 1;
    result = result.slice(0, index) + short + result.slice(end);
    from = index + short.length;
  }

  return result;
}

/** Joins names as an English list: `A`, `A and B`, `A, B and C`. */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');

  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
