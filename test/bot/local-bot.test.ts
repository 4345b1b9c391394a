import { describe, expect, it, onTestFinished } from 'vitest';
import { signSlackBody } from '../../src/bot/function-url-event.ts';
import { createLocalBot, serveBot } from '../../src/bot/local-bot.ts';
import { startLocalSlack } from '../../src/bot/local-slack.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { useFake } from '../helpers/use-fake.ts';
import { CHANNEL, makeBotConfig, SECRET, TEAM, USER } from './bot-fixtures.ts';
import { pipelineDeps } from './seed-metrics.ts';

const backend = useLocalBackend();
const slack = useFake(() => startLocalSlack({}));

function formBody(text: string): string {
  return new URLSearchParams({
    team_id: TEAM,
    channel_id: CHANNEL,
    user_id: USER,
    command: '/adreport',
    text,
    response_url: slack().responseUrl(),
  }).toString();
}

/** Serves a local bot on a random loopback port and closes the server when the test ends. */
async function serveLocalBot() {
  const bot = createLocalBot({
    pipeline: pipelineDeps(backend(), makeBotConfig(), new Date()),
    signingSecret: SECRET,
    botToken: 'xoxb-local',
    slackApiUrl: slack().apiUrl,
    anthropic: null,
  });
  const { url, server } = await serveBot(bot, 0);
  onTestFinished(() => {
    server.close();
  });

  return { bot, url };
}

describe('serveBot', () => {
  async function post(
    url: string,
    body: string,
    secret = SECRET,
    contentType = 'application/x-www-form-urlencoded',
  ) {
    const ts = Math.floor(Date.now() / 1000);

    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signSlackBody(secret, ts, body),
      },
      body,
    });
  }

  it('answers a signed command over HTTP', async () => {
    const { url } = await serveLocalBot();

    const response = await post(url, formBody('help'));
    const body = (await response.json()) as { text: string };

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    expect(response.status).toBe(200);
    expect(body.text).toContain('/adreport trend');
  });

  it('rejects an unsigned request with 401', async () => {
    const { url } = await serveLocalBot();

    const response = await post(url, formBody('help'), 'not-the-secret');

    expect(response.status).toBe(401);
  });

  it('runs the job in process after the ack', async () => {
    const { bot, url } = await serveLocalBot();
    const before = slack().messages.length;

    await post(url, formBody('trend Spring'));
    await bot.drain();

    expect(
      slack()
        .messages.slice(before)
        .map((message) => message.via),
    ).toEqual(['response_url']);
  });

  it.each([
    ['application/json', '{not json'],
    ['application/json', 'null'],
    ['application/x-www-form-urlencoded', 'payload=%7Bnot'],
  ])('rejects a signed %s body %j with 400', async (contentType, body) => {
    const { url } = await serveLocalBot();

    const response = await post(url, body, SECRET, contentType);
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(text).toMatch(/^Bad request: the .+\.$/);
  });
});
