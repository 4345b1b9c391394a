import { bearerToken, type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

export interface AnthropicFakeOptions {
  apiKey: string;
  /** Models the key can see, with their lifecycle stage. */
  models: Record<string, { lifecycle: 'active' | 'deprecated' | 'retired'; retiresAt?: string }>;
  /** Answer every request with this HTTP status and error type. */
  failWith?: { status: number; type: string };
}

/** Starts a loopback Anthropic API that answers `GET /v1/models/{model}` with its bodies and errors. */
export function startAnthropicFake(options: AnthropicFakeOptions): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    if (options.failWith)
      return apiError(options.failWith.status, options.failWith.type, 'Injected failure');
    const key = bearerToken(request) ?? request.headers['x-api-key'];
    if (key !== options.apiKey) return apiError(401, 'authentication_error', 'invalid x-api-key');
    const match = /^\/v1\/models\/([^/]+)$/.exec(request.url.pathname);
    const model = match ? options.models[decodeURIComponent(match[1] as string)] : undefined;
    if (!match || !model) return apiError(404, 'not_found_error', `model: ${match?.[1] ?? '?'}`);

    return {
      body: {
        type: 'model',
        id: match[1],
        display_name: `Fake ${match[1]}`,
        created_at: '2026-10-07T00:00:00Z',
        lifecycle: model.lifecycle,
        deprecated_at: model.lifecycle === 'active' ? null : '2026-11-01T00:00:00Z',
        retires_at: model.retiresAt ?? null,
        capabilities: null,
        line: null,
        max_input_tokens: 1_000_000,
        max_tokens: 128_000,
      },
    };
  });
}

function apiError(status: number, type: string, message: string) {
  return {
    status,
    headers: { 'request-id': 'req_fake01' },
    body: { type: 'error', error: { type, message }, request_id: 'req_fake01' },
  };
}
