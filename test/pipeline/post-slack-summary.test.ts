import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postSlackSummary } from '../../src/pipeline/post-slack-summary.ts';
import { DeliveryError } from '../../src/shared/errors.ts';
import { createSlackClient } from '../../src/slack/create-slack-client.ts';
import { FAST_RETRY, type SlackFake, startSlackFake } from '../fakes/slack-api.ts';
import { makeAlerts, makeProperty, makeReport } from '../slack/make-report.ts';

const CHANNEL = 'C0REPORTS1';

describe('postSlackSummary', () => {
  let slack: SlackFake;
  let outDir: string;

  beforeEach(async () => {
    slack = await startSlackFake({
      channels: [CHANNEL, 'C0NOTJOIN1'],
      notInChannel: ['C0NOTJOIN1'],
    });
    outDir = await mkdtemp(join(tmpdir(), 'adreport-slack-'));
  });

  afterEach(async () => {
    await slack.close();
    await rm(outDir, { recursive: true, force: true });
  });

  const client = () =>
    createSlackClient('xoxb-test-token', { apiUrl: slack.apiUrl, retryConfig: FAST_RETRY });

  it('posts the summary to the channel', async () => {
    const result = await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });

    expect(result.status).toBe('posted');
    expect(result.ts).toMatch(/^\d+\.\d+$/);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('sends blocks and a fallback text', async () => {
    await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });

    const [call] = slack.callsOf('chat.postMessage');

    expect(call?.body.channel).toBe(CHANNEL);
    expect(call?.body.text).toContain('Acme paid social');
    expect(Array.isArray(call?.body.blocks)).toBe(true);
  });

  it('threads the later parts under the first', async () => {
    const report = makeReport({ alerts: makeAlerts(300, 180) });

    const result = await postSlackSummary({
      report,
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });
    const calls = slack.callsOf('chat.postMessage');

    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]?.body.thread_ts).toBeUndefined();
    expect(calls.slice(1).every((call) => call.body.thread_ts === result.ts)).toBe(true);
  });

  it('posts 300 campaigns without invalid_blocks', async () => {
    const report = makeReport({ properties: [makeProperty('main', 300)] });

    const result = await postSlackSummary({
      report,
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });

    expect(result.status).toBe('posted');
  });

  it('writes the JSON locally without a client', async () => {
    const result = await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: null,
      outDir,
    });

    const written = JSON.parse(await readFile(result.files?.[0] as string, 'utf8'));

    expect(result.status).toBe('written');
    expect(written.channel).toBe(CHANNEL);
    expect(written.messages[0].blocks[0].type).toBe('header');
  });

  it('posts and writes when both are set', async () => {
    const result = await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: client(),
      outDir,
    });

    expect(result.status).toBe('posted');
    expect(result.files).toHaveLength(1);
  });

  it('skips without client or output folder', async () => {
    const result = await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: null,
      outDir: null,
    });

    expect(result).toEqual({ status: 'skipped' });
  });

  it('skips without a channel', async () => {
    const result = await postSlackSummary({
      report: makeReport(),
      channel: undefined,
      client: client(),
      outDir: null,
    });

    expect(result.status).toBe('skipped');
    expect(slack.calls).toHaveLength(0);
  });

  it.each([
    { channel: 'C0NOTJOIN1', code: 'slack_not_in_channel', fix: /invite the app/ },
    { channel: 'C0MISSING1', code: 'slack_channel_not_found', fix: /channel id/ },
  ])('throws $code with a fix', async ({ channel, code, fix }) => {
    const post = postSlackSummary({
      report: makeReport(),
      channel,
      client: client(),
      outDir: null,
    });

    await expect(post).rejects.toBeInstanceOf(DeliveryError);
    await expect(post).rejects.toMatchObject({ code, fix: expect.stringMatching(fix) });
  });

  it('throws slack_invalid_blocks with a fix', async () => {
    slack.failNext('chat.postMessage', { error: 'invalid_blocks' });

    const post = postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });

    await expect(post).rejects.toMatchObject({
      code: 'slack_invalid_blocks',
      fix: expect.stringContaining('bug'),
    });
  });

  it('throws slack_invalid_auth for a wrong token', async () => {
    const wrong = createSlackClient('xoxb-wrong', {
      apiUrl: slack.apiUrl,
      retryConfig: FAST_RETRY,
    });

    const post = postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: wrong,
      outDir: null,
    });

    await expect(post).rejects.toMatchObject({ code: 'slack_invalid_auth' });
  });

  it('retries after a 429 with Retry-After', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });

    const result = await postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: client(),
      outDir: null,
    });

    expect(result.status).toBe('posted');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('throws slack_ratelimited when 429 persists', async () => {
    const limited = createSlackClient('xoxb-test-token', {
      apiUrl: slack.apiUrl,
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 },
    });
    slack.failNext('chat.postMessage', ...Array(3).fill({ status: 429, retryAfter: 0 }));

    const post = postSlackSummary({
      report: makeReport(),
      channel: CHANNEL,
      client: limited,
      outDir: null,
    });

    await expect(post).rejects.toMatchObject({ code: 'slack_ratelimited' });
  });

  describe('after a partial post', () => {
    const threaded = () => makeReport({ alerts: makeAlerts(300, 180) });
    const post = (postedParts: string[], onPartPosted?: (parts: string[]) => Promise<void>) =>
      postSlackSummary({
        report: threaded(),
        channel: CHANNEL,
        client: client(),
        outDir: null,
        postedParts,
        ...(onPartPosted ? { onPartPosted } : {}),
      });

    it('posts only the missing parts', async () => {
      const first = await post([]);
      const parts = slack.callsOf('chat.postMessage').length;

      const retried = await post([first.ts as string]);
      const calls = slack.callsOf('chat.postMessage').slice(parts);

      expect(calls).toHaveLength(parts - 1);
      expect(calls.every((call) => call.body.thread_ts === first.ts)).toBe(true);
      expect(retried.ts).toBe(first.ts);
    });

    it('posts the missing parts in order', async () => {
      await post([]);
      const all = slack.callsOf('chat.postMessage').map((call) => call.body.text);

      await post(['1700000000.000100', '1700000000.000200']);
      const resumed = slack.callsOf('chat.postMessage').slice(all.length);

      expect(all.length).toBeGreaterThan(2);
      expect(resumed.map((call) => call.body.text)).toEqual(all.slice(2));
    });

    it('posts nothing when every part is posted', async () => {
      await post([]);
      const parts = slack.callsOf('chat.postMessage').length;
      const stamps = Array.from({ length: parts }, (_, i) => `1700000000.00010${i}`);

      const result = await post(stamps);

      expect(slack.callsOf('chat.postMessage')).toHaveLength(parts);
      expect(result.ts).toBe(stamps[0]);
    });

    it('reports every part as it is posted', async () => {
      const reported: string[][] = [];

      const result = await post([], async (parts) => {
        reported.push(parts);
      });
      const calls = slack.callsOf('chat.postMessage');

      expect(reported).toHaveLength(calls.length);
      expect(reported.map((parts) => parts.length)).toEqual(calls.map((_, i) => i + 1));
      expect(reported.at(-1)?.[0]).toBe(result.ts);
    });
  });
});
