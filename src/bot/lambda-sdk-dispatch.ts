import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type Dispatch, eventDispatch } from './dispatch.ts';

/**
 * Dispatches jobs like `signedLambdaDispatch`, through the AWS SDK's Lambda client and so with
 * its whole credential chain. The bot loads this module only when the environment has no static
 * credentials; the named imports let the bundler leave the client's other commands out.
 */
export function lambdaDispatch(client: LambdaClient, functionName: string): Dispatch {
  return eventDispatch(functionName, async (payload) => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: payload }),
    );

    return output.StatusCode;
  });
}

/** `lambdaDispatch` with a Lambda client configured from the environment. */
export function defaultLambdaDispatch(functionName: string): Dispatch {
  return lambdaDispatch(new LambdaClient({}), functionName);
}
