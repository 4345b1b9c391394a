import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessDispatch, lambdaDispatch } from '../../src/bot/dispatch.ts';
import type { BotJob } from '../../src/bot/job-types.ts';
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

  it('throws dispatch_failed when Lambda refuses', async () => {
    aws.invokeStatus = 429;

    const dispatch = lambdaDispatch(client(), 'adreport-worker')(JOB);

    await expect(dispatch).rejects.toBeInstanceOf(DeliveryError);
    await expect(dispatch).rejects.toMatchObject({ code: 'dispatch_failed' });
  });
});

describe('inProcessDispatch', () => {
  it('returns before the job finishes', async () => {
    let finished = false;
    const dispatch = inProcessDispatch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
    });

    await dispatch(JOB);

    expect(finished).toBe(false);
    await dispatch.drain();
    expect(finished).toBe(true);
  });

  it('drains jobs started by other jobs', async () => {
    const ran: string[] = [];
    const dispatch = inProcessDispatch(async (job) => {
      ran.push(job.kind);
      if (job.kind === 'trend')
        await dispatch({ ...JOB, kind: 'ask', question: 'q', reportId: 'acme' } as BotJob);
    });

    await dispatch(JOB);
    await dispatch.drain();

    expect(ran).toEqual(['trend', 'ask']);
  });

  it('keeps going after a failed job', async () => {
    const dispatch = inProcessDispatch(async () => {
      throw new Error('boom');
    });

    await dispatch(JOB);

    await expect(dispatch.drain()).resolves.toBeUndefined();
  });
});
