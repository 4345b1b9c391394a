/**
 * Values stored by earlier runs survive a degraded run: a HubSpot outage leaves the HubSpot leads
 * stored for the re-fetched weeks as they were, while Meta's restated figures are still stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { hubspotSearch } from './matchers.ts';
import { CLAUDE_ANSWER, createWorld, WEEKS, type World } from './world.ts';

const backend = useLocalBackend();
let world: World;

afterEach(async () => {
  await world?.close();
});

const HUBSPOT_DOWN = {
  kind: 'status' as const,
  status: 503,
  body: JSON.stringify({
    status: 'error',
    message: 'Service unavailable',
    category: 'INTERNAL_ERROR',
  }),
};
const EARLIER_WEEKS = WEEKS.slice(0, -1);
const store = (w: World) => new MetricsStore(w.deps.dynamo, w.deps.metricsTable);

describe('runReport stored data', () => {
  it('keeps stored HubSpot leads when HubSpot fails', async () => {
    world = await createWorld(backend());
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
    await world.run({ trigger: 'cli' });
    const key = { campaignId: '111', weekStart: EARLIER_WEEKS[2] as string };
    const [before] = await store(world).getCampaignWeeks([key]);
    world.proxies.hubspot.inject(hubspotSearch(), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);

    const degraded = await world.run({ trigger: 'cli' });

    const [after] = await store(world).getCampaignWeeks([key]);
    const [property] = await store(world).getPropertyWeeks([
      { propertyId: 'home', weekStart: key.weekStart },
    ]);
    expect(degraded.outcome).toBe('degraded');
    expect(before?.metrics.hubspotLeads).toBe(1);
    expect(after?.metrics.hubspotLeads).toBe(1);
    expect(after?.adsets.find((a) => a.adsetId === '1111')?.metrics.hubspotLeads).toBe(1);
    expect(property?.metrics.hubspotLeads).toBe(1);
  });

  it('still stores the restated Meta figures', async () => {
    world = await createWorld(backend());
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
    await world.run({ trigger: 'cli' });
    world.graph.setRows(world.accounts.branch, EARLIER_WEEKS[0] as string, []);
    world.proxies.hubspot.inject(hubspotSearch(), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);

    await world.run({ trigger: 'cli' });

    const [property] = await store(world).getPropertyWeeks([
      { propertyId: 'branch', weekStart: EARLIER_WEEKS[0] as string },
    ]);
    expect(property?.metrics.spendMinor).toBe(0);
  });
});
