import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/doctor/check-result.ts';
import { checkSlack } from '../../src/doctor/check-slack.ts';
import { testConfig, testContext } from './doctor-test-context.ts';
import {
  closedPortOrigin,
  type LoopbackServer,
  startHtmlServer,
  startLoopbackServer,
  startSilentServer,
} from './fakes/loopback-server.ts';
import { type SlackFakeOptions, startSlackFake } from './fakes/slack-fake.ts';

const TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const SCOPES = ['chat:write', 'commands', 'app_mentions:read', 'files:write', 'channels:read'];

let slack: LoopbackServer | null = null;

afterEach(async () => {
  await slack?.close();
  slack = null;
});

async function checkWith(options: Partial<SlackFakeOptions>, config = testConfig()) {
  const fake = await startSlackFake({
    token: TOKEN,
    scopes: SCOPES,
    channels: { C0ACME0001: { name: 'acme-reports', isMember: true } },
    ...options,
  });
  slack = fake;
  const section = await checkSlack(
    testContext({
      config,
      secrets: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
      env: { ADREPORT_SLACK_API_URL: fake.apiUrl },
    }),
  );

  return section.results;
}

function find(results: CheckResult[], prefix: string): CheckResult | undefined {
  return results.find((result) => result.subject.startsWith(prefix));
}

describe('checkSlack', () => {
  it('fails when the token and signing secret are missing', async () => {
    const section = await checkSlack(testContext());

    expect(find(section.results, 'Bot token')?.status).toBe('fail');
    expect(find(section.results, 'Signing secret')?.status).toBe('fail');
  });

  it('passes a member bot with the scopes', async () => {
    const results = await checkWith({});

    expect(results.every((result) => result.status === 'pass')).toBe(true);
    expect(find(results, 'Channel C0ACME0001')?.detail).toContain('#acme-reports');
  });

  it('fails a rejected token', async () => {
    const results = await checkWith({ token: 'xoxb-other' });

    expect(find(results, 'Bot token')?.detail).toContain('invalid_auth');
    expect(find(results, 'Bot token')?.fix).toContain('SLACK_BOT_TOKEN');
  });

  it('names the missing scopes', async () => {
    const results = await checkWith({ scopes: SCOPES.filter((scope) => scope !== 'commands') });

    expect(find(results, 'Bot scopes')?.status).toBe('fail');
    expect(find(results, 'Bot scopes')?.detail).toContain('missing commands');
  });

  it('fails a token from another workspace', async () => {
    const config = testConfig({ slack: { teamId: 'T0EXPECTED1' } });

    const results = await checkWith({ teamId: 'T0OTHERTEAM' }, config);

    expect(find(results, 'Workspace')?.status).toBe('fail');
    expect(find(results, 'Workspace')?.detail).toContain('T0OTHERTEAM');
  });

  it('asks to invite the bot when it is not a member', async () => {
    const results = await checkWith({
      channels: { C0ACME0001: { name: 'acme-reports', isMember: false } },
    });

    expect(find(results, 'Channel C0ACME0001')?.status).toBe('fail');
    expect(find(results, 'Channel C0ACME0001')?.fix).toContain('/invite');
  });

  it('fails an archived channel', async () => {
    const results = await checkWith({
      channels: { C0ACME0001: { name: 'acme-reports', isMember: true, isArchived: true } },
    });

    expect(find(results, 'Channel C0ACME0001')?.detail).toContain('archived');
  });

  it('fails an unknown channel', async () => {
    const results = await checkWith({ channels: {} });

    expect(find(results, 'Channel C0ACME0001')?.detail).toContain('channel_not_found');
    expect(find(results, 'Channel C0ACME0001')?.fix).toContain('channel id');
  });

  it('checks the ops channel too', async () => {
    const config = testConfig({ slack: { opsChannel: 'C0OPS00001' } });

    const results = await checkWith({}, config);

    expect(find(results, 'Channel C0OPS00001 (ops messages)')?.status).toBe('fail');
  });

  it('names channels:read when conversations.info lacks it', async () => {
    const results = await checkWith({
      scopes: SCOPES.filter((scope) => scope !== 'channels:read'),
    });

    expect(find(results, 'Channel C0ACME0001')?.detail).toContain('missing_scope');
    expect(find(results, 'Channel C0ACME0001')?.fix).toContain('channels:read');
  });

  it('warns about a malformed signing secret', async () => {
    slack = await startSlackFake({ token: TOKEN, scopes: SCOPES });

    const section = await checkSlack(
      testContext({
        secrets: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'not-a-secret' },
        env: { ADREPORT_SLACK_API_URL: `${slack.origin}/api/` },
      }),
    );

    expect(find(section.results, 'Signing secret')?.status).toBe('warn');
  });

  describe('against a broken server', () => {
    async function checkAt(origin: string) {
      const section = await checkSlack(
        testContext({
          secrets: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
          env: { ADREPORT_SLACK_API_URL: `${origin}/api/` },
          timeoutMs: 300,
        }),
      );

      return find(section.results, 'Bot token');
    }

    it.each([200, 502])('fails an HTML page with status %i', async (status) => {
      slack = await startHtmlServer(status);

      const result = await checkAt(slack.origin);

      expect(result?.status).toBe('fail');
      expect(result?.detail).toContain(`HTTP ${status} from ${slack.origin}/api/auth.test`);
    });

    it('names the error of a JSON 401', async () => {
      slack = await startLoopbackServer(() => ({
        status: 401,
        body: { ok: false, error: 'invalid_auth' },
      }));

      const result = await checkAt(slack.origin);

      expect(result?.detail).toBe(
        `HTTP 401 from ${slack.origin}/api/auth.test: Slack returned invalid_auth`,
      );
      expect(result?.fix).toContain('SLACK_BOT_TOKEN');
    });

    it('quotes a JSON 401 body without an error', async () => {
      slack = await startLoopbackServer(() => ({ status: 401, body: { message: 'denied' } }));

      const result = await checkAt(slack.origin);

      expect(result?.detail).toBe(
        `HTTP 401 from ${slack.origin}/api/auth.test: {"message":"denied"}`,
      );
    });

    it('fails an answer without ok', async () => {
      slack = await startLoopbackServer(() => ({ body: { hello: 'world' } }));

      const result = await checkAt(slack.origin);

      expect(result?.status).toBe('fail');
      expect(result?.detail).toContain(`HTTP 200 from ${slack.origin}/api/auth.test`);
    });

    it('names the timeout and the URL', async () => {
      slack = await startSilentServer();

      const result = await checkAt(slack.origin);

      expect(result?.detail).toBe(`request to ${slack.origin}/api/auth.test timed out after 0.3 s`);
    });

    it('names a refused connection', async () => {
      const origin = await closedPortOrigin();

      const result = await checkAt(origin);

      expect(result?.detail).toBe(`request to ${origin}/api/auth.test failed: connection refused`);
    });
  });
});
