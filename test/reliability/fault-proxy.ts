/**
 * A loopback HTTP proxy that forwards every request to one target and injects scripted faults on
 * the requests a matcher selects: an HTTP error with a body, a connection reset, a request that
 * never gets a response, or a forwarded response whose body is replaced. It sits in front of the
 * emulators (dynalite, s3rver, aws-ses-v2-local) and the API fakes, so one scripting surface covers
 * every external call. Headers pass through unchanged, `Host` included, so SigV4 signatures that
 * s3rver checks still match. It listens on 127.0.0.1 at a random port.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path with the query string, e.g. `/v27.0/act_1/insights?limit=500`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Fault =
  /** Responds with this status, body and headers instead of forwarding. */
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  /** Forwards the request, then sends the target's status with this body instead of its own. */
  | { kind: 'corrupt'; body: string }
  /** Closes the connection without a response. */
  | { kind: 'reset' }
  /** Never responds, so the client has to time out. */
  | { kind: 'hang' };

export type RequestMatcher = (request: ProxiedRequest) => boolean;

export interface ProxyLogEntry extends ProxiedRequest {
  /** `Date.now()` when the request arrived. */
  at: number;
  /** The injected fault, or null when the request was forwarded untouched. */
  fault: Fault['kind'] | null;
  /** Status sent back; null for a reset or a hang. */
  status: number | null;
}

interface Injection {
  matcher: RequestMatcher;
  fault: Fault;
  /** Requests still to fault; Infinity for a fault that never clears. */
  remaining: number;
}

export class FaultProxy {
  readonly log: ProxyLogEntry[] = [];
  private readonly injections: Injection[] = [];
  private server: Server | null = null;
  private readonly target: URL;

  constructor(target: string) {
    this.target = new URL(target);
  }

  /** Starts listening and returns the proxy's origin, e.g. `http://127.0.0.1:41234`. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const proxied: ProxiedRequest = {
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const fault = this.takeFault(proxied);
        const entry: ProxyLogEntry = {
          ...proxied,
          at: Date.now(),
          fault: fault?.kind ?? null,
          status: null,
        };
        this.log.push(entry);
        this.answer(fault, proxied, Buffer.concat(chunks), request.socket, response, entry);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));

    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Faults the next `times` requests that `matcher` accepts; `Infinity` keeps faulting them. */
  inject(matcher: RequestMatcher, fault: Fault, times = 1): void {
    this.injections.push({ matcher, fault, remaining: times });
  }

  /** Requests that `matcher` accepts, faulted or not. */
  requestsMatching(matcher: RequestMatcher): ProxyLogEntry[] {
    return this.log.filter((entry) => matcher(entry));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.server = null;
  }

  private takeFault(request: ProxiedRequest): Fault | null {
    const injection = this.injections.find((i) => i.remaining > 0 && i.matcher(request));
    if (!injection) return null;
    injection.remaining -= 1;

    return injection.fault;
  }

  private answer(
    fault: Fault | null,
    proxied: ProxiedRequest,
    body: Buffer,
    socket: Socket,
    response: ServerResponse,
    entry: ProxyLogEntry,
  ): void {
    if (fault?.kind === 'reset') {
      socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      entry.status = fault.status;
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      response.end(fault.body);
      return;
    }
    this.forward(proxied, body)
      .then((forwarded) => {
        entry.status = forwarded.status;
        const headers = { ...forwarded.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        response.writeHead(forwarded.status, headers);
        response.end(fault?.kind === 'corrupt' ? fault.body : forwarded.body);
      })
      .catch(() => socket.destroy());
  }

  private forward(
    proxied: ProxiedRequest,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: proxied.method,
          path: proxied.path,
          headers: proxied.headers,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
