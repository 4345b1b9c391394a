/**
 * Nothing lost: whatever a run fetched before a fault is in the raw archive and its manifest.
 * Values stored by earlier runs survive a degraded run: a HubSpot outage leaves the stored HubSpot
 * leads of the re-fetched weeks as they were, while Meta's restated figures are still stored. A
 * replay rebuilds what the live run built, degraded parts included.
 */

import { describe, it } from 'vitest';
import type { ReportData } from '../../src/shared/types.ts';
import { weekContaining } from '../../src/shared/week.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import { graphInsights, hubspotSearch } from './matchers.ts';
import {
  CLAUDE_ANSWER,
  expectedArchive,
  readArchive,
  WEEK,
  WEEKS,
  type World,
  worldForTest,
} from './world.ts';

const GRAPH_DOWN = {
  kind: 'status' as const,
  status: 500,
  body: JSON.stringify({ error: { message: 'An unexpected error has occurred.', code: 2 } }),
};
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

describe.concurrent('runReport archive', () => {
  it('keeps payloads fetched before a Meta fault', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.graph.inject(
      graphInsights(world.accounts.branch, WEEK.start),
      GRAPH_DOWN,
      Number.POSITIVE_INFINITY,
    );

    const result = await world.run();

    const archive = await readArchive(world, result.runId);
    const expected = expectedArchive(world, result.runId, {
      meta: { home: WEEKS, branch: EARLIER_WEEKS },
      // On an empty store HubSpot is searched for every fetched week.
      hubspot: WEEKS,
    });
    expect(archive.rawKeys).toEqual(expected);
    expect(archive.manifestKeys).toEqual(expected);
  });

  it('keeps payloads fetched before a HubSpot fault', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    world.proxies.hubspot.inject(hubspotSearch(WEEK.start), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);

    const result = await world.run();

    const archive = await readArchive(world, result.runId);
    const expected = expectedArchive(world, result.runId, {
      meta: { home: WEEKS, branch: WEEKS },
      hubspot: [],
    });
    expect(archive.rawKeys).toEqual(expected);
    expect(archive.manifestKeys).toEqual(expected);
  });
});

describe.concurrent('runReport stored data', () => {
  it('keeps stored HubSpot leads when HubSpot fails', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
    // The run that reported the earlier week stored its HubSpot count.
    await world.run({ trigger: 'cli', week: weekContaining(EARLIER_WEEKS[2] as string) });
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

  it('marks an earlier HubSpot week it could not read', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER);
    const failing = EARLIER_WEEKS[1] as string;
    world.proxies.hubspot.inject(hubspotSearch(failing), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);

    const result = await world.run({ trigger: 'cli' });

    const weeks = await store(world).getPropertyWeeks(
      EARLIER_WEEKS.map((weekStart) => ({ propertyId: 'home', weekStart })),
    );
    expect(result.outcome).toBe('degraded');
    expect(result.notes.join(' ')).toContain('could not be read');
    expect(weeks.map((week) => [week.weekStart, week.hubspotCounted])).toEqual(
      EARLIER_WEEKS.map((weekStart) => [weekStart, weekStart !== failing]),
    );
  });

  it('still stores the restated Meta figures', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
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

describe.concurrent('runReport replay', () => {
  it('replays a HubSpot failure as degraded', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
    world.proxies.hubspot.inject(hubspotSearch(WEEK.start), HUBSPOT_DOWN, Number.POSITIVE_INFINITY);
    const live = await world.run({ trigger: 'cli' });

    const replayed = await world.run({ trigger: 'replay', replay: true });

    expect(live.report?.hubspotAvailable).toBe(false);
    expect(replayed.report?.hubspotAvailable).toBe(false);
    expect(replayed.outcome).toBe('degraded');
  });

  it('replays a partial Meta fetch as unavailable', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
    world.proxies.graph.inject(
      graphInsights(world.accounts.branch, WEEK.start),
      GRAPH_DOWN,
      Number.POSITIVE_INFINITY,
    );
    await world.run({ trigger: 'cli' });

    const replayed = await world.run({ trigger: 'replay', replay: true });

    const branch = replayed.report?.properties.find((p) => p.propertyId === 'branch');
    expect(branch?.availability).toBe('unavailable');
    expect(branch?.metrics).toBeNull();
  });

  it('rebuilds the report once HubSpot is back', async ({ expect, onTestFinished }) => {
    const world = await worldForTest(onTestFinished);
    world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER, CLAUDE_ANSWER);
    // Six attempts is as many as one search page gets, so the second run finds HubSpot back.
    world.proxies.hubspot.inject(hubspotSearch(), HUBSPOT_DOWN, 6);
    const degraded = await world.run({ trigger: 'cli' });

    const fixed = await world.run({ trigger: 'cli' });
    const replayed = await world.run({ trigger: 'replay', replay: true });

    expect(degraded.report?.hubspotAvailable).toBe(false);
    // The degraded run delivered the week, so the fixed run is complete but sends nothing again.
    expect(fixed.outcome).toBe('already_delivered');
    expect(fixed.report?.totalsMetrics?.hubspotLeads).toBe(1);
    expect(replayed.report?.totalsMetrics).toEqual(fixed.report?.totalsMetrics);
    expect(figuresOf(replayed.report)).toEqual(figuresOf(fixed.report));
  });
});

function figuresOf(report: ReportData | null) {
  return report?.properties.map((property) => ({
    propertyId: property.propertyId,
    metrics: property.metrics,
    campaigns: property.campaigns.map((campaign) => campaign.week.metrics),
    leadActivity: property.leadActivity,
  }));
}
