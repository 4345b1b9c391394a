import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Loopback stand-ins for the two AWS APIs the bot Lambda calls besides DynamoDB: Lambda `Invoke`
 * (REST, `POST /2015-03-31/functions/{name}/invocations`) and Secrets Manager `GetSecretValue`
 * (JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`). Point the SDK at them with
 * `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
export interface AwsFakes {
  endpoint: string;
  /** Payloads of `Event` invokes, in arrival order, parsed as JSON. */
  invocations: Array<{ functionName: string; invocationType: string; payload: unknown }>;
  secrets: Map<string, string>;
  /** HTTP status the next invokes return (202 by default). */
  invokeStatus: number;
  close(): Promise<void>;
}

export async function startAwsFakes(): Promise<AwsFakes> {
  const fakes: Omit<AwsFakes, 'endpoint' | 'close'> = {
    invocations: [],
    secrets: new Map(),
    invokeStatus: 202,
  };
  const server: Server = createServer((request, response) => {
    readBody(request).then((body) => {
      const target = request.headers['x-amz-target'];
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
      if (invoke) {
        const functionName = decodeURIComponent(invoke[1] as string);
        const invocationType = String(
          request.headers['x-amz-invocation-type'] ?? 'RequestResponse',
        );
        if (fakes.invokeStatus === 202)
          fakes.invocations.push({
            functionName,
            invocationType,
            payload: JSON.parse(body || 'null'),
          });
        response.writeHead(fakes.invokeStatus, {
          'content-type': 'application/json',
          'x-amzn-requestid': 'req-1',
        });
        response.end(
          fakes.invokeStatus === 202
            ? ''
            : JSON.stringify({ Type: 'Service', message: 'Rate exceeded' }),
        );
        return;
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        const value = fakes.secrets.get(SecretId);
        response.writeHead(value === undefined ? 400 : 200, {
          'content-type': 'application/x-amz-json-1.1',
        });
        response.end(
          JSON.stringify(
            value === undefined
              ? {
                  __type: 'ResourceNotFoundException',
                  message: "Secrets Manager can't find the specified secret.",
                }
              : {
                  ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}`,
                  Name: SecretId,
                  SecretString: value,
                },
          ),
        );
        return;
      }
      response.writeHead(404);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return Object.assign(fakes, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
