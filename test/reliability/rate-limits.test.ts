/**
 * Run-level retries: a rate-limited source or channel still delivers, after waiting as long as
 * the API asked. Waits that go through `deps.sleep` are read back from the world's record. The
 * Anthropic and Slack SDKs wait on their own timers, so their waits are measured as the gap
 * between two requests at the proxy. Permanent errors are not retried: one request each, and the
 * ops message carries the fix.
 */
import { describe, it } from 'vitest';
import { businessUseCaseUsage } from '../fakes/graph-api.ts';
import { hubspotFaults } from '../fakes/hubspot-api.ts';
import { sesAction, sesError } from './aws-faults.ts';
import type { Fault, RequestMatcher } from './fault-proxy.ts';
import { anthropicMessages, graphAccount, hubspotSearch, slackPost } from './matchers.ts';
import {
  CLAUDE_ANSWER,
  countDeliveries,
  REPORT_CHANNEL,
  type World,
  worldForTest,
} from './world.ts';

/** Milliseconds between the first two requests that `matcher` accepts. */
function gapBetweenAttempts(world: World, proxy: keyof World['proxies'], matcher: RequestMatcher) {
  const [first, second] = world.proxies[proxy].requestsMatching(matcher);

  return (second?.at ?? Number.NaN) - (first?.at ?? Number.NaN);
}

describe.concurrent('runReport under rate limits', () => {
  it('waits out a Meta user limit', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.graph.enqueue(`${world.accounts.home}?`, {
      kind: 'graph_error',
      error: { code: 17, error_subcode: 2446079, is_transient: true },
      headers: businessUseCaseUsage(world.accounts.home, {
        callCount: 100,
        regainAccessMinutes: 2,
      }),
    });

    const result = await world.run();

    expect(result.outcome).toBe('delivered');
    expect(world.sleeps).toEqual([120_000]);
    expect(world.proxies.graph.requestsMatching(graphAccount(world.accounts.home))).toHaveLength(2);
  });

  it('waits the HubSpot Retry-After', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.hubspot.enqueue(hubspotFaults.secondlyLimit(3));

    const result = await world.run();

    expect(result.outcome).toBe('delivered');
    expect(result.report?.hubspotAvailable).toBe(true);
    expect(world.sleeps).toEqual([3000]);
  });

  it('retries Claude after an overload', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: 300 },
      CLAUDE_ANSWER,
    );

    const result = await world.run();

    const gap = gapBetweenAttempts(world, 'anthropic', anthropicMessages);
    expect(result.outcome).toBe('delivered');
    expect(result.report?.analysis.source).toBe('claude');
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(2000);
  });

  it('retries an SES throttle with backoff', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    // The SDK makes three attempts itself; the fourth request comes from adreport's own retry.
    const throttled = sesError(400, 'Throttling', 'Maximum sending rate exceeded.');
    world.proxies.ses.inject(sesAction('SendRawEmail'), throttled, 3);

    const result = await world.run();

    expect(result.email.status).toBe('sent');
    expect(world.sleeps).toEqual([1000]);
    expect(world.proxies.ses.requestsMatching(sesAction('SendRawEmail'))).toHaveLength(4);
  });

  it('waits the Slack Retry-After', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.slack.inject(slackPost(REPORT_CHANNEL), {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: JSON.stringify({ ok: false, error: 'ratelimited' }),
    });

    const result = await world.run();

    const gap = gapBetweenAttempts(world, 'slack', slackPost(REPORT_CHANNEL));
    expect(result.slack.status).toBe('posted');
    expect(result.outcome).toBe('delivered');
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect((await countDeliveries(world)).reportPosts).toBe(1);
  });
});

interface PermanentCase {
  name: string;
  proxy: keyof World['proxies'];
  matcher: (world: World) => RequestMatcher;
  fault: Fault;
  fix: RegExp;
}

const graphError = (code: number, subcode?: number): Fault => ({
  kind: 'status',
  status: 400,
  body: JSON.stringify({
    error: {
      message: `(#${code}) Graph error`,
      type: 'OAuthException',
      code,
      error_subcode: subcode,
    },
  }),
});
const hubspotError = (status: number, category: string, message: string): Fault => ({
  kind: 'status',
  status,
  body: JSON.stringify({ status: 'error', message, category }),
});

const PERMANENT: PermanentCase[] = [
  {
    name: 'Meta expired token',
    proxy: 'graph',
    matcher: (w) => graphAccount(w.accounts.branch),
    fault: graphError(190, 463),
    fix: /renew the system user token/,
  },
  {
    name: 'Meta missing permission',
    proxy: 'graph',
    matcher: (w) => graphAccount(w.accounts.branch),
    fault: graphError(200),
    fix: /grant the system user the ads_read permission/,
  },
  {
    name: 'Meta development mode',
    proxy: 'graph',
    matcher: (w) => graphAccount(w.accounts.branch),
    fault: graphError(100, 33),
    fix: /switch the app to Live/,
  },
  {
    name: 'Meta development access tier',
    proxy: 'graph',
    matcher: (w) => graphAccount(w.accounts.branch),
    fault: graphError(270),
    fix: /request Standard/,
  },
  {
    name: 'HubSpot expired token',
    proxy: 'hubspot',
    matcher: () => hubspotSearch(),
    fault: hubspotError(
      401,
      'EXPIRED_AUTHENTICATION',
      'The OAuth token used to make this call expired',
    ),
    fix: /create a HubSpot private-app access token/,
  },
  {
    name: 'HubSpot missing scope',
    proxy: 'hubspot',
    matcher: () => hubspotSearch(),
    fault: hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes"),
    fix: /grant the private app the crm\.objects\.contacts\.read scope/,
  },
  {
    name: 'Anthropic invalid key',
    proxy: 'anthropic',
    matcher: () => anthropicMessages,
    fault: {
      kind: 'status',
      status: 401,
      body: JSON.stringify({
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
      }),
    },
    fix: /check the Anthropic API key/,
  },
  {
    name: 'SES unverified identity',
    proxy: 'ses',
    matcher: () => sesAction('SendRawEmail'),
    fault: sesError(
      400,
      'MessageRejected',
      'Email address is not verified. The following identities failed the check in region US-EAST-1: reports@example.com',
    ),
    fix: /verify reports@example\.com in SES in region us-east-1/,
  },
  {
    name: 'Slack channel not found',
    proxy: 'slack',
    matcher: () => slackPost(REPORT_CHANNEL),
    fault: {
      kind: 'status',
      status: 200,
      body: JSON.stringify({ ok: false, error: 'channel_not_found' }),
    },
    fix: /check that slackChannel in the config is a channel id/,
  },
];

describe.concurrent('runReport on permanent errors', () => {
  it.for(PERMANENT)('makes one request for $name', async (scenario, { expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    const matcher = scenario.matcher(world);
    world.proxies[scenario.proxy].inject(matcher, scenario.fault, Number.POSITIVE_INFINITY);

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(world.proxies[scenario.proxy].requestsMatching(matcher)).toHaveLength(1);
    expect(result.outcome).toBe('degraded');
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toMatch(scenario.fix);
  });
});
