import { describe, expect, it } from 'vitest';
import { type BotDeps, jobKey, runBotJob } from '../../src/bot/jobs.ts';
import { SourceError } from '../../src/shared/errors.ts';
import { startSlackFake } from '../fakes/slack-api.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { useFake } from '../helpers/use-fake.ts';
import { CHANNEL, makeBotConfig } from './bot-fixtures.ts';
import {
  makeJobDeps,
  makeJobReport,
  makeResponseUrl,
  makeThreadReplyJob,
  makeWeekJob,
} from './job-fixtures.ts';

const backend = useLocalBackend();
const slack = useFake(() => startSlackFake({ channels: [CHANNEL] }));

function setup(runReport: BotDeps['runReport']) {
  const { reportId, pipeline } = makeJobReport(backend());
  const { responseUrl, responses } = makeResponseUrl(slack());
  const deps = makeJobDeps(slack(), pipeline, { runReport });

  return { deps, job: makeWeekJob(reportId, responseUrl), responses };
}

describe('runBotJob', () => {
  it('runs a job delivered twice once', async () => {
    let runs = 0;
    const { deps, job } = setup(async () => {
      runs += 1;
      throw new Error('stop here');
    });

    await runBotJob(job, deps);
    await runBotJob(job, deps);

    expect(runs).toBe(1);
  });

  it('reports an actionable error with its fix', async () => {
    const { deps, job, responses } = setup(async () => {
      throw new SourceError('meta_permission', 'Meta refused access to act_1', {
        fix: 'grant ads_read',
      });
    });

    await runBotJob(job, deps);

    expect(responses()[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Sorry, that did not work: Meta refused access to act_1. Fix: grant ads_read',
    });
  });

  it('hides the details of an unexpected error', async () => {
    const { deps, job, responses } = setup(async () => {
      throw new Error('socket hang up at 10.0.0.1');
    });

    await expect(runBotJob(job, deps)).resolves.toBeUndefined();

    expect(responses()[0]?.body.text).toBe(
      'Sorry, that did not work: an unexpected error occurred (see the worker log)',
    );
  });

  it('answers a failed thread reply in the thread', async () => {
    const { deps } = setup(async () => {
      throw new Error('unused');
    });
    const before = slack().callsOf('chat.postMessage').length;
    const job = makeThreadReplyJob('why?', '1796379000.000200');

    await runBotJob(job, {
      ...deps,
      pipeline: {
        ...deps.pipeline,
        config: makeBotConfig({}, [{ ...deps.pipeline.config.reports[0], id: 'other' }]),
      },
    });
    const [call] = slack().callsOf('chat.postMessage').slice(before);

    expect(call?.body.thread_ts).toBe('1796379000.000200');
    expect(call?.body.text).toContain('--report');
  });
});

describe('jobKey', () => {
  it('keys a mention by its event id', () => {
    const key = jobKey({
      kind: 'thread-reply',
      eventKey: 'Ev1',
      text: '',
      channelId: 'C',
      threadTs: '1',
      userId: 'U',
    });

    expect(key).toBe('bot-job#event#Ev1');
  });

  it('keys commands by their response URL', () => {
    const base = { kind: 'trend' as const, query: 'x', weeks: 8, channelId: 'C', userId: 'U' };

    const first = jobKey({ ...base, responseUrl: 'https://hooks.slack.com/commands/T/1/a' });
    const second = jobKey({ ...base, responseUrl: 'https://hooks.slack.com/commands/T/2/b' });

    expect(first).not.toBe(second);
  });
});
