/**
 * Renders Block Kit JSON as plain lines for a terminal: header, section text and fields,
 * context elements; other blocks are named in brackets. Input is untrusted JSON, so every
 * field is checked before use.
 */
export function blocksToText(blocks: unknown): string {
  if (!Array.isArray(blocks)) return '';
  const lines: string[] = [];
  for (const block of blocks as Array<Record<string, unknown>>) {
    const type = block?.type;
    if (type === 'header') lines.push(`# ${textOf(block.text)}`);
    else if (type === 'section') {
      if (block.text) lines.push(textOf(block.text));
      if (Array.isArray(block.fields))
        lines.push(block.fields.map((field) => textOf(field).replace(/\n/g, ': ')).join(' | '));
    } else if (type === 'context' && Array.isArray(block.elements)) {
      lines.push(`(${block.elements.map(textOf).join(' ')})`);
    } else if (type === 'divider') lines.push('---');
    else lines.push(`[${String(type)} block]`);
  }

  return lines.join('\n');
}

function textOf(value: unknown): string {
  if (value && typeof value === 'object' && 'text' in value)
    return String((value as { text: unknown }).text);

  return '';
}
