/**
 * Bad source data through the whole run: Meta rows with missing, null, negative, huge or
 * non-numeric values and duplicate rows, and HubSpot contacts with odd property values. No NaN or
 * Infinity may reach the store or the email, weeks outside the fetch window keep their stored
 * figures, and every HubSpot contact is counted.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PAGE_SIZE } from '../../src/pipeline/fetch-hubspot-leads.ts';
import type { Metrics } from '../../src/shared/types.ts';
import { MetricsStore } from '../../src/storage/metrics-store.ts';
import type { GraphInsightsRow } from '../fakes/graph-api.ts';
import { createWorld, leadRow, WEEK, type World } from './world.ts';

let world: World;
/** The Monday before the fetch window of the report week: no run of this file re-stores it. */
const OUTSIDE_WEEK = { start: '2026-10-26', end: '2026-11-01' };
/** A run for this week stores the four weeks up to it, the outside week included. */
const SEED_WEEK = { start: '2026-11-02', end: '2026-11-08' };

beforeAll(async () => {
  world = await createWorld({ withoutClaude: true });
  world.graph.setRows(world.accounts.home, OUTSIDE_WEEK.start, [leadRow('111', '1111', 70, 7)]);
  await world.run({ week: SEED_WEEK, trigger: 'cli', deliver: { email: false, slack: false } });
});

afterAll(async () => {
  await world?.close();
});

const store = () => new MetricsStore(world.deps.dynamo, world.deps.metricsTable);

/** Matches the words a broken number renders as. */
const BROKEN_NUMBER = /NaN|Infinity|undefined/;

/** Text as fast-check makes it, without the words that would pass for a broken number. */
const plainText = (maxLength?: number) =>
  fc.string({ maxLength }).filter((text) => !BROKEN_NUMBER.test(text));

/** A count or amount as Graph might send it, valid or not. */
const numberLike = fc.oneof(
  { weight: 4, arbitrary: fc.nat(50_000).map(String) },
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -5000, max: -1 }).map(String),
  fc.constantFrom('1e309', '99999999999999999999', 'Infinity', 'NaN', 'abc', '', ' 12 ', '0x10'),
  fc.double(),
);
const amountLike = fc.oneof(
  { weight: 4, arbitrary: fc.nat(5_000_000).map((cents) => (cents / 100).toFixed(2)) },
  numberLike,
  fc.constantFrom('12.345', '9007199254740993.00', '-0.01', '1,000.00'),
);
const metaRow: fc.Arbitrary<GraphInsightsRow> = fc.record(
  {
    campaign_id: fc.constantFrom('111', '112', '', null),
    campaign_name: plainText(40),
    adset_id: fc.constantFrom('1111', '1112', '1121'),
    adset_name: plainText(40),
    objective: fc.constantFrom('OUTCOME_LEADS', 'OUTCOME_AWARENESS'),
    spend: amountLike,
    impressions: numberLike,
    clicks: numberLike,
    actions: fc.array(
      fc.record({
        action_type: fc.constantFrom(
          'lead',
          'landing_page_view',
          'offsite_conversion.fb_pixel_lead',
        ),
        value: numberLike,
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['adset_id'] },
);

/**
 * Checks that the rendered report shows no broken number. A skipped-row note quotes the bad value
 * Meta sent, such as `is "NaN", not a`. That quote names the input, so it is removed first.
 */
function expectNoBrokenNumber(rendered: string): void {
  const withoutQuotedInput = rendered.replace(
    / is (\\"|"|&quot;)[^"&\\]*\1, not a/g,
    ' is …, not a',
  );
  expect(withoutQuotedInput).not.toMatch(BROKEN_NUMBER);
}

function expectCleanMetrics(metrics: Metrics): void {
  for (const value of Object.values(metrics)) {
    expect(Number.isSafeInteger(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
}

/** Returns the text and HTML parts of the run's .eml copy and its Slack JSON, without images. */
async function renderedText(files: string[]): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    if (file.endsWith('.eml')) {
      const parsed = await simpleParser(await readFile(file), { skipImageLinks: true });
      parts.push(parsed.text ?? '', typeof parsed.html === 'string' ? parsed.html : '');
    }
    if (file.endsWith('.json')) parts.push(await readFile(file, 'utf8'));
  }

  return parts.join('\n');
}

describe('runReport on bad Meta rows', () => {
  it('stores and shows no NaN or Infinity', async () => {
    const [outsideBefore] = await store().getPropertyWeeks([
      { propertyId: 'home', weekStart: OUTSIDE_WEEK.start },
    ]);

    await fc.assert(
      fc.asyncProperty(fc.array(metaRow, { minLength: 1, maxLength: 6 }), async (rows) => {
        world.graph.setRows(world.accounts.home, WEEK.start, rows);

        const result = await world.run({ trigger: 'cli', deliver: { email: false, slack: false } });

        const campaigns = await store().getCampaignsOfPropertyWeek('home', WEEK.start);
        const [property] = await store().getPropertyWeeks([
          { propertyId: 'home', weekStart: WEEK.start },
        ]);
        const [outside] = await store().getPropertyWeeks([
          { propertyId: 'home', weekStart: OUTSIDE_WEEK.start },
        ]);
        const rendered = await renderedText(result.outputFiles);
        expect(result.outcome).not.toBe('failed');
        expect(rendered.length).toBeGreaterThan(0);
        for (const campaign of campaigns) expectCleanMetrics(campaign.metrics);
        expectCleanMetrics(property?.metrics as Metrics);
        expect(outside?.metrics).toEqual(outsideBefore?.metrics);
        expectNoBrokenNumber(rendered);
      }),
      { numRuns: 12 },
    );
  });

  it('says how many rows it skipped', async () => {
    world.graph.setRows(world.accounts.home, WEEK.start, [
      leadRow('111', '1111', 100, 10),
      { ...leadRow('111', '1112', 50, 5), spend: '-50.00' },
      { ...leadRow('111', '1113', 50, 5), impressions: 'many' },
    ]);

    const result = await world.run({ trigger: 'cli', deliver: { email: false, slack: false } });

    const note = result.notes.find((text) => text.includes('skipped as invalid'));
    expect(note).toMatch(/^Home, week of 23–29 Nov 2026: 2 Meta rows were skipped as invalid, /);
    expect(note).toContain("the property's figures for that week are partial");
    expect(note).toContain('First reason: spend is');
    expect(note).not.toContain('run log');
    expect(result.outcome).toBe('degraded');
  });

  it('counts a duplicated row once', async () => {
    const row = leadRow('111', '1111', 100, 10);
    world.graph.setRows(world.accounts.home, WEEK.start, [row, row]);

    const result = await world.run({ trigger: 'cli', deliver: { email: false, slack: false } });

    const home = result.report?.properties.find((p) => p.propertyId === 'home');
    expect(home?.metrics?.leads).toBe(10);
    expect(home?.metrics?.spendMinor).toBe(10_000);
  });
});

/** A contact created in the report week, with odd values in the fields attribution reads. */
const oddContact = fc.record({
  hsa_cam: fc.oneof(
    fc.constantFrom('111', '211', '111<script>', ' 111 ', '0', '-1', '1e3', '9'.repeat(400)),
    plainText(30),
    fc.constant(null),
  ),
  hsa_grp: fc.oneof(
    fc.constantFrom('1111', '', '1111; DROP TABLE'),
    plainText(),
    fc.constant(null),
  ),
  utm_campaign: fc.oneof(plainText(60), fc.constant(null)),
  hs_analytics_source_data_2: fc.oneof(
    fc.constantFrom('Campaign 111', '(*)+?[', '\u0000\u202e', 'Campaign 211'.repeat(50)),
    plainText(60),
    fc.constant(null),
  ),
  hs_analytics_first_url: fc.oneof(
    fc.constantFrom(
      'https://example.com/?hsa_cam=111&hsa_grp=1111',
      'https://example.com/?hsa_cam=%E0%A4%A',
      'not a url',
      'https://example.com/?utm_campaign=<b>x</b>',
    ),
    fc.constant(null),
  ),
});

describe('runReport on odd HubSpot contacts', () => {
  it('counts every contact, attributed or not', async () => {
    world.graph.setRows(world.accounts.home, WEEK.start, [leadRow('111', '1111', 100, 10)]);

    await fc.assert(
      fc.asyncProperty(
        fc.array(oddContact, { minLength: 1, maxLength: SEARCH_PAGE_SIZE / 20 }),
        async (contacts) => {
          world.hubspot.setContacts(
            contacts.map((properties, index) => ({
              id: `odd-${index}`,
              properties: {
                createdate: '2026-11-25T15:00:00.000Z',
                hs_analytics_source: 'PAID_SOCIAL',
                ...properties,
              },
            })),
          );

          const result = await world.run({
            trigger: 'cli',
            deliver: { email: false, slack: false },
          });

          const rendered = await renderedText(result.outputFiles);
          expect(result.report?.hubspotAvailable).toBe(true);
          expect(result.report?.totalsMetrics?.hubspotLeads).toBe(contacts.length);
          expectNoBrokenNumber(rendered);
        },
      ),
      { numRuns: 8 },
    );
  });
});
