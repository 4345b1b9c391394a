import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';

/** Static AWS credentials, as Lambda puts them in the function's environment. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Endpoint, region and credentials for calling one AWS API. */
export interface AwsTarget {
  endpoint: URL;
  region: string;
  credentials: AwsCredentials;
}

/** A non-2xx response of an AWS API: HTTP status, AWS error type and message, request id. */
export class AwsRequestError extends Error {
  override readonly name = 'AwsRequestError';

  constructor(
    readonly api: string,
    readonly status: number,
    readonly errorType: string,
    readonly detail: string,
    readonly requestId: string | undefined,
  ) {
    super(`${api} returned ${status} ${errorType}: ${detail}`);
  }
}

/** One request to an AWS API. Errors name it by `api`, e.g. `Lambda Invoke`. */
export interface AwsRequest {
  api: string;
  /** Signing name of the service, e.g. `lambda`. */
  service: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** An AWS service as this module addresses it. */
export interface AwsService {
  /** Signing name, which is also the endpoint's first label, e.g. `lambda`. */
  service: string;
  /** Suffix of the SDK's per-service endpoint variable, `AWS_ENDPOINT_URL_<suffix>`. */
  envSuffix: string;
}

/** The services the bot calls. */
export const SERVICES = {
  lambda: { service: 'lambda', envSuffix: 'LAMBDA' },
  secretsManager: { service: 'secretsmanager', envSuffix: 'SECRETS_MANAGER' },
  dynamodb: { service: 'dynamodb', envSuffix: 'DYNAMODB' },
} as const satisfies Record<string, AwsService>;

export interface RequestOptions {
  /** Maximum attempts, the first included. Throttling, 5xx responses and network errors are retried. */
  maxAttempts?: number;
  /** Time limit of one attempt, in milliseconds. A timed-out attempt is not retried. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// Three attempts, as the SDK's default. A 2-second attempt is already most of Slack's 3-second ack.
const DEFAULTS = { maxAttempts: 3, timeoutMs: 2_000 };
/**
 * Pause before retry n (1-based) is `RETRY_BASE_MS * 2 ** (n - 1)`, without jitter. The SDK
 * (smithy retry 100 ms base, 500 ms for throttling) draws a random share of that bound instead.
 */
const RETRY_BASE_MS = 100;
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Maximum bytes of a response body kept, because error bodies are short JSON. */
const MAX_BODY_BYTES = 64 * 1024;
// Kept-alive sockets spare warm invocations a new TLS handshake, as the SDK's default agent does.
const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/**
 * Reads a service's target the way the AWS SDK for JavaScript v3 does from the environment:
 * static credentials, `AWS_REGION` (or `AWS_DEFAULT_REGION`) and the endpoint from
 * `AWS_ENDPOINT_URL_<service>` or `AWS_ENDPOINT_URL`. Returns null when the credentials or region
 * are missing, or when the SDK would pick an endpoint this reader does not build (FIPS or
 * dual-stack endpoints, partitions other than `aws` and `aws-cn`).
 */
export function awsTargetFromEnv(env: NodeJS.ProcessEnv, service: AwsService): AwsTarget | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!accessKeyId || !secretAccessKey || !region) return null;

  const endpoint = endpointFromEnv(env, service, region);
  if (!endpoint) return null;

  return {
    endpoint,
    region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  };
}

function endpointFromEnv(env: NodeJS.ProcessEnv, service: AwsService, region: string): URL | null {
  const configured =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'
      ? undefined
      : (env[`AWS_ENDPOINT_URL_${service.envSuffix}`] ?? env.AWS_ENDPOINT_URL);
  if (configured) return new URL(configured);
  if (env.AWS_USE_FIPS_ENDPOINT === 'true' || env.AWS_USE_DUALSTACK_ENDPOINT === 'true')
    return null;
  if (!/^(?:[a-z]{2}|us-gov)-[a-z]+-\d+$/.test(region)) return null;

  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';

  return new URL(`https://${service.service}.${region}.${suffix}`);
}

/**
 * Sends `request` signed with Signature Version 4 (by `aws4`), without the AWS SDK, and returns
 * the 2xx response. Retries throttling (429), 500, 502, 503 and 504 responses and connection
 * errors (reset, refused, broken pipe, socket timed out), with exponential backoff.
 *
 * @throws AwsRequestError for a non-2xx response that is not retried or is the last attempt.
 * @throws Error for a network failure or a timed-out attempt.
 */
export async function sendAwsRequest(
  target: AwsTarget,
  request: AwsRequest,
  options: RequestOptions = {},
): Promise<AwsResponse> {
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await attemptRequest(target, request, timeoutMs);
    if (outcome.ok) return outcome.value;
    if (!outcome.retryable || attempt >= maxAttempts) throw outcome.error;

    await sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
  }
}

/** A 2xx response: status, body text and request id. */
export interface AwsResponse {
  status: number;
  body: string;
  requestId: string | undefined;
}

type Outcome = { ok: true; value: AwsResponse } | { ok: false; retryable: boolean; error: Error };

async function attemptRequest(
  target: AwsTarget,
  request: AwsRequest,
  timeoutMs: number,
): Promise<Outcome> {
  let response: RawResponse;
  try {
    response = await sendSigned(target, request, timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';

    return { ok: false, retryable: RETRYABLE_NETWORK_CODES.has(code), error: error as Error };
  }
  const requestId = headerValue(response.headers, 'x-amzn-requestid');
  if (response.status >= 200 && response.status < 300) {
    return { ok: true, value: { status: response.status, body: response.body, requestId } };
  }

  return {
    ok: false,
    retryable: RETRYABLE_STATUS.has(response.status),
    error: toRequestError(request.api, response, requestId),
  };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function sendSigned(
  target: AwsTarget,
  request: AwsRequest,
  timeoutMs: number,
): Promise<RawResponse> {
  const { endpoint } = target;
  const https = endpoint.protocol === 'https:';
  const basePath = endpoint.pathname.replace(/\/$/, '');
  const signed = aws4.sign(
    {
      protocol: endpoint.protocol,
      // URL keeps the brackets of an IPv6 host, which the Host header needs and a socket does not.
      hostname: endpoint.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: endpoint.port || undefined,
      method: request.method,
      path: `${basePath}${request.path}`,
      service: request.service,
      region: target.region,
      headers: { Host: endpoint.host, ...request.headers },
      body: request.body,
    },
    target.credentials,
  );

  return new Promise((resolve, reject) => {
    const call = (https ? httpsRequest : httpRequest)(
      { ...signed, agent: https ? agents.https : agents.http },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    call.setTimeout(timeoutMs, () =>
      call.destroy(new Error(`${request.api} timed out after ${timeoutMs} ms`)),
    );
    call.on('error', reject);
    call.end(request.body);
  });
}

/** Reads the error type and message the way the SDK's JSON and REST-JSON protocols do. */
function toRequestError(
  api: string,
  response: RawResponse,
  requestId: string | undefined,
): AwsRequestError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // A non-JSON body (a proxy's HTML page, say) is quoted as text below.
  }
  const fromHeader = headerValue(response.headers, 'x-amzn-errortype')?.split(':')[0];
  const fromBody = stringField(body, '__type')?.split('#').pop() ?? stringField(body, 'code');
  const errorType = fromHeader || fromBody || 'UnknownError';
  const detail =
    stringField(body, 'message') ??
    stringField(body, 'Message') ??
    (response.body.trim().slice(0, 200) || 'no message');

  return new AwsRequestError(api, response.status, errorType, detail, requestId);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];

  return Array.isArray(value) ? value[0] : value;
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];

  return typeof value === 'string' && value !== '' ? value : undefined;
}
