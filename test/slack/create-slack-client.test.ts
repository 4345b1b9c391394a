/**
 * The Web API client against the loopback Slack fake behind a fault proxy, so a call can time out
 * or lose its connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackClient } from '../../src/slack/create-slack-client.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { FaultProxy } from '../reliability/fault-proxy.ts';
import { slackPost } from '../reliability/matchers.ts';

const TOKEN = 'xoxb-client-test-token';
const QUICK_RETRY = { retries: 3, minTimeout: 1, maxTimeout: 1 };

let slack: SlackFake;
let proxy: FaultProxy;
let apiUrl: string;

beforeAll(async () => {
  slack = await startSlackFake({ token: TOKEN });
  proxy = new FaultProxy(slack.origin);
  apiUrl = `${await proxy.start()}/api/`;
});

afterAll(async () => {
  await proxy.stop();
  await slack.close();
});

const postsTo = (channel: string) => proxy.log.filter((entry) => slackPost(channel)(entry)).length;

describe('createSlackClient', () => {
  it('posts once after a timeout', async () => {
    proxy.inject(slackPost('C0TIMEOUT1'), { kind: 'hang' });
    const client = createSlackClient(TOKEN, { apiUrl, retryConfig: QUICK_RETRY, timeoutMs: 200 });

    const posting = client.chat.postMessage({ channel: 'C0TIMEOUT1', text: 'Weekly summary' });

    await expect(posting).rejects.toThrow();
    expect(postsTo('C0TIMEOUT1')).toBe(1);
  });

  it('retries a reset connection', async () => {
    proxy.inject(slackPost('C0RESET001'), { kind: 'reset' }, 1);
    const client = createSlackClient(TOKEN, { apiUrl, retryConfig: QUICK_RETRY, timeoutMs: 2000 });

    const posted = await client.chat.postMessage({ channel: 'C0RESET001', text: 'Weekly summary' });

    expect(posted.ok).toBe(true);
    expect(postsTo('C0RESET001')).toBe(2);
  });
});
