import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Endpoint overrides per service, e.g. `http://127.0.0.1:PORT` for the local emulators. */
export interface AwsEndpoints {
  dynamodb?: string;
  s3?: string;
  ses?: string;
  secretsManager?: string;
  lambda?: string;
}

export interface AwsClients {
  dynamoRaw: DynamoDBClient;
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
}

export interface AwsClientOptions {
  region?: string;
  endpoints?: AwsEndpoints;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Time limit of one HTTP request in ms; none by default, as in the SDK. */
  requestTimeoutMs?: number;
}

/**
 * Creates the DynamoDB, S3 and SES clients. Without `endpoints` the SDK resolves endpoints
 * itself, so `AWS_ENDPOINT_URL_<SERVICE>` variables still apply. A custom S3 endpoint (given here
 * or through `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`) gets path-style addressing and checksums
 * only where required, because S3 emulators such as s3rver serve neither virtual-host buckets nor
 * aws-chunked bodies.
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const { endpoints = {} } = options;
  const base = {
    region:
      options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // @smithy/node-http-handler 4.14 only logs a warning at requestTimeout unless told to throw.
    ...(options.requestTimeoutMs
      ? {
          requestHandler: {
            requestTimeout: options.requestTimeoutMs,
            throwOnRequestTimeout: true,
          },
        }
      : {}),
  };
  const dynamoRaw = new DynamoDBClient({ ...base, ...endpointOf(endpoints.dynamodb) });
  const dynamo = DynamoDBDocumentClient.from(dynamoRaw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

  return {
    dynamoRaw,
    dynamo,
    s3: new S3Client({ ...base, ...s3Settings(endpoints.s3) }),
    ses: new SESClient({ ...base, ...endpointOf(endpoints.ses) }),
  };
}

/** Releases the sockets of every client so a process or test can exit cleanly. */
export function destroyAwsClients(clients: AwsClients): void {
  clients.dynamo.destroy();
  clients.dynamoRaw.destroy();
  clients.s3.destroy();
  clients.ses.destroy();
}

function endpointOf(url: string | undefined): { endpoint?: string } {
  return url ? { endpoint: url } : {};
}

function s3Settings(url: string | undefined) {
  const custom = url ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (!custom) return {};

  return {
    ...endpointOf(url),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}
