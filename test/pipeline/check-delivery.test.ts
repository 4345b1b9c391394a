/**
 * The 09:00 delivery check against a reliability world: dynalite, s3rver and aws-ses-v2-local
 * behind fault proxies, and the Graph, HubSpot, Anthropic and Slack fakes. The world's clock moves
 * only when the test calls `deps.sleep`, so a claim's 15-minute lease expires on demand.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkDelivery } from '../../src/pipeline/check-delivery.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { countDeliveries, type World, worldForTest } from '../reliability/world.ts';

/** Monday 09:00 in New York, so the check looks at the week of 23 November. */
const CHECK_TIME = '2026-11-30T14:00:00Z';
const LEASE_MS = 15 * 60_000;
/** Runs write the offline narrative, so they are not degraded and send no ops message. */
const WITHOUT_CLAUDE = { withoutClaude: true };

/** Claims a delivery for a run that then stops without completing or releasing it. */
async function holdClaim(world: World, channel: 'email' | 'slack') {
  const state = new StateStore(world.deps.dynamo, world.deps.stateTable, { now: world.deps.now });

  return state.claimDelivery({
    reportId: world.reportId,
    weekStart: '2026-11-23',
    channel,
    runId: 'run-stopped',
    leaseMs: LEASE_MS,
  });
}

const check = (world: World) =>
  checkDelivery(world.deps, { reportId: world.reportId, scheduledTime: CHECK_TIME });

describe('checkDelivery', () => {
  it('finishes the email of a stopped run', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await holdClaim(world, 'email');
    const retried = await world.run();
    await world.deps.sleep(LEASE_MS + 1);

    const result = await check(world);

    const deliveries = await countDeliveries(world);
    expect(retried.email.status).toBe('in_progress');
    expect(retried.outcome).toBe('in_progress');
    expect(result).toMatchObject({
      delivered: true,
      finished: { email: 'sent', slack: 'skipped' },
    });
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.reportPosts).toBe(1);
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toContain('Run run-stopped stopped while delivering');
  });

  it('stays quiet after finishing', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await holdClaim(world, 'email');
    await world.run();
    await world.deps.sleep(LEASE_MS + 1);
    await check(world);

    const again = await check(world);

    const deliveries = await countDeliveries(world);
    expect(again).toEqual({ delivered: true, weekStart: '2026-11-23' });
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.opsMessages).toBe(1);
  });

  it('delivers both channels of a run stopped early', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await world.run({ deliver: { email: false, slack: false } });
    await holdClaim(world, 'email');
    await world.deps.sleep(LEASE_MS + 1);

    const result = await check(world);

    const deliveries = await countDeliveries(world);
    expect(result).toMatchObject({ delivered: true, finished: { email: 'sent', slack: 'posted' } });
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.reportPosts).toBe(1);
  });

  it('leaves a live claim alone', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await world.run({ deliver: { email: false, slack: true } });
    await holdClaim(world, 'email');

    const result = await check(world);

    const deliveries = await countDeliveries(world);
    expect(result).toEqual({ delivered: false, weekStart: '2026-11-23', inProgress: ['email'] });
    expect(deliveries.reportEmails).toBe(0);
  });

  it('tells ops how to finish a live claim', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await world.run({ deliver: { email: false, slack: true } });
    await holdClaim(world, 'email');
    const leaseEnd = new Date(world.deps.now().getTime() + LEASE_MS).toISOString();

    await check(world);

    const deliveries = await countDeliveries(world);
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toContain(
      `Run run-stopped holds the email until ${leaseEnd} and may still finish it.`,
    );
    expect(deliveries.opsTexts[0]).toContain(
      `adreport run --report ${world.reportId} --week 2026-11-23`,
    );
  });

  it('reports a missing Slack post', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await world.run({ deliver: { email: true, slack: false } });

    const result = await check(world);

    const deliveries = await countDeliveries(world);
    expect(result).toEqual({ delivered: false, weekStart: '2026-11-23', missing: ['slack'] });
    expect(deliveries.reportPosts).toBe(0);
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toContain('Missing at the delivery check: the Slack summary.');
  });

  it('tells ops when the replay fails', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await holdClaim(world, 'email');
    await world.deps.sleep(LEASE_MS + 1);

    const result = await check(world);

    const deliveries = await countDeliveries(world);
    expect(result).toEqual({
      delivered: false,
      weekStart: '2026-11-23',
      missing: ['email', 'slack'],
    });
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toContain('could not replay the week');
    expect(deliveries.opsTexts[0]).toContain(
      `send what is missing: adreport replay --report ${world.reportId} --week 2026-11-23 --send`,
    );
  });

  it('gives the local run command', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    await world.run({ deliver: { email: true, slack: false } });

    await check(world);

    const { opsTexts } = await countDeliveries(world);
    expect(opsTexts[0]).toContain(`: adreport run --report ${world.reportId} --week 2026-11-23`);
  });

  it('gives the worker command when deployed', async () => {
    const world = await worldForTest(onTestFinished, WITHOUT_CLAUDE);
    world.deps.workerFunctionName = 'adreport-worker';
    await world.run({ deliver: { email: true, slack: false } });

    await check(world);

    const { opsTexts } = await countDeliveries(world);
    expect(opsTexts[0]).toContain(
      `: aws lambda invoke --function-name adreport-worker --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{"kind":"schedule","reportId":"${world.reportId}","scheduledTime":"2026-11-30T18:00:00Z"}' /dev/null`,
    );
    expect(opsTexts[0]).not.toContain('adreport run');
  });
});
