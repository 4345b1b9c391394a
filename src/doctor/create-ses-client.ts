import { SESClient } from '@aws-sdk/client-ses';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DoctorSesClientOptions {
  /** Read for `AWS_REGION`, then `AWS_DEFAULT_REGION`; the SDK reads the rest itself. */
  env: NodeJS.ProcessEnv;
  /** Time limit of the connection and of each request, in milliseconds. */
  timeoutMs: number;
}

/**
 * Creates the SES client doctor checks with. Without a request handler the SDK waits forever for
 * a server that accepts the connection and never responds, so both the connection and the request
 * get `timeoutMs`. One attempt, because doctor reports a failure instead of retrying it.
 */
export function createDoctorSesClient(options: DoctorSesClientOptions): SESClient {
  const region = options.env.AWS_REGION || options.env.AWS_DEFAULT_REGION;

  return new SESClient({
    ...(region ? { region } : {}),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      // @smithy/node-http-handler 4.14 only logs a warning at `requestTimeout` unless `throwOnRequestTimeout` is set.
      throwOnRequestTimeout: true,
    }),
  });
}
