import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData } from '../../scripts/generate-sample-data.ts';
import {
  buildCampaignPlans,
  normaliseName,
  type ScenarioKey,
  WEEK_STARTS,
} from '../../scripts/sample-data/sample-plan.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { AdreportConfig } from '../../src/config/schema.ts';
import { weekContaining } from '../../src/shared/week.ts';
import {
  accountSchema,
  actionValue,
  insightsPageSchema,
  listFiles,
  pageSchemaFor,
  rawPayloadSchema,
  readContacts,
  readInsightsRows,
  readPayloads,
  readSampleJson,
  SAMPLE_DIR,
  searchPageSchema,
} from './sample-files.ts';

const LAST_WEEK = WEEK_STARTS.at(-1) as string;
const rows = readInsightsRows();
const contacts = readContacts();
const config = parseConfig(
  JSON.stringify(readSampleJson('adreport.config.json')),
  'sample-data/adreport.config.json',
);
const campaignNames = new Map(rows.map((row) => [row.campaign_id, row.campaign_name]));

interface WeekTotals {
  leads: number;
  spendCents: number;
  rows: number;
  leadActions: number;
}

function weeklyTotals(campaignId: string): WeekTotals[] {
  return WEEK_STARTS.map((weekStart) => {
    const weekRows = rows.filter(
      (row) => row.campaign_id === campaignId && row.weekStart === weekStart,
    );

    return {
      leads: weekRows.reduce((sum, row) => sum + actionValue(row, 'lead'), 0),
      spendCents: weekRows.reduce((sum, row) => sum + Math.round(Number(row.spend) * 100), 0),
      rows: weekRows.length,
      leadActions: weekRows
        .flatMap((row) => row.actions ?? [])
        .filter((action) => LEAD_TYPES.includes(action.action_type)).length,
    };
  });
}

const LEAD_TYPES = [
  'lead',
  'leadgen_grouped',
  'onsite_conversion.lead_grouped',
  'offsite_conversion.fb_pixel_lead',
];

const plans = buildCampaignPlans();

function scenarioCampaigns(key: ScenarioKey): string[] {
  return plans
    .filter((campaign) => campaign.scenarios.includes(key))
    .map((campaign) => campaign.id);
}

function scenarioCampaign(key: ScenarioKey): string {
  const [id] = scenarioCampaigns(key);
  if (!id) throw new Error(`No campaign has the scenario ${key}`);

  return id;
}

const mean = (values: number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

describe('generateSampleData', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'adreport-sample-'));
    await generateSampleData(outDir);
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes the committed file list', () => {
    const committed = listFiles(SAMPLE_DIR);

    const generated = listFiles(outDir);

    expect(generated).toEqual(committed);
  });

  it('writes byte-identical file contents', async () => {
    const differing: string[] = [];

    for (const path of listFiles(SAMPLE_DIR)) {
      const [committed, generated] = await Promise.all([
        readFile(join(SAMPLE_DIR, path)),
        readFile(join(outDir, path)).catch(() => Buffer.alloc(0)),
      ]);
      if (!committed.equals(generated)) differing.push(path);
    }

    expect(differing).toEqual([]);
  });

  it('keeps the sample under 3 MB', async () => {
    let bytes = 0;

    for (const path of listFiles(SAMPLE_DIR))
      bytes += (await readFile(join(SAMPLE_DIR, path))).length;

    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('generateSampleData output folder', () => {
  it('rejects a raw folder with other files', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'adreport-sample-'));
    await mkdir(join(outDir, 'raw', 'notes'), { recursive: true });

    const result = generateSampleData(outDir);

    await expect(result).rejects.toThrow(/raw contains notes/);
    await rm(outDir, { recursive: true, force: true });
  });

  it('keeps the other files on rejection', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'adreport-sample-'));
    await mkdir(join(outDir, 'raw', 'meta'), { recursive: true });
    await writeFile(join(outDir, 'raw', 'keep.txt'), 'keep');

    await generateSampleData(outDir).catch(() => undefined);

    expect(await readFile(join(outDir, 'raw', 'keep.txt'), 'utf8')).toBe('keep');
    await rm(outDir, { recursive: true, force: true });
  });
});

describe('raw payload files', () => {
  const paths = listFiles(SAMPLE_DIR).filter((path) => path.startsWith('raw/'));

  it('covers every account and report week', () => {
    const expected = 3 * WEEK_STARTS.length * 2 + WEEK_STARTS.length;

    expect(paths).toHaveLength(expected);
  });

  it.each(paths)('parses %s as a RawPayload', (path) => {
    const result = rawPayloadSchema.safeParse(readSampleJson(path));

    expect(result.error?.issues ?? []).toEqual([]);
  });

  it.each(paths)('parses the pages of %s as API responses', (path) => {
    const payload = rawPayloadSchema.parse(readSampleJson(path));
    const schema = pageSchemaFor(payload.key.name);

    const issues = payload.pages.flatMap((page) => schema.safeParse(page).error?.issues ?? []);

    expect(issues).toEqual([]);
  });

  it.each(paths)('names its own path in the key of %s', (path) => {
    const { key } = rawPayloadSchema.parse(readSampleJson(path));

    expect(join('raw', key.source, key.account, key.weekStart, `${key.name}.json`)).toBe(path);
  });
});

describe('Meta account payloads', () => {
  const accounts = readPayloads('account.json').map((payload) =>
    accountSchema.parse(payload.pages[0]),
  );

  it('uses one currency, USD', () => {
    const currencies = new Set(accounts.map((account) => account.currency));

    expect([...currencies]).toEqual(['USD']);
  });

  it('includes an account outside New York time', () => {
    const zones = new Set(accounts.map((account) => account.timezone_name));

    expect(zones).toContain('America/Los_Angeles');
  });

  it('gives each property its own ad account', () => {
    const configured = config.reports[0]?.properties.map((property) => property.metaAdAccountId);

    expect(new Set(configured).size).toBe(3);
  });
});

describe('Meta insights payloads', () => {
  const payloads = readPayloads('insights.json');

  it.each(payloads.map((payload) => [payload.key.account, payload.key.weekStart, payload]))(
    'links the pages of %s %s with cursors',
    (_account, _week, payload) => {
      const pages = payload.pages.map((page) => insightsPageSchema.parse(page));

      for (const [index, page] of pages.entries()) {
        const next = page.paging.next ? new URL(page.paging.next) : null;
        expect(page.data.length).toBeLessThanOrEqual(Number(payload.request.params.limit));
        expect(next?.searchParams.get('after') ?? null).toBe(
          index < pages.length - 1 ? page.paging.cursors.after : null,
        );
        expect(next?.searchParams.get('time_range') ?? null).toBe(
          next ? payload.request.params.time_range : null,
        );
      }
    },
  );

  it('records a page size of 25 rows', () => {
    const limits = new Set(payloads.map((payload) => payload.request.params.limit));

    expect([...limits]).toEqual(['25']);
  });

  it('has 2 or 3 pages in most account-weeks', () => {
    const multiPage = payloads.filter((payload) => [2, 3].includes(payload.pages.length));

    expect(multiPage.length).toBeGreaterThan(payloads.length / 2);
  });

  it('requests ad-set rows for the whole week', () => {
    const ranges = payloads.map((payload) => JSON.parse(payload.request.params.time_range ?? ''));

    expect(ranges).toEqual(
      payloads.map((payload) => ({
        since: payload.key.weekStart,
        until: weekContaining(payload.key.weekStart).end,
      })),
    );
  });

  it('dates every row with its week', () => {
    const misdated = rows.filter(
      (row) =>
        row.date_start !== row.weekStart || row.date_stop !== weekContaining(row.weekStart).end,
    );

    expect(misdated).toEqual([]);
  });

  it('lists each ad set once per week', () => {
    const keys = rows.map((row) => `${row.weekStart} ${row.adset_id}`);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rolls form and pixel leads up into lead', () => {
    const mismatched = rows.filter(
      (row) =>
        actionValue(row, 'lead') !==
        actionValue(row, 'onsite_conversion.lead_grouped') +
          actionValue(row, 'offsite_conversion.fb_pixel_lead'),
    );

    expect(mismatched).toEqual([]);
  });

  it('repeats form leads as leadgen_grouped', () => {
    const mismatched = rows.filter(
      (row) =>
        actionValue(row, 'leadgen_grouped') !== actionValue(row, 'onsite_conversion.lead_grouped'),
    );

    expect(mismatched).toEqual([]);
  });

  it('has rows with overlapping lead types', () => {
    const overlapping = rows.filter(
      (row) =>
        actionValue(row, 'onsite_conversion.lead_grouped') > 0 &&
        actionValue(row, 'offsite_conversion.fb_pixel_lead') > 0,
    );

    expect(overlapping.length).toBeGreaterThan(20);
  });

  it('has rows with the content-view decoy', () => {
    const decoys = rows.filter(
      (row) => actionValue(row, 'offsite_content_view_add_meta_leads') > 0,
    );

    expect(decoys.length).toBeGreaterThan(20);
  });

  it.each([
    { format: 'one decimal', pattern: /^\d+\.\d$/ },
    { format: 'no decimals', pattern: /^\d+$/ },
  ])('writes some spend with $format', ({ pattern }) => {
    const matching = rows.filter((row) => pattern.test(row.spend));

    expect(matching.length).toBeGreaterThan(0);
  });

  it('omits zero-valued actions', () => {
    const zeros = rows.flatMap((row) => row.actions ?? []).filter((action) => action.value === '0');

    expect(zeros).toEqual([]);
  });

  it('omits the actions key on some rows', () => {
    const withoutActions = rows.filter((row) => !('actions' in row));

    expect(withoutActions.length).toBeGreaterThan(0);
  });

  it('has rows with zero clicks', () => {
    const zeroClicks = rows.filter((row) => row.clicks === '0');

    expect(zeroClicks.length).toBeGreaterThan(10);
  });

  it('has at least 30 campaigns', () => {
    expect(campaignNames.size).toBeGreaterThanOrEqual(30);
  });

  it('gives every campaign 2 to 6 ad sets', () => {
    const adsets = new Map<string, Set<string>>();
    for (const row of rows) {
      adsets.set(row.campaign_id, (adsets.get(row.campaign_id) ?? new Set()).add(row.adset_id));
    }

    const outside = [...adsets].filter(([, ids]) => ids.size < 2 || ids.size > 6);

    expect(outside).toEqual([]);
  });
});

describe('HubSpot contact payloads', () => {
  const payloads = readPayloads('contacts.json');

  it.each(payloads.map((payload) => [payload.key.weekStart, payload]))(
    'pages the contacts of %s by offset',
    (_week, payload) => {
      const pages = payload.pages.map((page) => searchPageSchema.parse(page));
      const limit = Number(payload.request.params.limit);
      const results = pages.flatMap((page) => page.results);

      expect(pages.every((page) => page.total === results.length)).toBe(true);
      expect(pages.map((page) => page.paging?.next.after ?? null)).toEqual(
        pages.map((_, index) => (index < pages.length - 1 ? String((index + 1) * limit) : null)),
      );
      expect(pages.every((page) => page.results.length <= limit)).toBe(true);
    },
  );

  it.each(payloads.map((payload) => [payload.key.weekStart, payload]))(
    'filters the contacts of %s by the week in New York',
    (weekStart, payload) => {
      const start = DateTime.fromISO(weekStart as string, { zone: 'America/New_York' });
      const groups = JSON.parse(payload.request.params.filterGroups ?? '[]');

      expect(groups[0].filters[0]).toEqual({
        propertyName: 'createdate',
        operator: 'BETWEEN',
        value: String(start.toMillis()),
        highValue: String(start.plus({ weeks: 1 }).toMillis() - 1),
      });
    },
  );

  it('creates every contact inside its week in New York', () => {
    const outside = contacts.filter((contact) => {
      const created = DateTime.fromISO(contact.properties.createdate ?? '', {
        zone: 'America/New_York',
      });

      return created.startOf('week').toISODate() !== contact.weekStart;
    });

    expect(outside).toEqual([]);
  });

  it('includes contacts whose UTC date is the next Monday', () => {
    const lateSunday = contacts.filter(
      (contact) => contact.createdAt.slice(0, 10) > weekContaining(contact.weekStart).end,
    );

    expect(lateSunday.length).toBeGreaterThan(0);
  });

  it('sorts each week by createdate', () => {
    const unsorted = payloads.filter((payload) => {
      const created = payload.pages
        .flatMap((page) => searchPageSchema.parse(page).results)
        .map((contact) => contact.createdAt);

      return created.some((value, index) => index > 0 && value < (created[index - 1] as string));
    });

    expect(unsorted).toEqual([]);
  });

  it('keeps createdate equal to createdAt', () => {
    const differing = contacts.filter(
      (contact) => contact.properties.createdate !== contact.createdAt,
    );

    expect(differing).toEqual([]);
  });

  it('uses each contact id once', () => {
    const ids = contacts.map((contact) => contact.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds no personal data', () => {
    const personal = contacts.filter((contact) =>
      ['email', 'firstname', 'lastname', 'phone'].some((key) => key in contact.properties),
    );

    expect(personal).toEqual([]);
  });

  it('puts every contact on a configured property', () => {
    const values = new Set(
      config.reports[0]?.properties.map((property) => property.hubspot.contactFilter?.value),
    );

    const homeless = contacts.filter(
      (contact) => !values.has(contact.properties.client_property ?? ''),
    );

    expect(homeless).toEqual([]);
  });

  it('has contacts in the last week', () => {
    const lastWeek = contacts.filter((contact) => contact.weekStart === LAST_WEEK);

    expect(lastWeek.length).toBeGreaterThan(30);
  });
});

describe('sample config', () => {
  const report = config.reports[0];

  it('defines the acme-weekly report', () => {
    expect(report?.id).toBe('acme-weekly');
  });

  it('reports in New York time', () => {
    expect(report?.timeZone).toBe('America/New_York');
  });

  it('sends only to example.com', () => {
    const addresses = [...(report?.recipients ?? []), config.email.sender];

    expect(addresses.every((address) => address.endsWith('@example.com'))).toBe(true);
  });

  it('names the ad accounts of the raw files', () => {
    const configured = report?.properties.map((property) => property.metaAdAccountId).sort();

    const recorded = [...new Set(readPayloads('account.json').map((p) => p.key.account))].sort();

    expect(configured).toEqual(recorded);
  });

  it('gives one property name rules', () => {
    const withRules = report?.properties.filter((property) => property.hubspot.nameRules.length);

    expect(withRules?.map((property) => property.id)).toEqual(['harbor-view']);
  });

  it('points name rules at recorded campaigns', () => {
    const rules = report?.properties.flatMap((property) => property.hubspot.nameRules) ?? [];

    const unknown = rules.filter((rule) => !campaignNames.has(rule.campaignId));

    expect(unknown).toEqual([]);
  });
});

describe('scenarios', () => {
  it('declines the decline campaign by 25 % or more', () => {
    const totals = weeklyTotals(scenarioCampaign('decline')).map((week) => week.leads);
    const before = mean(totals.slice(0, 8));

    expect(totals.at(-1)).toBeLessThanOrEqual(before * 0.75);
  });

  it('falls in each of the last 4 weeks', () => {
    const totals = weeklyTotals(scenarioCampaign('decline')).map((week) => week.leads);
    const last = totals.slice(-5);

    expect(last.every((value, index) => index === 0 || value < (last[index - 1] as number))).toBe(
      true,
    );
  });

  it('has 20 or more leads a week before the decline', () => {
    const totals = weeklyTotals(scenarioCampaign('decline')).map((week) => week.leads);

    expect(Math.min(...totals.slice(0, 8))).toBeGreaterThanOrEqual(20);
  });

  it('keeps the noisy campaign noisy', () => {
    const totals = weeklyTotals(scenarioCampaign('noisy-stable')).map((week) => week.leads);
    const deviation = Math.sqrt(mean(totals.map((value) => (value - mean(totals)) ** 2)));

    expect(deviation / mean(totals)).toBeGreaterThan(0.2);
  });

  it('keeps the noisy campaign stable', () => {
    const totals = weeklyTotals(scenarioCampaign('noisy-stable')).map((week) => week.leads);

    expect(mean(totals.slice(-4)) / mean(totals.slice(0, 8))).toBeGreaterThan(0.85);
  });

  it('spikes once in week 10', () => {
    const totals = weeklyTotals(scenarioCampaign('spike')).map((week) => week.leads);
    const others = totals.filter((_, index) => index !== 9);

    expect(totals[9]).toBeGreaterThan(2 * Math.max(...others));
  });

  it('recovers from the spike', () => {
    const totals = weeklyTotals(scenarioCampaign('spike')).map((week) => week.leads);

    expect(Math.max(...totals.slice(-2))).toBeLessThan(1.5 * mean(totals.slice(0, 9)));
  });

  it.each(scenarioCampaigns('brand'))('records no lead actions for brand campaign %s', (id) => {
    const leadActions = weeklyTotals(id).reduce((sum, week) => sum + week.leadActions, 0);

    expect(leadActions).toBe(0);
  });

  it('runs the brand campaigns for awareness', () => {
    const objectives = new Set(
      rows
        .filter((row) => scenarioCampaigns('brand').includes(row.campaign_id))
        .map((row) => row.objective),
    );

    expect([...objectives]).toEqual(['OUTCOME_AWARENESS']);
  });

  it('has no rows for the stopped campaign in the last 3 weeks', () => {
    const totals = weeklyTotals(scenarioCampaign('stopped')).map((week) => week.rows);

    expect(totals.slice(-3)).toEqual([0, 0, 0]);
  });

  it('has rows for the stopped campaign before', () => {
    const totals = weeklyTotals(scenarioCampaign('stopped')).map((week) => week.rows);

    expect(totals.slice(0, 9).every((count) => count > 0)).toBe(true);
  });

  it('starts the new campaign 5 weeks ago', () => {
    const totals = weeklyTotals(scenarioCampaign('started')).map((week) => week.rows > 0);

    expect(totals).toEqual(WEEK_STARTS.map((_, index) => index >= WEEK_STARTS.length - 5));
  });

  it('drops leads to zero in the last 2 weeks', () => {
    const totals = weeklyTotals(scenarioCampaign('zero-leads'));

    expect(totals.slice(-2).map((week) => week.leads)).toEqual([0, 0]);
  });

  it('keeps spending while leads are zero', () => {
    const totals = weeklyTotals(scenarioCampaign('zero-leads'));

    expect(Math.min(...totals.slice(-2).map((week) => week.spendCents))).toBeGreaterThan(50_000);
  });

  it('has steady leads before they drop to zero', () => {
    const totals = weeklyTotals(scenarioCampaign('zero-leads')).map((week) => week.leads);

    expect(mean(totals.slice(0, 10))).toBeGreaterThan(10);
  });

  it.each(scenarioCampaigns('tiny'))('keeps tiny campaign %s below 7 leads a week', (id) => {
    const totals = weeklyTotals(id).map((week) => week.leads);

    expect(Math.max(...totals)).toBeLessThan(7);
  });

  it('names a campaign with characters that need escaping', () => {
    const name = campaignNames.get(scenarioCampaign('escaping'));

    expect(name).toBe('Spring & Summer <Sale> "VIP"');
  });

  it.each([
    'decline',
    'noisy-stable',
    'spike',
    'brand',
    'stopped',
    'started',
    'zero-leads',
    'tiny',
    'escaping',
    'name-rule',
  ] as ScenarioKey[])('names the %s campaign id in the README', async (key) => {
    const readme = await readFile(join(SAMPLE_DIR, 'README.md'), 'utf8');

    expect(readme).toContain(`| ${key} | \`${scenarioCampaign(key)}\``);
  });
});

type AttributionPath = 'id-property' | 'id-url' | 'name-rule' | 'normalised-name' | 'unattributed';

function attributionPath(
  contact: (typeof contacts)[number],
  settings: AdreportConfig,
): AttributionPath {
  const values = contact.properties;
  if (values.hsa_cam && campaignNames.has(values.hsa_cam)) return 'id-property';
  const url = values.hs_analytics_first_url ? new URL(values.hs_analytics_first_url) : null;
  if (campaignNames.has(url?.searchParams.get('hsa_cam') ?? '')) return 'id-url';
  const names = [values.utm_campaign, values.hs_analytics_source_data_2].filter(
    (value): value is string => Boolean(value),
  );
  const rules = settings.reports.flatMap((report) =>
    report.properties.flatMap((property) => property.hubspot.nameRules),
  );
  if (rules.some((rule) => names.some((name) => new RegExp(rule.pattern, 'i').test(name)))) {
    return 'name-rule';
  }
  const normalised = new Set([...campaignNames.values()].map(normaliseName));
  if (names.some((name) => normalised.has(normaliseName(name)))) return 'normalised-name';

  return 'unattributed';
}

describe('attribution paths', () => {
  const paths = contacts.map((contact) => ({ contact, path: attributionPath(contact, config) }));

  it.each([
    'id-property',
    'id-url',
    'name-rule',
    'normalised-name',
    'unattributed',
  ] as AttributionPath[])('has last-week contacts attributed by %s', (path) => {
    const matching = paths.filter((entry) => entry.path === path);

    expect(
      matching.filter((entry) => entry.contact.weekStart === LAST_WEEK).length,
    ).toBeGreaterThan(0);
  });

  it('has names that match only after normalisation', () => {
    const exactNames = new Set(campaignNames.values());

    const inexact = paths.filter(
      (entry) =>
        entry.path === 'normalised-name' &&
        !exactNames.has(entry.contact.properties.utm_campaign ?? ''),
    );

    expect(inexact.length).toBeGreaterThan(0);
  });

  it('pairs each hsa_grp with its own campaign', () => {
    const adsetCampaigns = new Map(rows.map((row) => [row.adset_id, row.campaign_id]));

    const mismatched = contacts.filter(
      (contact) =>
        contact.properties.hsa_grp &&
        adsetCampaigns.get(contact.properties.hsa_grp) !== contact.properties.hsa_cam,
    );

    expect(mismatched).toEqual([]);
  });

  it('puts id-attributed contacts on the campaign property', () => {
    const accountOf = new Map(
      config.reports[0]?.properties.map((property) => [property.id, property.metaAdAccountId]),
    );
    const accountOfCampaign = new Map(
      readPayloads('insights.json').flatMap((payload) =>
        payload.pages.flatMap((page) =>
          insightsPageSchema.parse(page).data.map((row) => [row.campaign_id, payload.key.account]),
        ),
      ),
    );

    const mismatched = contacts.filter(
      (contact) =>
        contact.properties.hsa_cam &&
        accountOfCampaign.get(contact.properties.hsa_cam) !==
          accountOf.get(contact.properties.client_property ?? ''),
    );

    expect(mismatched).toEqual([]);
  });
});
