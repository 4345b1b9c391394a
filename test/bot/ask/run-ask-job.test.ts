import Anthropic from '@anthropic-ai/sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConversation, threadKey } from '../../../src/bot/ask/conversation.ts';
import { runAskJob } from '../../../src/bot/ask/run-ask-job.ts';
import { StateStore } from '../../../src/storage/state-store.ts';
import { startAnthropicFake } from '../../fakes/anthropic-api.ts';
import { useLocalBackend } from '../../helpers/local-backend.ts';
import { useFake } from '../../helpers/use-fake.ts';
import { CHANNEL, USER, uniqueNumericId } from '../bot-fixtures.ts';
import {
  makeJobDeps,
  makeJobReport,
  makeResponseUrl,
  makeThreadReplyJob,
  NOT_JOINED_CHANNEL,
  seedJobMetrics,
  useJobSlackFake,
} from '../job-fixtures.ts';

const backend = useLocalBackend();
const slack = useJobSlackFake();
const claude = useFake(startAnthropicFake);

beforeEach(() => {
  claude().reset();
});

async function setup(options: { anthropic?: boolean } = {}) {
  const { reportId, propertyId, pipeline } = makeJobReport(backend());
  const campaignId = uniqueNumericId();
  await seedJobMetrics(pipeline, reportId, [
    { id: campaignId, name: 'Spring Sale', propertyId, spend: [100_000, 90_000], leads: [20, 30] },
  ]);
  const deps = makeJobDeps(slack(), pipeline, {
    anthropic:
      options.anthropic === false
        ? null
        : new Anthropic({ apiKey: claude().apiKey, baseURL: claude().baseURL, maxRetries: 1 }),
  });
  const { responseUrl, responses } = makeResponseUrl(slack());
  const ask = (question: string, channelId = CHANNEL) => ({
    kind: 'ask' as const,
    question,
    channelId,
    userId: USER,
    responseUrl,
    reportId,
  });
  const state = new StateStore(pipeline.dynamo, pipeline.stateTable);

  return { deps, ask, campaignId, state, responses };
}

function newPosts(before: number) {
  return slack().callsOf('chat.postMessage').slice(before);
}

describe('runAskJob', () => {
  it('posts the answer to start a thread', async () => {
    const { deps, ask, campaignId } = await setup();
    claude().reply(
      {
        kind: 'tool_use',
        thinking: ['read weeks'],
        calls: [{ name: 'get_campaign_weeks', input: { campaign_id: campaignId, weeks: 2 } }],
      },
      { kind: 'message', text: 'Spring Sale, week of 2026-11-23: CPL $30.00.' },
    );
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(ask('What was the CPL of Spring Sale?'), deps);
    const [post] = newPosts(before);
    const text = JSON.stringify(post?.body.blocks);

    expect(post?.body.channel).toBe(CHANNEL);
    expect(post?.body.thread_ts).toBeUndefined();
    expect(text).toContain(`<@${USER}> asked:* What was the CPL of Spring Sale?`);
    expect(text).toContain('Spring Sale, week of 2026-11-23: CPL $30.00.');
    expect(text).toContain('Figures read with get_campaign_weeks');
  });

  it('gives the tools real stored figures', async () => {
    const { deps, ask, campaignId } = await setup();
    claude().reply(
      {
        kind: 'tool_use',
        calls: [
          {
            id: 'toolu_w',
            name: 'get_campaign_weeks',
            input: { campaign_id: campaignId, weeks: 2 },
          },
        ],
      },
      { kind: 'message', text: 'ok' },
    );

    await runAskJob(ask('CPL?'), deps);
    const messages = claude().requests[1]?.body.messages as Array<{
      content: Array<{ content?: string }>;
    }>;
    const result = JSON.parse(messages[2]?.content[0]?.content as string);

    expect(result.weeks.map((week: { cpl: number }) => week.cpl)).toEqual([50, 30]);
  });

  it('continues the conversation in the thread', async () => {
    const { deps, ask, state } = await setup();
    claude().reply(
      { kind: 'tool_use', thinking: ['list'], calls: [{ name: 'list_campaigns', input: {} }] },
      { kind: 'message', text: 'There is one campaign.', thinking: ['done'] },
      { kind: 'message', text: 'It spent $900.00 last week.' },
    );
    const before = slack().callsOf('chat.postMessage').length;
    await runAskJob(ask('How many campaigns?'), deps);
    const threadTs = newPosts(before)[0]?.response?.ts as string;

    await runAskJob(makeThreadReplyJob('And its spend?', threadTs), deps);
    const reply = newPosts(before)[1];
    const thirdRequest = claude().requests[2]?.body.messages as unknown[];

    expect(reply?.body.thread_ts).toBe(threadTs);
    expect(JSON.stringify(reply?.body.blocks)).toContain('It spent $900.00 last week.');
    expect(thirdRequest).toHaveLength(5);
    expect((await loadConversation(state, threadKey(CHANNEL, threadTs))).messages).toHaveLength(6);
  });

  it('escapes mentions in the model answer', async () => {
    const { deps, ask } = await setup();
    claude().reply({
      kind: 'message',
      text: 'Alert <!channel> and <@U0BOSS01>: see <https://evil.example|this>.',
    });
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(ask('hi'), deps);
    const [post] = newPosts(before);

    expect(JSON.stringify(post?.body)).not.toMatch(/<!channel>|<@U0BOSS01>|<https:/);
    expect(JSON.stringify(post?.body.blocks)).toContain('&lt;!channel&gt;');
  });

  it('escapes the question it repeats', async () => {
    const { deps, ask } = await setup();
    claude().reply({ kind: 'message', text: 'ok' });
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(ask('<!here> why?'), deps);

    expect(JSON.stringify(newPosts(before)[0]?.body.blocks)).toContain('&lt;!here&gt; why?');
  });

  it('answers after a tool error', async () => {
    const { deps, ask } = await setup();
    claude().reply(
      {
        kind: 'tool_use',
        thinking: ['try'],
        calls: [{ id: 'toolu_bad', name: 'get_campaign_weeks', input: { campaign_id: 'abc' } }],
      },
      { kind: 'message', text: 'I could not read that campaign.' },
    );
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(ask('CPL of abc?'), deps);
    const messages = (claude().requests[1]?.body.messages ?? []) as Array<{ content: unknown }>;
    const results = messages[2]?.content;

    expect(results).toEqual([
      expect.objectContaining({ tool_use_id: 'toolu_bad', is_error: true }),
    ]);
    expect(JSON.stringify(newPosts(before)[0]?.body.blocks)).toContain(
      'No stored figures were read',
    );
  });

  it('tells the caller when Claude is down', async () => {
    const { deps, ask, responses } = await setup();
    const down = { kind: 'error' as const, status: 529, type: 'overloaded_error', retryAfterMs: 0 };
    claude().reply(down, down, down);

    await runAskJob(ask('CPL?'), deps);

    expect(responses()[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Claude could not answer right now (529)'),
    });
  });

  it('explains a missing Anthropic key', async () => {
    const { deps, ask, responses } = await setup({ anthropic: false });

    await runAskJob(ask('CPL?'), deps);

    expect(responses()[0]?.body.text).toContain('ANTHROPIC_API_KEY');
  });

  it('answers through the response URL outside the channel', async () => {
    const { deps, ask, responses } = await setup();
    claude().reply({ kind: 'message', text: 'An answer.' });

    await runAskJob(ask('CPL?', NOT_JOINED_CHANNEL), deps);

    expect(responses()[0]?.body.response_type).toBe('in_channel');
    expect(JSON.stringify(responses()[0]?.body.blocks)).toContain('/invite @adreport');
  });

  it('answers a mention on a thread without history', async () => {
    const { deps } = await setup();
    claude().reply({ kind: 'message', text: 'Fresh answer.' });
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(makeThreadReplyJob('why?', '1796000000.000100'), deps);

    expect(newPosts(before)[0]?.body.thread_ts).toBe('1796000000.000100');
    expect(claude().requests[0]?.body.messages).toHaveLength(1);
  });

  it('asks for a question after an empty mention', async () => {
    const { deps } = await setup();
    const before = slack().callsOf('chat.postMessage').length;

    await runAskJob(makeThreadReplyJob('', '1796000000.000200'), deps);

    expect(newPosts(before)[0]?.body.text).toContain('Ask a question after the mention');
    expect(claude().requests).toHaveLength(0);
  });
});
