import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotJob } from '../../src/bot/job-types.ts';
import { lambdaDispatch } from '../../src/bot/lambda-sdk-dispatch.ts';
import { DeliveryError } from '../../src/shared/errors.ts';
import { type AwsFakes, startAwsFakes } from './aws-fakes.ts';

const JOB: BotJob = {
  kind: 'trend',
  query: 'Spring',
  weeks: 8,
  responseUrl: 'https://hooks.slack.com/x',
  channelId: 'C0REPORTS1',
  userId: 'U0USER0001',
};
let aws: AwsFakes;

beforeAll(async () => {
  aws = await startAwsFakes();
});

afterAll(async () => {
  await aws.close();
});

function client(): LambdaClient {
  return new LambdaClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

describe('lambdaDispatch', () => {
  it('invokes the worker with an Event invocation', async () => {
    aws.invokeStatus = 202;

    await lambdaDispatch(client(), 'adreport-worker')(JOB);

    expect(aws.invocations.at(-1)).toEqual({
      functionName: 'adreport-worker',
      invocationType: 'Event',
      payload: { kind: 'bot-job', job: JOB },
    });
  });

  it('throws dispatch_failed when Lambda rejects', async () => {
    aws.invokeStatus = 429;

    const dispatch = lambdaDispatch(client(), 'adreport-worker')(JOB);

    await expect(dispatch).rejects.toBeInstanceOf(DeliveryError);
    await expect(dispatch).rejects.toMatchObject({ code: 'dispatch_failed' });
  });

  it('passes the signature check of the fake', async () => {
    aws.invokeStatus = 202;
    const before = aws.badSignatures;

    await lambdaDispatch(client(), 'adreport-worker')(JOB);

    expect(aws.badSignatures).toBe(before);
  });
});
