/**
 * A chart renderer that fails (a missing font in a bad bundle, a resvg crash) cannot be produced
 * with the real module, so this file replaces it with one that throws. The report still goes out,
 * without charts, and the run is degraded with one ops message.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdreportError } from '../../src/shared/errors.ts';
import { CLAUDE_ANSWER, countDeliveries, createWorld, type World } from './world.ts';

vi.mock('../../src/email/render-charts.ts', () => ({
  renderSparkline: () => {
    throw new AdreportError('chart_font_missing', 'Chart font DejaVuSans.ttf was not found');
  },
}));

let world: World;

afterEach(async () => {
  await world?.close();
});

describe('runReport when charts fail', () => {
  it('sends the email without charts', async () => {
    world = await createWorld();
    world.anthropic.reply(CLAUDE_ANSWER);

    const result = await world.run();

    const email = (await world.backend.readSentEmails()).find((e) =>
      e.destination.to.includes(world.recipient),
    );
    expect(result.email.status).toBe('sent');
    expect(email?.attachments).toEqual([]);
    expect(email?.body.text).toContain('Trend charts could not be drawn');
  });

  it('degrades the run with one ops message', async () => {
    world = await createWorld();
    world.anthropic.reply(CLAUDE_ANSWER);

    const result = await world.run();

    const deliveries = await countDeliveries(world);
    expect(result.outcome).toBe('degraded');
    expect(deliveries.opsMessages).toBe(1);
    expect(deliveries.opsTexts[0]).toContain('Trend charts could not be drawn');
  });
});
