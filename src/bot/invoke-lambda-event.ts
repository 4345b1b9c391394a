import {
  type AwsTarget,
  awsTargetFromEnv,
  type RequestOptions,
  SERVICES,
  sendAwsRequest,
} from './send-aws-request.ts';

/**
 * Reads the Lambda API target from the environment as the AWS SDK does (see `awsTargetFromEnv`),
 * or returns null when the credentials or region are missing.
 */
export function lambdaTargetFromEnv(env: NodeJS.ProcessEnv): AwsTarget | null {
  return awsTargetFromEnv(env, SERVICES.lambda);
}

/**
 * Sends an asynchronous Lambda invoke (`X-Amz-Invocation-Type: Event`) of `functionName` and
 * returns the status (202 when Lambda queued the event) and request id.
 *
 * @throws AwsRequestError for a non-2xx response, after the retries of `sendAwsRequest`.
 */
export async function invokeLambdaEvent(
  target: AwsTarget,
  functionName: string,
  payload: Buffer,
  options: RequestOptions = {},
): Promise<{ status: number; requestId: string | undefined }> {
  const { status, requestId } = await sendAwsRequest(
    target,
    {
      api: 'Lambda Invoke',
      service: SERVICES.lambda.service,
      method: 'POST',
      path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
      headers: { 'Content-Type': 'application/json', 'X-Amz-Invocation-Type': 'Event' },
      body: payload,
    },
    options,
  );

  return { status, requestId };
}
