import { beforeEach, describe, expect, it } from 'vitest';
import { inProcessDispatch, signedLambdaDispatch } from '../../src/bot/dispatch.ts';
import type { BotJob } from '../../src/bot/job-types.ts';
import type { AwsTarget } from '../../src/bot/send-aws-request.ts';
import { DeliveryError } from '../../src/shared/errors.ts';
import { useFake } from '../helpers/use-fake.ts';
import { startAwsFakes } from './aws-fakes.ts';

const JOB: BotJob = {
  kind: 'trend',
  query: 'Spring',
  weeks: 8,
  responseUrl: 'https://hooks.slack.com/x',
  channelId: 'C0REPORTS1',
  userId: 'U0USER0001',
};
const aws = useFake(startAwsFakes);

beforeEach(() => {
  aws().invokeStatus = 202;
  aws().invokeFailures = [];
});

function target(): AwsTarget {
  return {
    endpoint: new URL(aws().endpoint),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'session' },
  };
}

const noWait = async () => {};

describe('signedLambdaDispatch', () => {
  it('invokes the worker with an Event invocation', async () => {
    await signedLambdaDispatch(target(), 'adreport-worker')(JOB);

    expect(aws().invocations.at(-1)).toEqual({
      functionName: 'adreport-worker',
      invocationType: 'Event',
      payload: { kind: 'bot-job', job: JOB },
    });
  });

  it('throws dispatch_failed when Lambda rejects', async () => {
    aws().invokeStatus = 404;

    const dispatch = signedLambdaDispatch(target(), 'adreport-worker', { sleep: noWait })(JOB);

    await expect(dispatch).rejects.toBeInstanceOf(DeliveryError);
    await expect(dispatch).rejects.toMatchObject({ code: 'dispatch_failed' });
  });

  it('names the Lambda error in the message', async () => {
    aws().invokeStatus = 404;

    const dispatch = signedLambdaDispatch(target(), 'adreport-worker', { sleep: noWait })(JOB);

    await expect(dispatch).rejects.toThrow(
      'Invoking worker adreport-worker failed: Lambda Invoke returned 404 ResourceNotFoundException: Function not found: adreport-worker',
    );
  });

  it('throws dispatch_failed on a 2xx other than 202', async () => {
    aws().invokeStatus = 200;

    const dispatch = signedLambdaDispatch(target(), 'adreport-worker')(JOB);

    await expect(dispatch).rejects.toThrow('returned status 200');
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
