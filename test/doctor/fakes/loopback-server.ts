import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake received it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a route handler sends back; a JSON `body` is serialised unless `raw` is set. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 and a random port that records requests and answers with `handler`. */
export async function startLoopbackServer(handler: FakeHandler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    let response: FakeResponse;
    try {
      response = await handler(request);
    } catch (error) {
      response = { status: 500, body: { fake_error: (error as Error).message } };
    }
    const text = response.raw ?? JSON.stringify(response.body ?? {});
    outgoing.writeHead(response.status ?? 200, {
      'content-type': response.raw === undefined ? 'application/json' : 'text/xml',
      ...response.headers,
    });
    outgoing.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Returns the token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(request: RecordedRequest): string | null {
  const header = request.headers.authorization;

  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/** Starts a server on 127.0.0.1 that accepts connections and never responds, to test timeouts. */
export async function startSilentServer(): Promise<LoopbackServer> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a server that responds to every request with `status` and an HTML page, as a proxy might. */
export function startHtmlServer(status = 200): Promise<LoopbackServer> {
  return startLoopbackServer(() => ({
    status,
    headers: { 'content-type': 'text/html' },
    raw: '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>',
  }));
}

/** Returns the origin of a 127.0.0.1 port that was free a moment ago, so connecting is refused. */
export async function closedPortOrigin(): Promise<string> {
  const server = await startSilentServer();
  await server.close();

  return server.origin;
}
