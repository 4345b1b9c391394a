/**
 * Delivery through a full run on a reliability world: dynalite, s3rver, aws-ses-v2-local and the
 * Slack fake behind fault proxies.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { secretsFromEnv } from '../../src/config/secrets.ts';
import { DeliveryGate } from '../../src/pipeline/delivery-gate.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import { StateStore } from '../../src/storage/state-store.ts';
import { countDeliveries, SECRETS, WEEK, worldForTest } from '../reliability/world.ts';

describe('deliverReport without a Slack client', () => {
  it('posts once a Slack token is set', async () => {
    const world = await worldForTest(onTestFinished, { withoutClaude: true });
    const { SLACK_BOT_TOKEN: _token, ...withoutSlack } = SECRETS;
    const local = await runReport(
      { ...world.deps, secrets: secretsFromEnv(withoutSlack) },
      { reportId: world.reportId, week: WEEK, trigger: 'cli' },
    );

    const later = await world.run({ trigger: 'cli' });

    const deliveries = await countDeliveries(world);
    expect(local.slack.status).toBe('written');
    expect(later.email.status).toBe('already_sent');
    expect(later.slack.status).toBe('posted');
    expect(later.outcome).toBe('delivered');
    expect(deliveries.reportEmails).toBe(1);
    expect(deliveries.reportPosts).toBe(1);
  });
});

describe('deliverReport with a delivery gate', () => {
  it('delivers through an open gate', async () => {
    const world = await worldForTest(onTestFinished, { withoutClaude: true });
    world.deps.deliveryGate = new DeliveryGate();

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.email.status).toBe('sent');
    expect(deliveries.reportEmails).toBe(1);
  });

  it('claims nothing once the gate is closed', async () => {
    const world = await worldForTest(onTestFinished, { withoutClaude: true });
    const gate = new DeliveryGate();
    await gate.close();
    world.deps.deliveryGate = gate;

    const result = await world.run();

    const state = new StateStore(world.deps.dynamo, world.deps.stateTable);
    const claim = await state.getDelivery(world.reportId, WEEK.start, 'email');
    const deliveries = await countDeliveries(world);
    expect(result.email.status).toBe('skipped');
    expect(result.slack.status).toBe('skipped');
    expect(claim).toBeNull();
    expect(deliveries.reportEmails).toBe(0);
  });
});
