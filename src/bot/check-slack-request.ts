import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQueryString } from 'node:querystring';
import type { AwsEvent } from './rotating-receiver.ts';

/** Slack rejects requests older than this, and so does Bolt's receiver. */
const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/**
 * Finds why Bolt 5.1's `AwsLambdaReceiver` would reject the request signature, or returns null when
 * it is valid. Applies the same rules: both headers present, a timestamp at most 5 minutes old,
 * and `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`. The reason never contains the signature.
 */
export function findSignatureProblem(
  secret: string,
  request: { rawBody: string; signature: string | undefined; ts: number },
  nowSeconds: number = Math.floor(Date.now() / 1000),
): string | null {
  if (!request.signature) return 'the X-Slack-Signature header is missing';
  if (!request.ts) return 'the X-Slack-Request-Timestamp header is missing or not a number';
  if (request.ts < nowSeconds - MAX_REQUEST_AGE_SECONDS) {
    return 'the request timestamp is more than 5 minutes old';
  }
  const expected = createHmac('sha256', secret)
    .update(`v0:${request.ts}:${request.rawBody}`)
    .digest('hex');
  const [, hash = ''] = request.signature.split('=');
  const matches =
    hash.length === expected.length && timingSafeEqual(Buffer.from(hash), Buffer.from(expected));

  return matches ? null : 'the signature does not match the signing secret';
}

/** Reads the signature fields from an event whose base64 body was already decoded. */
export function readSignedRequest(event: AwsEvent): {
  rawBody: string;
  signature: string | undefined;
  ts: number;
} {
  return {
    rawBody: typeof event.body === 'string' ? event.body : '',
    signature: readHeader(event, 'x-slack-signature'),
    ts: Number(readHeader(event, 'x-slack-request-timestamp')),
  };
}

/**
 * Finds why the body cannot be a Slack payload, or returns null when it can. Parses it as Bolt 5.1
 * does: a form body (with a JSON `payload` field for interactivity) when the content type is
 * exactly `application/x-www-form-urlencoded`, else JSON. Bolt throws on a parse error and fails
 * later on `null` or a non-object, so both would become a 500 that Slack retries.
 */
export function findBodyProblem(event: AwsEvent): string | null {
  const rawBody = typeof event.body === 'string' ? event.body : '';
  const isForm = readHeader(event, 'content-type') === 'application/x-www-form-urlencoded';
  let parsed: unknown;
  try {
    parsed = isForm ? parseForm(rawBody) : JSON.parse(rawBody);
  } catch {
    return isForm
      ? 'the form field "payload" is not valid JSON'
      : 'the request body is not valid JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'the request body is not a JSON object';
  }

  return null;
}

function parseForm(rawBody: string): unknown {
  const fields = parseQueryString(rawBody);

  return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
}

/** Reads a header by its lowercase name, whatever case the event uses. */
export function readHeader(event: AwsEvent, name: string): string | undefined {
  const headers = (event.headers ?? {}) as Record<string, string | undefined>;
  const key = Object.keys(headers).find((header) => header.toLowerCase() === name);

  return key === undefined ? undefined : headers[key];
}
