import { SESClient } from '@aws-sdk/client-ses';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DoctorSesClientOptions {
  /**
   * Region to check, found by `resolveAwsRegion`. Given explicitly because, left to resolve it
   * alone, the SDK falls back to the EC2 instance metadata address.
   */
  region: string;
  /** Time limit of the connection and of each request, in milliseconds. */
  timeoutMs: number;
}

/**
 * Creates the SES client doctor checks with. Without a request handler the SDK waits forever for
 * a server that accepts the connection and never responds, so both the connection and the request
 * get `timeoutMs`. One attempt, because doctor reports a failure instead of retrying it.
 */
export function createDoctorSesClient(options: DoctorSesClientOptions): SESClient {
  return new SESClient({
    region: options.region,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      // @smithy/node-http-handler 4.14 only logs a warning at `requestTimeout` unless `throwOnRequestTimeout` is set.
      throwOnRequestTimeout: true,
    }),
  });
}
