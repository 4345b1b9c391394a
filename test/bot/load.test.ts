import { describe, expect, it } from 'vitest';
import { createBotApp } from '../../src/bot/app.ts';
import { signSlackBody } from '../../src/bot/function-url-event.ts';
import type { BotJob } from '../../src/bot/job-types.ts';
import { serveBot } from '../../src/bot/local-bot.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import { BOT_USER, CHANNEL, makeBotConfig, SECRET, TEAM, USER } from './bot-fixtures.ts';

const backend = useLocalBackend();
const COMMANDS = [
  'trend Spring Sale',
  'ask which campaign had the lowest CPL?',
  'week last',
  'help',
];

/** One request of the load: a slash command, or a mention event (sent twice, as a retry). */
interface LoadRequest {
  key: string;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  dispatches: boolean;
}

function buildRequests(): LoadRequest[] {
  const requests: LoadRequest[] = [];
  for (let index = 0; index < 160; index += 1) {
    const responseUrl = `https://hooks.slack.com/commands/T/${index}/${uniqueId('x')}`;
    const text = COMMANDS[index % COMMANDS.length] as string;
    const body = new URLSearchParams({
      team_id: TEAM,
      channel_id: CHANNEL,
      user_id: USER,
      command: '/adreport',
      text,
      response_url: responseUrl,
    }).toString();
    requests.push({
      key: responseUrl,
      contentType: 'application/x-www-form-urlencoded',
      body,
      dispatches: text !== 'help',
    });
  }
  for (let index = 0; index < 20; index += 1) {
    const eventId = uniqueId('Ev');
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      event_id: eventId,
      event: {
        type: 'app_mention',
        user: USER,
        text: `<@${BOT_USER}> why?`,
        ts: `${Date.now()}.${index}`,
        channel: CHANNEL,
      },
    });
    requests.push({ key: eventId, contentType: 'application/json', body, dispatches: true });
    requests.push({
      key: eventId,
      contentType: 'application/json',
      body,
      headers: { 'X-Slack-Retry-Num': '1' },
      dispatches: false,
    });
  }

  return requests;
}

describe('bot under load', () => {
  it('acks 200 requests in 3 s each and dispatches once', async () => {
    const counts = new Map<string, number>();
    const dispatch = async (job: BotJob) => {
      const key = job.kind === 'thread-reply' ? job.eventKey : job.responseUrl;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    const { handler } = createBotApp({
      signingSecret: SECRET,
      botToken: 'xoxb-test-token',
      config: makeBotConfig(),
      dispatch,
      state: new StateStore(backend().clients.dynamo, backend().stateTable),
      botUserId: BOT_USER,
    });
    const { url, server } = await serveBot({ handler, drain: async () => {} }, 0);
    const requests = buildRequests();

    const started = performance.now();
    const results = await Promise.all(
      requests.map(async (request, index) => {
        // 200 requests spread over 5 seconds: 40 per second, each retry right after its original.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(index / 2) * 50));
        const ts = Math.floor(Date.now() / 1000);
        const sent = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': request.contentType,
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': signSlackBody(SECRET, ts, request.body),
            ...request.headers,
          },
          body: request.body,
        });
        await response.arrayBuffer();

        return { status: response.status, ms: performance.now() - sent };
      }),
    );
    const totalMs = performance.now() - started;
    server.close();
    const expected = requests.filter((request) => request.dispatches).map((request) => request.key);

    expect(requests).toHaveLength(200);
    expect(totalMs).toBeLessThan(10_000);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(Math.max(...results.map((result) => result.ms))).toBeLessThan(3000);
    expect([...counts.keys()].sort()).toEqual([...new Set(expected)].sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });
});
