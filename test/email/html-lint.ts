/**
 * A structural lint for the email HTML, covering what breaks in Outlook's Word engine and what
 * the caniemail data cannot see: unitless widths, flat KPI cards, images with sizes and alt text,
 * and every `cid:` backed by an image part. It reads the tags of well-formed HTML with a small
 * tokenizer; conditional comments (for Outlook only) are skipped.
 */

export interface Tag {
  name: string;
  attributes: Map<string, string>;
  /** Open elements around this one, outermost first. */
  ancestors: Array<{ name: string; attributes: Map<string, string> }>;
}

const VOID = new Set(['meta', 'img', 'br', 'hr', 'link', 'input', 'wbr']);

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/g)) {
    attributes.set((match[1] ?? '').toLowerCase(), match[2] ?? '');
  }

  return attributes;
}

/** Returns every start tag with its ancestors. Throws when end tags do not match. */
export function readTags(html: string): Tag[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/i, '');
  const stack: Array<{ name: string; attributes: Map<string, string> }> = [];
  const tags: Tag[] = [];
  for (const match of withoutComments.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const [, closing, rawName, rest] = match;
    const name = (rawName ?? '').toLowerCase();
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name)
        throw new Error(`Unbalanced HTML: </${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes = parseAttributes(rest ?? '');
    tags.push({ name, attributes, ancestors: [...stack] });
    if (!VOID.has(name) && !(rest ?? '').trim().endsWith('/')) stack.push({ name, attributes });
  }
  if (stack.length > 0)
    throw new Error(`Unclosed HTML elements: ${stack.map((item) => item.name).join(', ')}`);

  return tags;
}

const isKpiCard = (element: { name: string; attributes: Map<string, string> }) =>
  element.name === 'td' && element.attributes.get('width') === '25%';

/** Returns one line per problem found; an empty list means the HTML passes. */
export function lintEmailHtml(html: string, imageCids: string[]): string[] {
  const problems: string[] = [];
  const tags = readTags(html);
  for (const tag of tags) {
    const width = tag.attributes.get('width');
    if (width !== undefined && !/^\d+%?$/.test(width))
      problems.push(`<${tag.name} width="${width}"> has a unit`);
    const height = tag.attributes.get('height');
    if (height !== undefined && !/^\d+$/.test(height))
      problems.push(`<${tag.name} height="${height}"> has a unit`);
    if (tag.name === 'table') problems.push(...lintTable(tag, tags));
    if (tag.name === 'img') problems.push(...lintImage(tag, imageCids));
    const style = tag.attributes.get('style') ?? '';
    if (/display\s*:\s*(flex|grid)|background-image|url\(|position\s*:/i.test(style)) {
      problems.push(`<${tag.name}> uses a style Outlook ignores: ${style}`);
    }
    if (/\bmargin\s*:[^;]*auto/i.test(style))
      problems.push(`<${tag.name}> centres with margin auto`);
    if (['svg', 'script', 'style', 'link', 'iframe', 'form', 'video'].includes(tag.name)) {
      problems.push(`<${tag.name}> is not allowed in the email`);
    }
  }

  return problems;
}

function lintTable(tag: Tag, tags: Tag[]): string[] {
  const problems: string[] = [];
  if (!tag.attributes.has('width')) problems.push('<table> without a width attribute');
  const layout = tag.attributes.get('role') === 'presentation';
  const hasHeader = tags.some(
    (other) => other.name === 'th' && other.ancestors.at(-2)?.attributes === tag.attributes,
  );
  if (!layout && !hasHeader)
    problems.push('<table> is neither role="presentation" nor a data table with <th>');
  if (tag.ancestors.some(isKpiCard)) problems.push('a KPI card contains a nested <table>');

  return problems;
}

function lintImage(tag: Tag, imageCids: string[]): string[] {
  const problems: string[] = [];
  const src = tag.attributes.get('src') ?? '';
  for (const name of ['width', 'height', 'alt']) {
    if (!tag.attributes.get(name)) problems.push(`<img src="${src}"> has no ${name}`);
  }
  if (!src.startsWith('cid:')) problems.push(`<img src="${src}"> is not an inline cid: image`);
  if (src.startsWith('cid:') && !imageCids.includes(src.slice(4)))
    problems.push(`<img src="${src}"> has no image part`);

  return problems;
}
