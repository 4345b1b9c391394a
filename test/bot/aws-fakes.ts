import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { verifySigV4 } from './verify-sigv4.ts';

/**
 * Loopback stand-ins for the AWS APIs the bot Lambda calls besides DynamoDB: Lambda `Invoke`
 * (REST, `POST /2015-03-31/functions/{name}/invocations`), Secrets Manager `GetSecretValue`
 * (JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`) and the Parameters and Secrets
 * Lambda Extension (`GET /secretsmanager/get?secretId=…` with the
 * `X-Aws-Parameters-Secrets-Token` header). Point the SDK or the bot at them with
 * `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL_SECRETS_MANAGER`, and the bot at the extension
 * with `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` set to `port` and `AWS_SESSION_TOKEN` to
 * `extensionToken`. The extension fake serves `secrets` without a cache.
 */
export interface AwsFakes {
  endpoint: string;
  port: number;
  /** Payloads of `Event` invokes, in arrival order, parsed as JSON. */
  invocations: Array<{ functionName: string; invocationType: string; payload: unknown }>;
  /** Secret access key that API requests must be signed with; others are rejected. */
  secretAccessKey: string;
  /** API requests rejected because their Signature Version 4 signature did not match. */
  badSignatures: number;
  secrets: Map<string, string>;
  /** HTTP status the next invokes return (202 by default). */
  invokeStatus: number;
  /** Error statuses that the next invokes return, in order, before `invokeStatus` applies again. */
  invokeFailures: number[];
  /** Counts of `GetSecretValue` calls, to the API and through the extension. */
  secretReads: { api: number; extension: number };
  /** Token the extension fake expects. It rejects any other with 401, a status chosen here. */
  extensionToken: string;
  /** HTTP status of extension responses; 200 serves the secret. */
  extensionStatus: number;
  close(): Promise<void>;
}

export async function startAwsFakes(): Promise<AwsFakes> {
  const fakes: FakeState = {
    invocations: [],
    secretAccessKey: 'test',
    badSignatures: 0,
    secrets: new Map(),
    invokeStatus: 202,
    invokeFailures: [],
    secretReads: { api: 0, extension: 0 },
    extensionToken: 'fake-session-token',
    extensionStatus: 200,
  };
  const server: Server = createServer((request, response) => {
    text(request).then((body) => {
      const target = request.headers['x-amz-target'];
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
      if (invoke) {
        void serveInvoke(fakes, decodeURIComponent(invoke[1] as string), request, body, response);
        return;
      }
      if (request.method === 'GET' && request.url?.startsWith('/secretsmanager/get?')) {
        serveExtension(fakes, request, response);
        return;
      }
      if (target === 'secretsmanager.GetSecretValue') {
        void serveGetSecretValue(fakes, request, body, response);
        return;
      }
      response.writeHead(404);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;

  return Object.assign(fakes, {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

type FakeState = Omit<AwsFakes, 'endpoint' | 'port' | 'close'>;

async function serveInvoke(
  fakes: FakeState,
  functionName: string,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  if (!(await verifySigV4(request, body, fakes.secretAccessKey))) {
    fakes.badSignatures += 1;
    response.writeHead(403, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'InvalidSignatureException',
    });
    response.end(JSON.stringify({ message: 'The request signature we calculated does not match' }));
    return;
  }
  const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const status = fakes.invokeFailures.shift() ?? fakes.invokeStatus;
  if (status === 202)
    fakes.invocations.push({ functionName, invocationType, payload: JSON.parse(body || 'null') });
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': 'req-1',
    ...(status === 202 ? {} : { 'x-amzn-errortype': invokeErrorType(status) }),
  });
  response.end(status === 202 ? '' : JSON.stringify(invokeErrorBody(status)));
}

async function serveGetSecretValue(
  fakes: FakeState,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  response.setHeader('content-type', 'application/x-amz-json-1.1');
  if (!(await verifySigV4(request, body, fakes.secretAccessKey))) {
    fakes.badSignatures += 1;
    response.writeHead(400);
    response.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'Bad signature' }));
    return;
  }
  fakes.secretReads.api += 1;
  const { SecretId } = JSON.parse(body) as { SecretId: string };
  const value = fakes.secrets.get(SecretId);
  response.writeHead(value === undefined ? 400 : 200);
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
}

/** Error types that the Invoke fake returns for the statuses the tests use. */
function invokeErrorType(status: number): string {
  if (status === 429) return 'TooManyRequestsException';
  if (status === 404) return 'ResourceNotFoundException';
  if (status === 403) return 'AccessDeniedException';

  return 'ServiceException';
}

function invokeErrorBody(status: number): { Type: string; message: string } {
  if (status === 429) return { Type: 'User', message: 'Rate exceeded' };
  if (status === 404) return { Type: 'User', message: 'Function not found: adreport-worker' };

  return { Type: 'Service', message: `Service error ${status}` };
}

function serveExtension(
  fakes: FakeState,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const secretId = new URL(request.url ?? '', 'http://localhost').searchParams.get('secretId');
  const value = secretId === null ? undefined : fakes.secrets.get(secretId);
  const tokenValid = request.headers['x-aws-parameters-secrets-token'] === fakes.extensionToken;
  let status = fakes.extensionStatus;
  if (value === undefined) status = 400;
  if (!tokenValid) status = 401;
  if (status === 200) fakes.secretReads.extension += 1;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(
    status === 200
      ? JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${secretId}`,
          Name: secretId,
          SecretString: value,
        })
      : 'extension error',
  );
}
