/**
 * A loopback fake of the Secrets Manager `GetSecretValue` action over the AWS JSON 1.1 protocol
 * (`POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`), enough for the worker bundle's
 * real SecretsManagerClient to load its credentials. Other actions get `UnknownOperationException`
 * and unknown secret ids `ResourceNotFoundException`, with the status codes AWS uses.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSecretsManager {
  url: string;
  /** `GetSecretValue` calls received, including those rejected for an unknown secret. */
  calls(): number;
  close(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';

/**
 * Starts the fake on 127.0.0.1 at a random port, serving each entry of `secrets` (secret id to
 * JSON object) as `SecretString`. The fake ignores request signatures.
 */
export async function startFakeSecretsManager(
  secrets: Record<string, Record<string, string>>,
): Promise<FakeSecretsManager> {
  let calls = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        sendError(response, 400, 'UnknownOperationException', `Unknown operation ${target}`);
        return;
      }
      calls += 1;
      const secretId = parseSecretId(Buffer.concat(chunks).toString('utf8'));
      const secret = secretId === null ? undefined : secrets[secretId];
      if (secretId === null || !secret) {
        sendError(
          response,
          400,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
        return;
      }
      sendJson(response, 200, secretValue(secretId, secret));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function secretValue(secretId: string, secret: Record<string, string>) {
  return {
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
    Name: secretId,
    VersionId: randomUUID(),
    SecretString: JSON.stringify(secret),
    VersionStages: ['AWSCURRENT'],
    CreatedDate: Math.floor(Date.now() / 1000),
  };
}

function parseSecretId(text: string): string | null {
  try {
    const body = JSON.parse(text) as { SecretId?: unknown };

    return typeof body.SecretId === 'string' ? body.SecretId : null;
  } catch {
    return null;
  }
}

function sendError(response: ServerResponse, status: number, type: string, message: string) {
  sendJson(response, status, { __type: type, message }, { 'x-amzn-errortype': type });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    'content-type': JSON_11,
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(JSON.stringify(body));
}
