import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Slack: the Web API methods adreport calls, the file upload URL, and `response_url`
 * endpoints. It speaks Slack's wire format (form or JSON bodies, `ok:false` errors with HTTP
 * 200, HTTP 429 with `Retry-After`) and rejects blocks that break Block Kit limits.
 */

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** The fake's response body, e.g. `{ ok: true, ts }`; unset for injected failures. */
  response?: Record<string, unknown>;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export type InjectedFailure = { error: string } | { status: 429; retryAfter: number };

export interface SlackFakeOptions {
  token?: string;
  teamId?: string;
  botUserId?: string;
  /** Channels that exist; any other channel gets `channel_not_found`. Empty accepts any. */
  channels?: string[];
  /** Channels that exist but the app has not joined (`not_in_channel`). */
  notInChannel?: string[];
}

export interface SlackFake {
  /** Base URL for the WebClient's `slackApiUrl`, ending with `/api/`. */
  apiUrl: string;
  origin: string;
  calls: SlackCall[];
  responses: ResponseUrlPost[];
  uploads: Map<string, Buffer>;
  /** Returns a `response_url` on the fake; posts to it land in `responses`. */
  responseUrl(id: string): string;
  /** Makes the next calls of `method` fail, one failure per call, in order. */
  failNext(method: string, ...failures: InjectedFailure[]): void;
  callsOf(method: string): SlackCall[];
  /** Resolves when `count` posts have reached response URLs (or rejects after `timeoutMs`). */
  waitForResponses(count: number, timeoutMs?: number): Promise<ResponseUrlPost[]>;
  close(): Promise<void>;
}

/** WebClient retry options for tests: three retries with no pause between them. */
export const FAST_RETRY = { retries: 3, minTimeout: 0, maxTimeout: 1 };

const LIMITS = { blocks: 50, sectionText: 3000, fields: 10, fieldText: 2000, header: 150 };
const TOTAL_BLOCK_TEXT = 13_000;

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const state: State = {
    token: options.token ?? 'xoxb-test-token',
    teamId: options.teamId ?? 'T0TESTTEAM',
    botUserId: options.botUserId ?? 'U0TESTBOT1',
    channels: new Set(options.channels ?? []),
    notInChannel: new Set(options.notInChannel ?? []),
    failures: new Map(),
    calls: [],
    responses: [],
    uploads: new Map(),
    pendingFiles: new Map(),
    nextTs: 1_796_380_000,
    nextFile: 1,
    waiters: [],
    origin: '',
  };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: Error) => {
      send(response, 500, { ok: false, error: 'fake_internal_error', detail: error.message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return buildHandle(state, server);
}

interface State {
  token: string;
  teamId: string;
  botUserId: string;
  channels: Set<string>;
  notInChannel: Set<string>;
  failures: Map<string, InjectedFailure[]>;
  calls: SlackCall[];
  responses: ResponseUrlPost[];
  uploads: Map<string, Buffer>;
  pendingFiles: Map<string, { filename: string; length: number }>;
  nextTs: number;
  nextFile: number;
  /** Pending `waitForResponses` checks; each returns true once satisfied. */
  waiters: Array<() => boolean>;
  origin: string;
}

function buildHandle(state: State, server: Server): SlackFake {
  return {
    apiUrl: `${state.origin}/api/`,
    origin: state.origin,
    calls: state.calls,
    responses: state.responses,
    uploads: state.uploads,
    responseUrl: (id) => `${state.origin}/response/${encodeURIComponent(id)}`,
    failNext: (method, ...failures) => {
      state.failures.set(method, [...(state.failures.get(method) ?? []), ...failures]);
    },
    callsOf: (method) => state.calls.filter((call) => call.method === method),
    waitForResponses: (count, timeoutMs = 5000) => waitForResponses(state, count, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function waitForResponses(
  state: State,
  count: number,
  timeoutMs: number,
): Promise<ResponseUrlPost[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`Expected ${count} response_url posts, got ${state.responses.length}`)),
      timeoutMs,
    );
    const check = () => {
      if (state.responses.length < count) return false;
      clearTimeout(timer);
      resolve(state.responses.slice(0, count));

      return true;
    };
    if (!check()) state.waiters.push(check);
  });
}

async function handle(
  state: State,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const raw = await readBody(request);
  const path = new URL(request.url ?? '/', state.origin).pathname;

  if (path.startsWith('/response/')) return handleResponseUrl(state, path, raw, response);
  if (path.startsWith('/upload/')) {
    return handleUpload(state, path, raw, request.headers['content-type'], response);
  }
  if (!path.startsWith('/api/')) return send(response, 404, { ok: false, error: 'unknown_path' });

  const method = path.slice('/api/'.length);
  const body = parseBody(request.headers['content-type'], raw);
  const call: SlackCall = { method, body, headers: request.headers };
  state.calls.push(call);
  const failure = state.failures.get(method)?.shift();
  if (failure && 'status' in failure) {
    response.setHeader('Retry-After', String(failure.retryAfter));
    return send(response, 429, { ok: false, error: 'ratelimited' });
  }
  if (failure) return send(response, 200, { ok: false, error: failure.error });
  if (request.headers.authorization !== `Bearer ${state.token}`) {
    return send(response, 200, { ok: false, error: 'invalid_auth' });
  }
  call.response = callMethod(state, method, body);
  send(response, 200, call.response);
}

function callMethod(
  state: State,
  method: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return { ok: true, team_id: state.teamId, user_id: state.botUserId, bot_id: 'B0TESTBOT1' };
    case 'chat.postMessage':
    case 'chat.postEphemeral':
      return postMessage(state, body, method);
    case 'files.getUploadURLExternal':
      return getUploadUrl(state, body);
    case 'files.completeUploadExternal':
      return completeUpload(state, body);
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

function postMessage(
  state: State,
  body: Record<string, unknown>,
  method: string,
): Record<string, unknown> {
  const channel = String(body.channel ?? '');
  const channelError = checkChannel(state, channel);
  if (channelError) return { ok: false, error: channelError };
  if (method === 'chat.postEphemeral' && !body.user) return { ok: false, error: 'user_not_found' };
  const text = typeof body.text === 'string' ? body.text : '';
  if (text.length > 40_000) return { ok: false, error: 'msg_too_long' };
  const blocks = body.blocks as unknown[] | undefined;
  if (!text && !blocks) return { ok: false, error: 'no_text' };
  if (blocks) {
    const problem = validateBlocks(blocks);
    if (problem) return { ok: false, ...problem };
  }
  state.nextTs += 1;
  const ts = `${state.nextTs}.000100`;

  return method === 'chat.postEphemeral'
    ? { ok: true, message_ts: ts }
    : { ok: true, channel, ts, message: { text, blocks, thread_ts: body.thread_ts } };
}

function checkChannel(state: State, channel: string): string | null {
  if (!channel) return 'channel_not_found';
  if (state.notInChannel.has(channel)) return 'not_in_channel';
  if (state.channels.size > 0 && !state.channels.has(channel)) return 'channel_not_found';

  return null;
}

/** Applies the Block Kit limits Slack enforces; returns the error Slack would send. */
export function validateBlocks(blocks: unknown[]): { error: string; errors?: string[] } | null {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format' };
  if (blocks.length > LIMITS.blocks)
    errors.push(`no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  let totalText = 0;
  for (const [index, block] of blocks.entries()) {
    const found = validateBlock(block as BlockJson, `/blocks/${index}`);
    errors.push(...found.errors);
    totalText += found.textLength;
  }
  if (errors.length > 0) return { error: 'invalid_blocks', errors };
  if (totalText > TOTAL_BLOCK_TEXT) return { error: 'msg_blocks_too_long' };

  return null;
}

/** The parts of a block's JSON that the limits apply to. */
interface BlockJson {
  type?: string;
  text?: { type?: string; text?: unknown };
  fields?: Array<{ text?: unknown }>;
  elements?: Array<{ type?: string; text?: unknown }>;
}

function validateBlock(
  block: BlockJson,
  pointer: string,
): { errors: string[]; textLength: number } {
  const errors: string[] = [];
  let textLength = 0;
  const checkText = (text: unknown, max: number, where: string) => {
    if (typeof text !== 'string' || text.length === 0)
      errors.push(`must be a non-empty string [json-pointer:${where}]`);
    else if (text.length > max)
      errors.push(`must be less than ${max + 1} characters [json-pointer:${where}]`);
    textLength += typeof text === 'string' ? text.length : 0;
  };
  if (block.type === 'header') {
    if (block.text?.type !== 'plain_text')
      errors.push(`must be plain_text [json-pointer:${pointer}/text/type]`);
    checkText(block.text?.text, LIMITS.header, `${pointer}/text/text`);
  } else if (block.type === 'section') {
    if (!block.text && !block.fields)
      errors.push(`must provide text or fields [json-pointer:${pointer}]`);
    if (block.text) checkText(block.text.text, LIMITS.sectionText, `${pointer}/text/text`);
    if (block.fields) {
      if (block.fields.length > LIMITS.fields)
        errors.push(`no more than ${LIMITS.fields} items allowed [json-pointer:${pointer}/fields]`);
      for (const [i, field] of block.fields.entries())
        checkText(field.text, LIMITS.fieldText, `${pointer}/fields/${i}/text`);
    }
  } else if (block.type === 'context') {
    if (!Array.isArray(block.elements) || block.elements.length > 10)
      errors.push(`no more than 10 items allowed [json-pointer:${pointer}/elements]`);
    for (const [i, element] of (block.elements ?? []).entries()) {
      if (element.type !== 'image')
        checkText(element.text, LIMITS.sectionText, `${pointer}/elements/${i}/text`);
    }
  } else if (block.type !== 'divider' && block.type !== 'image') {
    errors.push(`unsupported block type ${String(block.type)} [json-pointer:${pointer}/type]`);
  }

  return { errors, textLength };
}

function getUploadUrl(state: State, body: Record<string, unknown>): Record<string, unknown> {
  const filename = String(body.filename ?? '');
  const length = Number(body.length);
  if (!filename || !Number.isInteger(length) || length <= 0)
    return { ok: false, error: 'invalid_arguments' };
  const fileId = `F0TEST${String(state.nextFile++).padStart(4, '0')}`;
  state.pendingFiles.set(fileId, { filename, length });

  return { ok: true, upload_url: `${state.origin}/upload/${fileId}`, file_id: fileId };
}

function completeUpload(state: State, body: Record<string, unknown>): Record<string, unknown> {
  const files = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as Array<{
    id: string;
    title?: string;
  }>;
  if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
  const channel = body.channel_id ? String(body.channel_id) : null;
  if (channel) {
    const channelError = checkChannel(state, channel);
    if (channelError) return { ok: false, error: channelError };
  }
  for (const file of files) {
    const pending = state.pendingFiles.get(file.id);
    const uploaded = state.uploads.get(file.id);
    if (!pending || !uploaded || uploaded.length !== pending.length)
      return { ok: false, error: 'file_upload_size_mismatch' };
  }

  return { ok: true, files: files.map((file) => ({ id: file.id, title: file.title ?? null })) };
}

async function handleUpload(
  state: State,
  path: string,
  raw: Buffer,
  contentType: string | undefined,
  response: ServerResponse,
): Promise<void> {
  const fileId = path.slice('/upload/'.length);
  if (!state.pendingFiles.has(fileId)) return send(response, 404, { ok: false });
  state.uploads.set(fileId, fileBytes(contentType, raw));
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end(`OK - ${raw.length}`);
}

async function handleResponseUrl(
  state: State,
  path: string,
  raw: Buffer,
  response: ServerResponse,
): Promise<void> {
  const id = decodeURIComponent(path.slice('/response/'.length));
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return send(response, 400, { ok: false, error: 'invalid_payload' });
  }
  if (body.blocks) {
    const problem = validateBlocks(body.blocks as unknown[]);
    if (problem) return send(response, 400, { ok: false, ...problem });
  }
  state.responses.push({ id, body });
  state.waiters = state.waiters.filter((check) => !check());
  send(response, 200, { ok: true });
}

/**
 * Returns the uploaded file: the raw body, or the file part of a multipart form (the WebClient
 * posts the bytes as multipart/form-data, which Slack's upload URL also accepts).
 */
function fileBytes(contentType: string | undefined, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!contentType?.startsWith('multipart/form-data') || !boundary) return raw;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0 && /filename=/i.test(part.subarray(0, headerEnd).toString('utf8'))) {
      return Buffer.from(part.subarray(headerEnd + 4));
    }
    start = next;
  }

  return raw;
}

function parseBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (!text) return {};
  if (contentType?.includes('application/json')) return JSON.parse(text);
  if (contentType?.includes('multipart/form-data')) return { multipart: true };
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) body[key] = decodeJsonField(key, value);

  return body;
}

function decodeJsonField(key: string, value: string): unknown {
  if (!['blocks', 'attachments', 'files'].includes(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
