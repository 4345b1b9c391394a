import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeliveryError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { BotJob } from './job-types.ts';

/** Hands a job to the worker. It must return quickly: the Slack ack waits for it. */
export type Dispatch = (job: BotJob) => Promise<void>;

/**
 * Dispatches jobs with an asynchronous Lambda invoke (`InvocationType: 'Event'`) of the worker,
 * which receives `{ kind: 'bot-job', job }`. Lambda queues the event and returns 202 at once.
 */
export function lambdaDispatch(client: LambdaClient, functionName: string): Dispatch {
  return async (job) => {
    const payload = Buffer.from(JSON.stringify({ kind: 'bot-job', job }));
    let status: number | undefined;
    try {
      const output = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: payload,
        }),
      );
      status = output.StatusCode;
    } catch (cause) {
      throw new DeliveryError('dispatch_failed', `Invoking worker ${functionName} failed`, {
        fix: 'check that the bot function may call lambda:InvokeFunction on the worker',
        cause,
      });
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
