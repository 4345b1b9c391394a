/**
 * Degraded but honest: a failed source or channel takes out only its own part of the report, the
 * report names the gap, and the technical owner gets exactly one ops message per degraded or failed run.
 */
import { describe, it } from 'vitest';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { sesAction, sesError } from './aws-faults.ts';
import { graphAccount, graphInsights, hubspotSearch, slackPost } from './matchers.ts';
import { CLAUDE_ANSWER, countDeliveries, REPORT_CHANNEL, WEEK, worldForTest } from './world.ts';

/** A week the run re-fetches before the report week. */
const EARLIER_WEEK = '2026-11-09';

const HUBSPOT_DOWN = {
  kind: 'status' as const,
  status: 503,
  body: JSON.stringify({
    status: 'error',
    message: 'Service unavailable',
    category: 'INTERNAL_ERROR',
  }),
};

describe.concurrent('runReport degraded by a source', () => {
  it('marks a failed property unavailable, never zero', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.graph.inject(
      graphAccount(world.accounts.branch),
      {
        kind: 'status',
        status: 400,
        body: JSON.stringify({ error: { message: '(#200) Permissions error', code: 200 } }),
      },
      Number.POSITIVE_INFINITY,
    );

    const result = await world.run();

    const branch = result.report?.properties.find((p) => p.propertyId === 'branch');
    const stored = await new MetricsStore(
      world.deps.dynamo,
      world.deps.metricsTable,
    ).getPropertyWeeks([{ propertyId: 'branch', weekStart: WEEK.start }]);
    const email = (await world.backend.readSentEmails()).find((e) =>
      e.destination.to.includes(world.recipient),
    );
    expect(result.outcome).toBe('degraded');
    expect(branch?.availability).toBe('unavailable');
    expect(branch?.metrics).toBeNull();
    expect(stored.filter((week) => week.reportId === world.reportId)).toEqual([]);
    expect(email?.body.text).toContain('Meta data unavailable: Meta denied access to ad account');
    expect(result.report?.properties.find((p) => p.propertyId === 'home')?.availability).toBe('ok');
    expect((await countDeliveries(world)).opsMessages).toBe(1);
  });

  it('keeps a property whose earlier week fails', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.graph.inject(
      graphInsights(world.accounts.branch, EARLIER_WEEK),
      { kind: 'status', status: 503, body: 'Service Unavailable' },
      Number.POSITIVE_INFINITY,
    );

    const result = await world.run();

    const branch = result.report?.properties.find((p) => p.propertyId === 'branch');
    const stored = await new MetricsStore(
      world.deps.dynamo,
      world.deps.metricsTable,
    ).getPropertyWeeks([{ propertyId: 'branch', weekStart: EARLIER_WEEK }]);
    const email = (await world.backend.readSentEmails()).find((e) =>
      e.destination.to.includes(world.recipient),
    );
    expect(result.outcome).toBe('degraded');
    expect(branch?.availability).toBe('ok');
    expect(branch?.metrics).not.toBeNull();
    expect(stored.filter((week) => week.reportId === world.reportId)).toEqual([]);
    expect(email?.body.text).toContain('Meta figures of Branch for the week of 9–15 Nov 2026');
    expect(email?.body.text).not.toContain('Meta data unavailable');
    expect((await countDeliveries(world)).opsMessages).toBe(1);
  });

  it('sends the report without HubSpot leads', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.hubspot.inject(hubspotSearch(), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    const email = (await world.backend.readSentEmails()).find((e) =>
      e.destination.to.includes(world.recipient),
    );
    expect(result.outcome).toBe('degraded');
    expect(result.report?.hubspotAvailable).toBe(false);
    expect(email?.body.text).toContain('HubSpot data is unavailable this week');
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.opsMessages).toBe(1);
  });

  it('writes the offline narrative when Claude fails', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply({ kind: 'error', status: 401, type: 'authentication_error' });

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.report?.analysis.source).toBe('offline');
    expect(result.report?.analysis.fallbackReason).toMatch(/401 authentication_error/);
    expect(result.outcome).toBe('degraded');
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toMatch(/offline narrative/);
  });

  it('stays delivered without an Anthropic key', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished, { withoutClaude: true });

    const result = await world.run();

    expect(result.report?.analysis.source).toBe('offline');
    expect(result.outcome).toBe('delivered');
    expect((await countDeliveries(world)).opsMessages).toBe(0);
  });

  it('fails with one alert when no property has data', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    const denied = {
      kind: 'status' as const,
      status: 400,
      body: JSON.stringify({ error: { message: 'Invalid OAuth access token', code: 190 } }),
    };
    world.proxies.graph.inject(() => true, denied, Number.POSITIVE_INFINITY);

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.outcome).toBe('failed');
    expect(deliveries.reportEmails).toBe(0);
    expect(deliveries.reportPosts).toBe(0);
    expect(deliveries.opsMessages).toBe(1);
  });
});

describe.concurrent('runReport degraded by a channel', () => {
  it('still emails when Slack fails', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.slack.inject(
      slackPost(REPORT_CHANNEL),
      { kind: 'status', status: 500, body: 'Internal Server Error' },
      Number.POSITIVE_INFINITY,
    );

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.email.status).toBe('sent');
    expect(result.slack.status).toBe('failed');
    expect(result.outcome).toBe('degraded');
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.opsMessages).toBe(1);
  });

  it('stops retrying Slack after the configured retries', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.slack.inject(
      slackPost(REPORT_CHANNEL),
      { kind: 'status', status: 503, body: 'Service Unavailable' },
      Number.POSITIVE_INFINITY,
    );

    await world.run();

    const attempts = world.proxies.slack.requestsMatching(slackPost(REPORT_CHANNEL));
    expect(attempts).toHaveLength(world.config.slack.retries + 1);
  });

  it('still posts to Slack when SES rejects', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    const rejected = sesError(
      400,
      'MessageRejected',
      `Email address is not verified. The following identities failed the check in region US-EAST-1: ${'reports@example.com'}`,
    );
    world.proxies.ses.inject(sesAction('SendRawEmail'), rejected, Number.POSITIVE_INFINITY);

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.email.status).toBe('failed');
    expect(result.email.error).toMatch(/not verified in region us-east-1/);
    expect(result.slack.status).toBe('posted');
    expect(deliveries.reportPosts).toBe(1);
    expect(deliveries.opsMessages).toBe(1);
  });

  it('emails ops when the ops channel fails too', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.slack.inject(
      slackPost(),
      { kind: 'status', status: 500, body: 'Internal Server Error' },
      Number.POSITIVE_INFINITY,
    );

    const result = await world.run();

    const emails = await world.backend.readSentEmails();
    expect(result.outcome).toBe('degraded');
    expect(emails.filter((e) => e.destination.to.includes(world.opsRecipient))).toHaveLength(1);
  });
});
