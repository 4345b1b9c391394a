/**
 * A loopback HTTP proxy that forwards every request unchanged to one emulator and counts the
 * requests by operation, so a benchmark records exactly which AWS calls a child process made.
 * Headers, including the SigV4 `authorization` and the signed `host`, pass through untouched.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of a request a classifier may look at. */
export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Names the operation of a request, e.g. `Query` or `PutObject`. */
export type RequestClassifier = (request: ProxiedRequest) => string;

/** Counts the items a response returned for an operation, or returns 0 when it returned none. */
export type ItemCounter = (operation: string, responseBody: Buffer) => number;

export interface CountingProxy {
  url: string;
  /** Requests by operation since the start or the last `reset`. */
  requests(): Record<string, number>;
  /** Items returned by operation (only when the proxy has an item counter). */
  items(): Record<string, number>;
  /** Milliseconds during which at least one request was waiting for the upstream. */
  busyMs(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a counting proxy on 127.0.0.1 at a random port in front of `upstream`. */
export async function startCountingProxy(options: {
  upstream: string;
  classify: RequestClassifier;
  countItems?: ItemCounter;
  /** Called with every request before it is forwarded, e.g. to keep the messages sent to SES. */
  inspect?: (request: ProxiedRequest) => void;
}): Promise<CountingProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  let requests: Record<string, number> = {};
  let items: Record<string, number> = {};
  const busy = busyClock();

  const server = createServer(async (incoming, outgoing) => {
    const body = await readBody(incoming);
    const proxied = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body,
    };
    const operation = options.classify(proxied);
    requests[operation] = (requests[operation] ?? 0) + 1;
    options.inspect?.(proxied);
    busy.begin();
    forward(proxied, upstream, agent, outgoing, (responseBody) => {
      busy.end();
      if (!options.countItems) return;
      items[operation] = (items[operation] ?? 0) + options.countItems(operation, responseBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => ({ ...requests }),
    items: () => ({ ...items }),
    busyMs: busy.total,
    reset: () => {
      requests = {};
      items = {};
      busy.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  proxied: ProxiedRequest,
  upstream: URL,
  agent: Agent,
  outgoing: ServerResponse,
  onResponse: (body: Buffer) => void,
): void {
  const upstreamRequest = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: proxied.method,
      path: proxied.path,
      headers: proxied.headers,
      agent,
    },
    async (response) => {
      const responseBody = await readBody(response);
      onResponse(responseBody);
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      outgoing.end(responseBody);
    },
  );
  upstreamRequest.on('error', (error) => {
    onResponse(Buffer.alloc(0));
    // The client gets a 502, as from any proxy, and its SDK retries or reports it.
    outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`Proxy could not reach ${upstream.origin}: ${error.message}`);
  });
  upstreamRequest.end(proxied.body);
}

/**
 * Accumulates the time during which at least one request is in flight, so concurrent requests
 * count once: the union of their intervals.
 */
function busyClock() {
  let inFlight = 0;
  let since = 0;
  let totalMs = 0;

  return {
    begin: () => {
      if (inFlight === 0) since = performance.now();
      inFlight += 1;
    },
    end: () => {
      inFlight -= 1;
      if (inFlight === 0) totalMs += performance.now() - since;
    },
    total: () => totalMs + (inFlight > 0 ? performance.now() - since : 0),
    reset: () => {
      totalMs = 0;
      if (inFlight > 0) since = performance.now();
    },
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Names a DynamoDB request by its `X-Amz-Target` operation, e.g. `BatchWriteItem`. */
export function dynamoOperation(request: ProxiedRequest): string {
  const target = headerValue(request.headers['x-amz-target']);

  return target?.split('.').pop() || 'unknown';
}

/** Counts the items a DynamoDB read returned: `Count` of Query and Scan, Responses of a batch. */
export function dynamoItemsRead(operation: string, responseBody: Buffer): number {
  if (!['Query', 'Scan', 'GetItem', 'BatchGetItem'].includes(operation)) return 0;
  let body: { Count?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
  try {
    body = JSON.parse(responseBody.toString('utf8'));
  } catch {
    return 0;
  }
  if (operation === 'GetItem') return body.Item ? 1 : 0;
  if (operation === 'BatchGetItem') {
    return Object.values(body.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
  }

  return body.Count ?? 0;
}

/** Names an S3 request by the REST operation its method and path stand for. */
export function s3Operation(request: ProxiedRequest): string {
  const [path = '/', query = ''] = request.path.split('?');
  const isObject = path.split('/').filter(Boolean).length > 1;
  const objectOperations: Record<string, string> = {
    PUT: 'PutObject',
    GET: 'GetObject',
    HEAD: 'HeadObject',
    DELETE: 'DeleteObject',
  };
  if (isObject) return objectOperations[request.method] ?? `${request.method} object`;
  if (request.method === 'GET' && query.includes('list-type=2')) return 'ListObjectsV2';

  return `${request.method} bucket`;
}

/** Names an SES request by its `X-Amz-Target` (JSON protocol) or `Action` form field (query protocol). */
export function sesOperation(request: ProxiedRequest): string {
  const target = headerValue(request.headers['x-amz-target']);
  if (target) return target.split('.').pop() || 'unknown';
  const action = new URLSearchParams(request.body.toString('utf8')).get('Action');
  if (action) return action;

  return `${request.method} ${request.path.split('?')[0]}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
