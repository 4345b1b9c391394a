/**
 * Reads the part structure of a raw MIME message (RFC 2046 multipart boundaries), so tests can
 * check the nesting that mailparser flattens away. Bodies stay encoded.
 */

export interface MimePart {
  headers: Map<string, string>;
  /** Lower-case media type without parameters, e.g. `multipart/related`. */
  type: string;
  children: MimePart[];
  body: string;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }

  return headers;
}

export function parseMimeTree(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!type.startsWith('multipart/') || !boundary) return { headers, type, children: [], body };
  const end = body.indexOf(`\r\n--${boundary}--`);
  const parts = body
    .slice(0, end === -1 ? undefined : end)
    .split(`--${boundary}\r\n`)
    .slice(1)
    .map((part) => parseMimeTree(part.replace(/\r\n$/, '')));

  return { headers, type, children: parts, body: '' };
}
