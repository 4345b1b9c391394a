/**
 * Formats JSON for committed sample files: two-space indentation, but an object or array that
 * fits on one line within 100 columns stays on one line. Action lists and cursors stay readable
 * and the files stay about half the size of fully expanded JSON.
 */
const WIDTH = 100;

/** Formats `value` as JSON text ending in a newline; the output is deterministic. */
export function formatJson(value: unknown): string {
  return `${formatValue(value, '', 0)}\n`;
}

function formatValue(value: unknown, indent: string, prefixLength: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inline = formatInline(value);
  if (indent.length + prefixLength + inline.length <= WIDTH) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => `${inner}${formatValue(item, inner, 0)}`);

    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).map(([key, item]) => {
    const prefix = `${JSON.stringify(key)}: `;

    return `${inner}${prefix}${formatValue(item, inner, prefix.length)}`;
  });

  return `{\n${entries.join(',\n')}\n${indent}}`;
}

function formatInline(value: object): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[${value.map(formatInlineValue).join(', ')}]`;
  }
  const entries = Object.entries(value).map(
    ([key, item]) => `${JSON.stringify(key)}: ${formatInlineValue(item)}`,
  );

  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function formatInlineValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);

  return formatInline(value);
}
