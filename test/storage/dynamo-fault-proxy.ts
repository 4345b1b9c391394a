import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one BatchWriteItem or BatchGetItem request. */
export type BatchFault =
  /** Forwards the first half of the requests and returns the rest as unprocessed. */
  | 'unprocess-half'
  /** Forwards nothing and returns every request as unprocessed. */
  | 'unprocess-all';

type Json = Record<string, unknown>;

/**
 * A loopback HTTP proxy in front of dynalite that injects the faults the emulator cannot produce:
 * `UnprocessedItems` and `UnprocessedKeys` in a successful batch response. Like DynamoDB, it
 * rejects a BatchWriteItem that names one key twice with a ValidationException. It counts every
 * request by operation.
 */
export class DynamoFaultProxy {
  readonly calls = new Map<string, number>();
  readonly writeFaults: BatchFault[] = [];
  readonly getFaults: BatchFault[] = [];
  /** Applies to every batch request once the queues are empty. */
  persistentFault: BatchFault | null = null;
  private server: Server | null = null;

  constructor(
    private readonly target: string,
    private readonly keyNames: string[],
  ) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request)
        .then(({ status, body }) => {
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(body);
        })
        .catch((error: Error) => {
          response.writeHead(500);
          response.end(error.message);
        });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));

    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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

  count(operation: string): number {
    return this.calls.get(operation) ?? 0;
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: string }> {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    this.calls.set(operation, this.count(operation) + 1);
    const text = await readBody(request);
    if (operation === 'BatchWriteItem') return this.batchWrite(request, JSON.parse(text) as Json);
    if (operation === 'BatchGetItem') return this.batchGet(request, JSON.parse(text) as Json);

    return this.forward(request, text);
  }

  private async batchWrite(request: IncomingMessage, body: Json) {
    const requestItems = body.RequestItems as Record<string, Json[]>;
    const [table, writes] = Object.entries(requestItems)[0] as [string, Json[]];
    const keys = writes.map((write) =>
      this.keyText((write.PutRequest ?? write.DeleteRequest) as Json),
    );
    if (new Set(keys).size !== keys.length) {
      return validationError('Provided list of item keys contains duplicates');
    }
    const fault = this.writeFaults.shift() ?? this.persistentFault;
    const kept = keptCount(fault, writes.length);
    const forwarded = await this.forward(
      request,
      JSON.stringify({ RequestItems: { [table]: writes.slice(0, kept) } }),
      kept === 0,
    );
    const result = JSON.parse(forwarded.body) as Json;
    if (kept < writes.length) result.UnprocessedItems = { [table]: writes.slice(kept) };

    return { status: forwarded.status, body: JSON.stringify(result) };
  }

  private async batchGet(request: IncomingMessage, body: Json) {
    const requestItems = body.RequestItems as Record<string, Json>;
    const [table, spec] = Object.entries(requestItems)[0] as [string, { Keys: Json[] }];
    const fault = this.getFaults.shift() ?? this.persistentFault;
    const kept = keptCount(fault, spec.Keys.length);
    const forwardedBody = JSON.stringify({
      RequestItems: { [table]: { ...spec, Keys: spec.Keys.slice(0, kept) } },
    });
    const forwarded = await this.forward(request, forwardedBody, kept === 0);
    const result = JSON.parse(forwarded.body) as Json;
    if (kept < spec.Keys.length) {
      result.UnprocessedKeys = { [table]: { ...spec, Keys: spec.Keys.slice(kept) } };
    }

    return { status: forwarded.status, body: JSON.stringify(result) };
  }

  /** Sends `body` on to dynalite, or, when `skip` is set, returns an empty success. */
  private async forward(request: IncomingMessage, body: string, skip = false) {
    if (skip) return { status: 200, body: JSON.stringify({ Responses: {}, UnprocessedItems: {} }) };
    const headers = new Headers();
    for (const name of ['content-type', 'x-amz-target', 'authorization', 'x-amz-date']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await fetch(this.target, { method: 'POST', headers, body });

    return { status: response.status, body: await response.text() };
  }

  private keyText(item: Json): string {
    const attributes = (item.Item ?? item.Key) as Json;

    return this.keyNames.map((name) => JSON.stringify(attributes[name])).join('|');
  }
}

function keptCount(fault: BatchFault | null, total: number): number {
  if (fault === 'unprocess-all') return 0;
  if (fault === 'unprocess-half') return Math.floor(total / 2);

  return total;
}

function validationError(message: string) {
  return {
    status: 400,
    body: JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);

  return Buffer.concat(chunks).toString('utf8');
}
