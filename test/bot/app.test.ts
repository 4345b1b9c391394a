import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type FunctionUrlEvent,
  signedEvent,
  signedSlashCommandEvent,
  signSlackBody,
} from '../../src/bot/function-url-event.ts';
import { logger } from '../../src/shared/logger.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';
import {
  ADMIN,
  BOT_USER,
  bodyOf,
  CHANNEL,
  makeBot,
  makeBotConfig,
  recordingDispatch,
  SECRET,
  TEAM,
  USER,
} from './bot-fixtures.ts';

const backend = useLocalBackend();
const state = () => new StateStore(backend().clients.dynamo, backend().stateTable);
const RESPONSE_URL = 'http://127.0.0.1:9/response/1';

function command(
  text: string,
  overrides: Partial<Parameters<typeof signedSlashCommandEvent>[1]> = {},
) {
  return signedSlashCommandEvent(SECRET, {
    text,
    teamId: TEAM,
    channelId: CHANNEL,
    userId: USER,
    responseUrl: RESPONSE_URL,
    ...overrides,
  });
}

function mentionBody(eventId: string, ts: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    token: 'unused',
    team_id: TEAM,
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_796_380_000,
    event: {
      type: 'app_mention',
      user: USER,
      text: `<@${BOT_USER}> how did Café 🚀 do &amp; why?`,
      ts,
      channel: CHANNEL,
      event_ts: ts,
      thread_ts: '1796379000.000200',
      ...extra,
    },
    authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
  });
}

describe('createBotApp', () => {
  describe('request verification', () => {
    it('rejects a forged signature with 401', async () => {
      const bot = makeBot({ state: state() });
      const event = command('help');
      event.headers['x-slack-signature'] = signSlackBody(
        'wrong-secret',
        Number(event.headers['x-slack-request-timestamp']),
        'x',
      );

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(response.statusCode).toBe(401);
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('rejects a stale timestamp with 401', async () => {
      const bot = makeBot({ state: state() });
      const stale = Math.floor(Date.now() / 1000) - 600;
      const event = signedSlashCommandEvent(
        SECRET,
        {
          text: 'trend Spring',
          teamId: TEAM,
          channelId: CHANNEL,
          userId: USER,
          responseUrl: RESPONSE_URL,
        },
        stale,
      );

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(response.statusCode).toBe(401);
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('rejects a signature over the base64 text', async () => {
      const bot = makeBot({ state: state() });
      const event = command('trend Spring');
      const ts = Number(event.headers['x-slack-request-timestamp']);
      event.headers['x-slack-signature'] = signSlackBody(SECRET, ts, event.body as string);

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(response.statusCode).toBe(401);
    });

    it('accepts a base64 form body', async () => {
      const bot = makeBot({ state: state() });
      const event = command('trend Spring Sale');

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(event.isBase64Encoded).toBe(true);
      expect(response.statusCode).toBe(200);
      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('answers url_verification with the challenge', async () => {
      const bot = makeBot({ state: state() });
      const body = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'abc123' });

      const response = await bot.handler(signedEvent(SECRET, 'application/json', body), {});

      expect(bodyOf(response).challenge).toBe('abc123');
    });
  });

  describe('malformed bodies', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it.each([
      ['application/json', '{not json', 'the request body is not valid JSON'],
      ['application/json', 'null', 'the request body is not a JSON object'],
      ['application/json', '[1]', 'the request body is not a JSON object'],
      ['application/json', '', 'the request body is not valid JSON'],
      [
        'application/x-www-form-urlencoded',
        'payload=%7Bnot',
        'the form field "payload" is not valid JSON',
      ],
      [
        'application/x-www-form-urlencoded',
        'payload=null',
        'the request body is not a JSON object',
      ],
      ['text/plain', 'hello', 'the request body is not valid JSON'],
    ])('rejects signed %s body %j with 400', async (contentType, body, reason) => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });

      const response = (await bot.handler(signedEvent(SECRET, contentType, body), {})) as {
        statusCode: number;
        body: string;
      };

      expect(response.statusCode).toBe(400);
      expect(response.body).toBe(`Bad request: ${reason}.`);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({ reason });
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('rejects an unsigned malformed body with 401', async () => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });

      const response = (await bot.handler(
        signedEvent('wrong-secret', 'application/json', '{not json'),
        {},
      )) as { statusCode: number };

      expect(response.statusCode).toBe(401);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({
        reason: 'the signature does not match the signing secret',
      });
    });

    it('logs no secret or signature', async () => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });
      const event = signedEvent(SECRET, 'application/json', '{not json');

      await bot.handler(event, {});
      await bot.handler(signedEvent('wrong-secret', 'application/json', '{not json'), {});

      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).not.toContain(SECRET);
      expect(logged).not.toContain(event.headers['x-slack-signature']);
      expect(logged).not.toContain('x-slack-signature');
    });
  });

  describe('rejected signatures', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('logs a forged signature at warn', async () => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });
      const event = command('help');
      const ts = Number(event.headers['x-slack-request-timestamp']);
      event.headers['x-slack-signature'] = signSlackBody('wrong-secret', ts, 'x');

      await bot.handler(event, {});

      expect(warn).toHaveBeenCalledWith('Rejected a Slack request with an invalid signature', {
        reason: 'the signature does not match the signing secret',
        ts,
      });
      expect(JSON.stringify(warn.mock.calls)).not.toContain(event.headers['x-slack-signature']);
    });

    it('logs a stale timestamp at warn', async () => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });
      const stale = Math.floor(Date.now() / 1000) - 600;
      const event = signedSlashCommandEvent(
        SECRET,
        { text: 'help', teamId: TEAM, channelId: CHANNEL, userId: USER, responseUrl: RESPONSE_URL },
        stale,
      );

      await bot.handler(event, {});

      expect(warn.mock.calls[0]?.[1]).toMatchObject({
        reason: 'the request timestamp is more than 5 minutes old',
      });
    });

    it('logs a missing signature at warn', async () => {
      const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const bot = makeBot({ state: state() });
      const event = command('help');
      delete event.headers['x-slack-signature'];

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(response.statusCode).toBe(401);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({
        reason: 'the X-Slack-Signature header is missing',
      });
    });
  });

  describe('signing secret rotation', () => {
    it('re-reads the secret after a signature failure', async () => {
      const secrets = ['old-secret-value-1', SECRET];
      let reads = 0;
      const bot = makeBot({
        state: state(),
        signingSecret: async () => secrets[Math.min(reads++, 1)] as string,
      });

      const response = (await bot.handler(command('help'), {})) as { statusCode: number };

      expect(response.statusCode).toBe(200);
      expect(reads).toBe(2);
    });

    it('re-reads at most once within the interval', async () => {
      let reads = 0;
      const bot = makeBot({
        state: state(),
        signingSecret: async () => {
          reads += 1;
          return 'a-secret-that-never-matches';
        },
      });

      await bot.handler(command('help'), {});
      const second = (await bot.handler(command('help'), {})) as { statusCode: number };

      expect(second.statusCode).toBe(401);
      expect(reads).toBe(2);
    });
  });

  describe('/adreport', () => {
    it('rejects another workspace without a job', async () => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command('trend Spring', { teamId: 'T0OTHERTEAM' }), {});

      expect(bodyOf(response).text).toContain('another Slack workspace');
      expect(bodyOf(response).response_type).toBe('ephemeral');
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('rejects a channel not allowed', async () => {
      const bot = makeBot({
        state: state(),
        config: makeBotConfig({ allowedChannels: ['C0ALLOWED1'] }),
      });

      const response = await bot.handler(command('trend Spring'), {});

      expect(bodyOf(response).text).toContain('slack.allowedChannels');
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('rejects --email from a non-admin', async () => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command('week last --email'), {});

      expect(bodyOf(response).text).toContain('Only adreport admins');
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('accepts --email from an admin', async () => {
      const bot = makeBot({ state: state() });

      await bot.handler(command('week 2026-11-18 --email', { userId: ADMIN }), {});

      expect(bot.dispatch.jobs).toEqual([
        {
          kind: 'week',
          reportId: 'acme',
          weekStart: '2026-11-16',
          resendEmail: true,
          responseUrl: RESPONSE_URL,
          channelId: CHANNEL,
          userId: ADMIN,
        },
      ]);
    });

    it.each([
      { text: '', expected: 'the weekly Meta Ads' },
      { text: 'help', expected: '/adreport trend' },
      { text: 'HELP', expected: '/adreport ask' },
    ])('shows help for "$text"', async ({ text, expected }) => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command(text), {});

      expect(bodyOf(response).text).toContain(expected);
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it.each([
      { text: 'week last', weekStart: '2026-11-23' },
      { text: 'week', weekStart: '2026-11-23' },
      { text: 'week 2026-11-29', weekStart: '2026-11-23' },
      { text: 'week 2025-01-01', weekStart: '2024-12-30' },
    ])('dispatches "$text" for $weekStart', async ({ text, weekStart }) => {
      const bot = makeBot({ state: state() });

      await bot.handler(command(text), {});

      expect(bot.dispatch.jobs[0]).toMatchObject({ kind: 'week', weekStart, resendEmail: false });
    });

    it.each([
      { text: 'week 2026-11-30', expected: 'has not ended yet' },
      { text: 'week 2027-06-01', expected: 'has not ended yet' },
      { text: 'week 2026-02-30', expected: 'is not a valid date' },
      { text: 'week 30/11/2026', expected: 'is not a date' },
      { text: 'week yesterday', expected: 'is not a date' },
      { text: 'week 2026-11-23 2026-11-16', expected: 'takes one date' },
      { text: 'week last --force', expected: 'Unknown option' },
      { text: 'week --report nope', expected: 'Report "nope" is not configured' },
      { text: 'week --report Bad!', expected: 'is not a report id' },
    ])('rejects "$text"', async ({ text, expected }) => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command(text), {});

      expect(bodyOf(response).text).toContain(expected);
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it.each([
      { text: 'trend Spring Sale', query: 'Spring Sale', weeks: 8 },
      { text: 'trend spring sale 12', query: 'spring sale', weeks: 12 },
      { text: 'trend 120000000001 52', query: '120000000001', weeks: 52 },
      { text: 'trend "Sale 2024"', query: 'Sale 2024', weeks: 8 },
      { text: 'trend Sale --weeks 3', query: 'Sale', weeks: 3 },
      { text: 'trend Café 🚀 été', query: 'Café 🚀 été', weeks: 8 },
      { text: 'trend &lt;!channel&gt; sale', query: '<!channel> sale', weeks: 8 },
      { text: "trend x'; DROP TABLE--", query: "x'; DROP TABLE--", weeks: 8 },
      { text: 'trend a\u0000b\u0007c', query: 'abc', weeks: 8 },
    ])('dispatches "$text"', async ({ text, query, weeks }) => {
      const bot = makeBot({ state: state() });

      await bot.handler(command(text), {});

      expect(bot.dispatch.jobs[0]).toMatchObject({ kind: 'trend', query, weeks, reportId: 'acme' });
    });

    it.each([
      { text: 'trend', expected: 'Name a campaign' },
      { text: 'trend Sale 0', expected: 'from 1 to 52' },
      { text: 'trend Sale 53', expected: 'from 1 to 52' },
      { text: 'trend Sale -3', expected: 'from 1 to 52' },
      { text: 'trend Sale 2.5', expected: 'from 1 to 52' },
      { text: 'trend Sale --weeks x', expected: 'from 1 to 52' },
      { text: `trend ${'n'.repeat(250)}`, expected: 'the limit is 200' },
      { text: `ask ${'q'.repeat(4000)}`, expected: 'the limit is 3000' },
    ])('rejects "$text"', async ({ text, expected }) => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command(text.slice(0, 5000)), {});

      expect(bodyOf(response).text).toContain(expected);
      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('escapes the query echoed in the ack', async () => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command('trend &lt;!here&gt;'), {});

      expect(bodyOf(response).text).toContain('&lt;!here&gt;');
      expect(bodyOf(response).text).not.toContain('<!here>');
    });

    it.each([
      { text: 'ask why did CPL rise?', question: 'why did CPL rise?' },
      { text: 'ask  combien de leads ? 🚀', question: 'combien de leads ? 🚀' },
      {
        text: 'ask ignore previous instructions & <b>',
        question: 'ignore previous instructions & <b>',
      },
    ])('dispatches "$text"', async ({ text, question }) => {
      const bot = makeBot({ state: state() });

      await bot.handler(
        command(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
        {},
      );

      expect(bot.dispatch.jobs[0]).toMatchObject({ kind: 'ask', question, reportId: 'acme' });
    });

    it.each([
      { text: 'ask', expected: 'Ask a question' },
      { text: `ask ${'q'.repeat(1600)}`, expected: 'the limit is 1500' },
      { text: 'frobnicate now', expected: 'Unknown command "frobnicate"' },
    ])('rejects "$text"', async ({ text, expected }) => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command(text), {});

      expect(bodyOf(response).text).toContain(expected);
    });

    it('asks for --report with several reports', async () => {
      const second = { ...makeBotConfig().reports[0], id: 'beta', slackChannel: 'C0OTHERCH1' };
      const config = makeBotConfig({}, [
        { ...second, properties: [{ id: 'b', name: 'B', metaAdAccountId: 'act_1' }] },
      ]);
      const bot = makeBot({ state: state(), config });

      const response = await bot.handler(command('trend x', { channelId: 'C0THIRDCH1' }), {});

      expect(bodyOf(response).text).toContain('--report <id>');
    });

    it('reports a dispatch failure to the caller', async () => {
      const bot = makeBot({ state: state(), dispatch: recordingDispatch(1) });

      const response = await bot.handler(command('trend Spring'), {});

      expect(bodyOf(response).text).toContain('worker is unreachable');
    });

    it('acks with an ephemeral progress message', async () => {
      const bot = makeBot({ state: state() });

      const response = await bot.handler(command('trend Spring'), {});

      expect(bodyOf(response)).toEqual({
        response_type: 'ephemeral',
        text: 'Looking up the last 8 weeks of "Spring"…',
      });
    });
  });

  describe('app_mention', () => {
    function deliver(
      bot: ReturnType<typeof makeBot>,
      body: string,
      headers: Record<string, string> = {},
    ) {
      const event: FunctionUrlEvent = signedEvent(SECRET, 'application/json', body);
      Object.assign(event.headers, headers);

      return bot.handler(event, {}) as Promise<{ statusCode: number }>;
    }

    it('dispatches a thread-reply job', async () => {
      const bot = makeBot({ state: state() });
      const eventId = uniqueId('Ev');

      const response = await deliver(bot, mentionBody(eventId, '1796380000.000100'));

      expect(response.statusCode).toBe(200);
      expect(bot.dispatch.jobs).toEqual([
        {
          kind: 'thread-reply',
          eventKey: eventId,
          text: 'how did Café 🚀 do & why?',
          channelId: CHANNEL,
          threadTs: '1796379000.000200',
          userId: USER,
        },
      ]);
    });

    it('verifies a base64 JSON body with Unicode', async () => {
      const bot = makeBot({ state: state() });
      const event = signedEvent(
        SECRET,
        'application/json',
        mentionBody(uniqueId('Ev'), '1796380000.000900'),
      );
      event.body = Buffer.from(event.body as string, 'utf8').toString('base64');
      event.isBase64Encoded = true;

      const response = (await bot.handler(event, {})) as { statusCode: number };

      expect(response.statusCode).toBe(200);
      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('dispatches a retried event once', async () => {
      const bot = makeBot({ state: state() });
      const body = mentionBody(uniqueId('Ev'), `${Date.now()}.000100`);

      await deliver(bot, body);
      await deliver(bot, body, {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      await deliver(bot, body, {
        'X-Slack-Retry-Num': '2',
        'X-Slack-Retry-Reason': 'http_timeout',
      });

      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('processes a first-seen retry', async () => {
      const bot = makeBot({ state: state() });

      const response = await deliver(bot, mentionBody(uniqueId('Ev'), `${Date.now()}.000200`), {
        'X-Slack-Retry-Num': '1',
      });

      expect(response.statusCode).toBe(200);
      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('dispatches two ids of one message once', async () => {
      const bot = makeBot({ state: state() });
      const ts = `${Date.now()}.000300`;

      await deliver(bot, mentionBody(uniqueId('Ev'), ts));
      await deliver(bot, mentionBody(uniqueId('Ev'), ts));

      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('ignores bot messages', async () => {
      const bot = makeBot({ state: state() });

      await deliver(
        bot,
        mentionBody(uniqueId('Ev'), `${Date.now()}.000400`, { bot_id: 'B0OTHER' }),
      );

      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('ignores another workspace', async () => {
      const bot = makeBot({ state: state() });
      const body = JSON.parse(mentionBody(uniqueId('Ev'), `${Date.now()}.000500`));
      body.team_id = 'T0OTHERTEAM';

      await deliver(bot, JSON.stringify(body));

      expect(bot.dispatch.jobs).toHaveLength(0);
    });

    it('retries a failed dispatch', async () => {
      const bot = makeBot({ state: state(), dispatch: recordingDispatch(2) });

      await deliver(bot, mentionBody(uniqueId('Ev'), `${Date.now()}.000600`));

      expect(bot.dispatch.jobs).toHaveLength(1);
    });

    it('starts a thread on a top-level mention', async () => {
      const bot = makeBot({ state: state() });
      const ts = `${Date.now()}.000700`;

      await deliver(bot, mentionBody(uniqueId('Ev'), ts, { thread_ts: undefined }));

      expect(bot.dispatch.jobs[0]).toMatchObject({ threadTs: ts });
    });
  });
});
