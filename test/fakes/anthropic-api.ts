import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Anthropic Messages API (`POST /v1/messages`) for the real SDK pointed at it with
 * `baseURL`. Replies are scripted one per request, in order: a message (with thinking blocks
 * before the text, any stop reason), an error with the API's body and headers (429 with
 * `retry-after`, 529 `overloaded_error`, 500), a raw body, or a hang that never responds. It
 * checks the key (`Authorization: Bearer` or `x-api-key`) and the thinking rules the API
 * enforces, and records every request body.
 *
 * A `tool_use` reply asks for tool calls. Later requests must then follow the tool loop rules the
 * API enforces: every `tool_use` id answered by a `tool_result` in the next user message, and the
 * assistant turn replayed unchanged (its thinking blocks and signatures included).
 */

export type FakeReply =
  | {
      kind: 'message';
      /** The text block; for structured outputs, the JSON output. */
      text: string;
      stopReason?: 'end_turn' | 'max_tokens' | 'refusal' | 'stop_sequence' | 'pause_turn';
      /** Thinking blocks placed before the text, as adaptive thinking returns them. */
      thinking?: string[];
      model?: string;
      usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number };
    }
  | {
      kind: 'error';
      status: number;
      type: string;
      message?: string;
      /** Sent as `retry-after-ms` (which the SDK prefers) and as `retry-after` in seconds. */
      retryAfterMs?: number;
    }
  | { kind: 'raw'; status: number; body: string }
  | { kind: 'hang' }
  | {
      kind: 'tool_use';
      /** Tool calls in order; ids default to `toolu_<request number>_<index>`. */
      calls: Array<{ name: string; input: unknown; id?: string }>;
      /** Text placed before the calls. */
      text?: string;
      thinking?: string[];
      usage?: { input_tokens: number; output_tokens: number };
    };

export interface RecordedRequest {
  path: string;
  /** Which header carried the key; the key itself is not kept. */
  auth: 'bearer' | 'x-api-key';
  body: Record<string, unknown>;
}

export interface AnthropicFake {
  /** Base URL for `new Anthropic({ baseURL })`. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queues replies for the next requests, in order. */
  reply(...replies: FakeReply[]): void;
  /** Forgets queued replies and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE = { input_tokens: 1200, output_tokens: 800 };

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startAnthropicFake(
  options: { apiKey?: string } = {},
): Promise<AnthropicFake> {
  const apiKey = options.apiKey ?? 'sk-ant-test-key-0123456789';
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1;
  /** Assistant content as issued, by each `tool_use` id in it, to check replays against. */
  const issued = new Map<string, unknown[]>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      sendError(response, 500, 'api_error', `fake failed: ${error.message}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'POST' || path !== '/v1/messages') {
      return sendError(response, 404, 'not_found_error', `Not found: ${request.method} ${path}`);
    }
    const auth = authOf(request, apiKey);
    if (auth === 'invalid')
      return sendError(response, 401, 'authentication_error', 'invalid x-api-key');
    const text = await readBody(request);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return sendError(response, 400, 'invalid_request_error', 'Request body is not valid JSON');
    }
    requests.push({ path, auth, body });
    const invalid = validateRequest(body) ?? validateToolTurns(body, issued);
    if (invalid) return sendError(response, 400, 'invalid_request_error', invalid);
    const reply = queue.shift();
    if (!reply) return sendError(response, 500, 'api_error', 'No scripted reply left in the fake');
    const requestId = `req_fake_${String(nextId++).padStart(4, '0')}`;
    if (reply.kind === 'tool_use') return sendToolUse(response, reply, body, requestId, issued);
    respond(response, reply, body, requestId);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    reply: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(
  response: ServerResponse,
  reply: Exclude<FakeReply, { kind: 'tool_use' }>,
  body: Record<string, unknown>,
  requestId: string,
) {
  response.setHeader('request-id', requestId);
  if (reply.kind === 'hang') return;
  if (reply.kind === 'raw') {
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(reply.body);

    return;
  }
  if (reply.kind === 'error') {
    if (reply.retryAfterMs !== undefined) {
      response.setHeader('retry-after-ms', String(reply.retryAfterMs));
      response.setHeader('retry-after', String(Math.ceil(reply.retryAfterMs / 1000)));
    }
    if (reply.status === 429 || reply.status >= 500) response.setHeader('x-should-retry', 'true');

    return sendError(
      response,
      reply.status,
      reply.type,
      reply.message ?? defaultMessage(reply.type),
      requestId,
    );
  }
  send(response, 200, messageBody(reply, body, requestId));
}

function messageBody(
  reply: Extract<FakeReply, { kind: 'message' }>,
  body: Record<string, unknown>,
  requestId: string,
) {
  const stopReason = reply.stopReason ?? 'end_turn';
  const thinking = (reply.thinking ?? []).map((text, index) => ({
    type: 'thinking',
    thinking: text,
    signature: `sig_${requestId}_${index}`,
  }));

  return {
    id: `msg_${requestId.slice(4)}`,
    type: 'message',
    role: 'assistant',
    model: reply.model ?? body.model,
    content: [...thinking, { type: 'text', text: reply.text, citations: null }],
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details:
      stopReason === 'refusal'
        ? { type: 'refusal', category: null, explanation: 'The request was declined.' }
        : null,
    container: null,
    usage: {
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...DEFAULT_USAGE,
      ...reply.usage,
    },
  };
}

/**
 * Returns what the API would reject: a missing field, a thinking budget below 1,024 or not
 * below `max_tokens`, a budget sent to a Claude 5 model (they take adaptive thinking only), or a
 * temperature set together with thinking.
 */
function validateRequest(body: Record<string, unknown>): string | null {
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'messages: Field required';
  const thinking = body.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (!thinking || thinking.type === 'disabled') return null;
  if (body.temperature !== undefined && body.temperature !== 1) {
    return '`temperature` may only be set to 1 when thinking is enabled';
  }
  if (thinking.type !== 'enabled') return null;
  if (/^claude-[a-z]+-5/.test(body.model)) {
    return '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort"';
  }
  const budget = thinking.budget_tokens ?? 0;
  if (budget < 1024) return 'thinking.budget_tokens: Input should be greater than or equal to 1024';
  if (budget >= body.max_tokens)
    return '`max_tokens` must be greater than `thinking.budget_tokens`';

  return null;
}

function authOf(request: IncomingMessage, apiKey: string): RecordedRequest['auth'] | 'invalid' {
  const bearer = request.headers.authorization;
  if (bearer !== undefined) return bearer === `Bearer ${apiKey}` ? 'bearer' : 'invalid';
  const header = request.headers['x-api-key'];
  if (header !== undefined) return header === apiKey ? 'x-api-key' : 'invalid';

  return 'invalid';
}

function defaultMessage(type: string): string {
  const messages: Record<string, string> = {
    overloaded_error: 'Overloaded',
    rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
    api_error: 'Internal server error',
  };

  return messages[type] ?? type;
}

function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId?: string,
) {
  send(response, status, {
    type: 'error',
    error: { type, message },
    request_id: requestId ?? (response.getHeader('request-id') as string | undefined) ?? null,
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);

  return Buffer.concat(chunks).toString('utf8');
}

/** Sends tool calls (stop reason `tool_use`) and remembers the content for replay checks. */
function sendToolUse(
  response: ServerResponse,
  reply: Extract<FakeReply, { kind: 'tool_use' }>,
  body: Record<string, unknown>,
  requestId: string,
  issued: Map<string, unknown[]>,
): void {
  const thinking = (reply.thinking ?? []).map((text, index) => ({
    type: 'thinking',
    thinking: text,
    signature: `sig_${requestId}_${index}`,
  }));
  const text = reply.text ? [{ type: 'text', text: reply.text, citations: null }] : [];
  const calls = reply.calls.map((call, index) => ({
    type: 'tool_use',
    id: call.id ?? `toolu_${requestId.slice(-4)}_${index}`,
    name: call.name,
    input: call.input,
  }));
  const content = [...thinking, ...text, ...calls];
  for (const call of calls) issued.set(call.id, content);
  response.setHeader('request-id', requestId);
  send(response, 200, {
    id: `msg_${requestId.slice(4)}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: 'tool_use',
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: {
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...DEFAULT_USAGE,
      ...reply.usage,
    },
  });
}

type Block = { type?: string; id?: string; tool_use_id?: string };

/**
 * Returns what the API would reject in a tool loop: a `tool_use` without a `tool_result` in the
 * next message, a `tool_result` for an unknown id, or an issued assistant turn replayed with its
 * thinking dropped or changed.
 */
function validateToolTurns(
  body: Record<string, unknown>,
  issued: Map<string, unknown[]>,
): string | null {
  const messages = body.messages as Array<{ role: string; content: unknown }>;
  for (const [index, message] of messages.entries()) {
    const blocks = Array.isArray(message.content) ? (message.content as Block[]) : [];
    if (message.role === 'assistant') {
      const problem = checkReplay(index, blocks, issued);
      if (problem) return problem;
    }
    const uses =
      message.role === 'assistant' ? blocks.filter((block) => block.type === 'tool_use') : [];
    if (uses.length === 0) continue;
    const next = messages[index + 1];
    const results = new Set(
      (Array.isArray(next?.content) ? (next.content as Block[]) : [])
        .filter((block) => block.type === 'tool_result')
        .map((block) => block.tool_use_id),
    );
    const missing = uses.filter((use) => !results.has(use.id)).map((use) => use.id);
    if (next?.role !== 'user' || missing.length > 0) {
      return `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
    const known = new Set(uses.map((use) => use.id));
    const unexpected = [...results].filter((id) => !known.has(id));
    if (unexpected.length > 0) {
      return `messages.${index + 1}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}`;
    }
  }

  return null;
}

function checkReplay(
  index: number,
  blocks: Block[],
  issued: Map<string, unknown[]>,
): string | null {
  const use = blocks.find((block) => block.type === 'tool_use' && block.id && issued.has(block.id));
  const original = use?.id ? issued.get(use.id) : undefined;
  if (!original) return null;
  const first = original[0] as Block | undefined;
  if (
    first?.type === 'thinking' &&
    blocks[0]?.type !== 'thinking' &&
    blocks[0]?.type !== 'redacted_thinking'
  ) {
    return `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`;
  }
  if (canonical(blocks) !== canonical(original)) {
    return `messages.${index}.content: thinking blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`;
  }

  return null;
}

/** JSON with object keys sorted, so content that went through a store compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));

    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }

  return JSON.stringify(value);
}
