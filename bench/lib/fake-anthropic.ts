/**
 * A loopback fake of the Anthropic Messages API (`POST /v1/messages`, non-streaming) for the
 * benchmarks: it checks the API key, keeps every request body so the prompt can be measured,
 * and answers at once with a schema-valid analysis that quotes no numbers. Real Claude calls
 * take seconds to minutes, so benchmark wall times leave the model's latency out.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`. */
  url: string;
  apiKey: string;
  /** Parsed JSON bodies of the `/v1/messages` requests received, in order. */
  requests: unknown[];
  close(): Promise<void>;
}

/** A response that passes the analysis schema and the number check, since it quotes no figures. */
const ANALYSIS = {
  headline: 'Delivery and leads held within their usual range this week',
  weekSummary: ['Most campaigns delivered as in the weeks before.'],
  trendSummary: ['The four-week trend shows no sustained move.'],
  recommendations: {
    marketing: ['Keep budgets as they are and watch the flagged campaigns.'],
    digital: ['Check that landing pages still load quickly on phones.'],
    leadership: ['No decision is needed this week.'],
  },
};

/** Starts the fake on 127.0.0.1 at a random port. */
export async function startFakeAnthropic(
  apiKey = 'sk-ant-bench-0000000000',
): Promise<FakeAnthropic> {
  const requests: unknown[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/messages') {
        sendError(response, 404, 'not_found_error', `Unknown endpoint ${request.url}`);
        return;
      }
      // @anthropic-ai/sdk 1.17 sends the key as a Bearer token; older clients send `x-api-key`.
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if ((bearer ?? request.headers['x-api-key']) !== apiKey) {
        sendError(response, 401, 'authentication_error', 'invalid API key');
        return;
      }
      let body: { model?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        sendError(response, 400, 'invalid_request_error', 'The request body is not valid JSON');
        return;
      }
      requests.push(body);
      sendJson(response, 200, message(body.model ?? 'unknown', promptChars(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Counts the characters of a Messages request's prompt: the system text blocks (or string) and
 * the text of every message, whether its content is a string or a list of blocks.
 */
export function promptChars(body: unknown): number {
  const request = body as { system?: unknown; messages?: Array<{ content?: unknown }> };

  return (
    textLength(request.system) +
    (request.messages ?? []).reduce((sum, entry) => sum + textLength(entry.content), 0)
  );
}

function textLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;

  return content.reduce(
    (sum: number, block: { text?: unknown }) =>
      sum + (typeof block?.text === 'string' ? block.text.length : 0),
    0,
  );
}

function message(model: string, inputChars: number) {
  const text = JSON.stringify(ANALYSIS);

  return {
    id: `msg_bench${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    // An estimate at 4 characters a token, since the fake has no tokenizer.
    usage: {
      input_tokens: Math.ceil(inputChars / 4),
      output_tokens: Math.ceil(text.length / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

function sendError(response: ServerResponse, status: number, type: string, text: string) {
  sendJson(response, status, { type: 'error', error: { type, message: text } });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_bench${randomUUID().replaceAll('-', '')}`,
  });
  response.end(JSON.stringify(body));
}
