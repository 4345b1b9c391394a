import { DeliveryError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { invokeLambdaEvent } from './invoke-lambda-event.ts';
import type { BotJob } from './job-types.ts';
import type { AwsTarget, RequestOptions } from './send-aws-request.ts';

/** Hands a job to the worker. It must return quickly: the Slack ack waits for it. */
export type Dispatch = (job: BotJob) => Promise<void>;

/** Sends one asynchronous invoke and returns the HTTP status of Lambda's response. */
export type SendEvent = (payload: Buffer) => Promise<number | undefined>;

/**
 * Dispatches jobs with an asynchronous Lambda invoke (`X-Amz-Invocation-Type: Event`) of the
 * worker, which receives `{ kind: 'bot-job', job }`. The request is signed here instead of by the
 * AWS SDK, which keeps the SDK's module load off the cold start before the Slack ack.
 */
export function signedLambdaDispatch(
  target: AwsTarget,
  functionName: string,
  options: RequestOptions = {},
): Dispatch {
  return eventDispatch(functionName, async (payload) => {
    const { status } = await invokeLambdaEvent(target, functionName, payload, options);

    return status;
  });
}

/**
 * Wraps `send` into a dispatcher: serialises the job, and turns a failed send or any status other
 * than 202 (Lambda queued the event) into a `dispatch_failed` error.
 */
export function eventDispatch(functionName: string, send: SendEvent): Dispatch {
  return async (job) => {
    const payload = Buffer.from(JSON.stringify({ kind: 'bot-job', job }));
    let status: number | undefined;
    try {
      status = await send(payload);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new DeliveryError(
        'dispatch_failed',
        `Invoking worker ${functionName} failed: ${reason}`,
        {
          fix: 'check that the bot function may call lambda:InvokeFunction on the worker',
          cause,
        },
      );
    }
    if (status !== 202) {
      throw new DeliveryError(
        'dispatch_failed',
        `Invoking worker ${functionName} returned status ${status}`,
        {
          fix: 'an asynchronous invoke returns 202; check the worker function name',
        },
      );
    }
    logger.info('Dispatched bot job', { kind: job.kind, functionName, bytes: payload.length });
  };
}

/**
 * Dispatches jobs to `run` in this process without waiting for them, for local use. `drain()`
 * resolves when every job started so far has finished. A failed job is logged, not thrown.
 */
export function inProcessDispatch(
  run: (job: BotJob) => Promise<void>,
): Dispatch & { drain(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const dispatch = async (job: BotJob) => {
    const task = Promise.resolve()
      .then(() => run(job))
      .catch((error: unknown) => logger.error('Bot job failed', { kind: job.kind, error }))
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  const drain = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  return Object.assign(dispatch, { drain });
}
