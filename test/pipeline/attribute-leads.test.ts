import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PropertyConfig, propertySchema } from '../../src/config/schema.ts';
import {
  type Attribution,
  applyAttribution,
  attributeLeads,
  type CampaignRef,
} from '../../src/pipeline/attribute-leads.ts';
import { ConfigError, InputError } from '../../src/shared/errors.ts';
import { ZERO_METRICS } from '../../src/shared/metrics.ts';
import type { CampaignWeek, RawPayload } from '../../src/shared/types.ts';

const SPRING: CampaignRef = {
  campaignId: '100',
  campaignName: 'Spring Promo',
  propertyId: 'harbor-view',
  adsets: [
    { adsetId: '101', adsetName: 'Students' },
    { adsetId: '102', adsetName: 'Families' },
  ],
};
const FALL: CampaignRef = {
  campaignId: '200',
  campaignName: 'Fall Open House',
  propertyId: 'maple-court',
  adsets: [{ adsetId: '201', adsetName: 'Broad' }],
};
const CAMPAIGNS = [SPRING, FALL];

function property(id: string, hubspot: Record<string, unknown> = {}): PropertyConfig {
  return propertySchema.parse({ id, name: id, metaAdAccountId: 'act_1', hubspot });
}

const PROPERTIES = [
  property('harbor-view', {
    contactFilter: { propertyName: 'client_property', value: 'harbor-view' },
    nameRules: [{ pattern: '^hv[ _-]?students', campaignId: '100', adsetId: '101' }],
  }),
  property('maple-court', {
    contactFilter: { propertyName: 'client_property', value: 'maple-court' },
    nameRules: [{ pattern: 'openhouse', campaignId: '200' }],
  }),
];

function payload(contacts: Array<Record<string, string | null>>): RawPayload {
  return {
    key: {
      source: 'hubspot',
      account: 'acme',
      weekStart: '2026-11-23',
      runId: 'run-1',
      name: 'contacts',
    },
    fetchedAt: '2026-11-30T07:00:00.000Z',
    request: { url: 'http://127.0.0.1/crm/v3/objects/contacts/search', params: {} },
    pages: [
      {
        total: contacts.length,
        results: contacts.map((properties, index) => ({
          id: String(index + 1),
          properties: { createdate: '2026-11-24T09:00:00.000Z', ...properties },
        })),
      },
    ],
  };
}

function attributeOne(properties: Record<string, string | null>, campaigns = CAMPAIGNS) {
  return attributeLeads(payload([properties]), campaigns, PROPERTIES).matches[0];
}

function campaignWeek(ref: CampaignRef, hubspotLeads = 0): CampaignWeek {
  return {
    campaignId: ref.campaignId,
    campaignName: ref.campaignName,
    reportId: 'acme',
    propertyId: ref.propertyId,
    accountId: 'act_1',
    currency: 'USD',
    weekStart: '2026-11-23',
    objective: 'OUTCOME_LEADS',
    isLeadGen: true,
    metrics: { ...ZERO_METRICS, leads: 9, hubspotLeads },
    adsets: ref.adsets.map((adset) => ({ ...adset, metrics: { ...ZERO_METRICS, hubspotLeads } })),
    runId: 'run-1',
    fetchedAt: '2026-11-30T07:00:00.000Z',
  };
}

function countedLeads(attribution: Attribution): number {
  const attributed = [...attribution.byCampaign.values()].reduce((sum, c) => sum + c.total, 0);

  return attributed + attribution.unattributed.total;
}

describe('attributeLeads', () => {
  it.each<{ case: string; properties: Record<string, string> }>([
    { case: 'hsa properties', properties: { hsa_cam: '100', hsa_grp: '102' } },
    {
      case: 'first URL parameters',
      properties: {
        hs_analytics_first_url: 'https://x.example/?utm_campaign=spring&hsa_cam=100&hsa_grp=102',
      },
    },
    { case: 'an ad set id alone', properties: { hsa_grp: '102' } },
    {
      case: 'utm_campaign and utm_content ids',
      properties: { utm_campaign: '100', utm_content: '102' },
    },
    {
      case: 'a utm_id',
      properties: { hs_analytics_first_url: 'https://x.example/?utm_id=100&utm_content=102' },
    },
  ])('matches by id from $case', ({ properties }) => {
    expect(attributeOne(properties)).toEqual({
      contactId: '1',
      method: 'id',
      campaignId: '100',
      adsetId: '102',
      propertyId: 'harbor-view',
    });
  });

  it('drops an ad set of another campaign', () => {
    const match = attributeOne({ hsa_cam: '100', hsa_grp: '201' });

    expect(match).toMatchObject({ method: 'id', campaignId: '100', adsetId: null });
  });

  it('prefers ids over names', () => {
    const match = attributeOne({ hsa_cam: '200', utm_campaign: 'Spring Promo' });

    expect(match).toMatchObject({ method: 'id', campaignId: '200' });
  });

  it('leaves a campaign of another report unattributed', () => {
    const match = attributeOne({
      hsa_cam: '999',
      utm_campaign: 'Spring Promo',
      client_property: 'harbor-view',
    });

    expect(match).toEqual({
      contactId: '1',
      method: 'none',
      campaignId: null,
      adsetId: null,
      propertyId: 'harbor-view',
    });
  });

  it('ignores unfilled id templates', () => {
    const match = attributeOne({ hsa_cam: '{{campaign.id}}', utm_campaign: 'spring-promo' });

    expect(match).toMatchObject({ method: 'name', campaignId: '100' });
  });

  it('matches a name rule case-insensitively', () => {
    const match = attributeOne({
      hs_analytics_source_data_2: 'HV_Students_Q4',
      client_property: 'harbor-view',
    });

    expect(match).toEqual({
      contactId: '1',
      method: 'rule',
      campaignId: '100',
      adsetId: '101',
      propertyId: 'harbor-view',
    });
  });

  it('reads rules over utm_campaign and the latest source', () => {
    const fromUtm = attributeOne({ utm_campaign: 'fb_openhouse', client_property: 'maple-court' });
    const fromLatest = attributeOne({
      hs_latest_source_data_2: 'OpenHouse Nov',
      client_property: 'maple-court',
    });

    expect(fromUtm).toMatchObject({ method: 'rule', campaignId: '200', adsetId: null });
    expect(fromLatest).toMatchObject({ method: 'rule', campaignId: '200' });
  });

  it('skips rules of another property', () => {
    const match = attributeOne({ utm_campaign: 'openhouse', client_property: 'harbor-view' });

    expect(match).toMatchObject({ method: 'none', propertyId: 'harbor-view' });
  });

  it('skips a rule whose campaign did not run', () => {
    const match = attributeOne({ utm_campaign: 'openhouse', client_property: 'maple-court' }, [
      SPRING,
    ]);

    expect(match).toMatchObject({ method: 'none', propertyId: 'maple-court' });
  });

  it.each(['Spring Promo', 'spring-promo', 'SPRING_PROMO', ' spring promo! '])(
    'matches the normalised name "%s"',
    (name) => {
      expect(attributeOne({ hs_analytics_source_data_2: name })).toMatchObject({
        method: 'name',
        campaignId: '100',
        adsetId: null,
      });
    },
  );

  it('skips names shared by two campaigns', () => {
    const twin: CampaignRef = { ...FALL, campaignId: '300', campaignName: 'SPRING-PROMO' };

    const match = attributeOne({ utm_campaign: 'spring promo' }, [SPRING, twin]);

    expect(match).toMatchObject({ method: 'none' });
  });

  it('misses a renamed campaign by name', () => {
    const renamed: CampaignRef = { ...SPRING, campaignName: 'Spring Promo v2' };

    const byName = attributeOne({ hs_analytics_source_data_2: 'Spring Promo' }, [renamed]);
    const byId = attributeOne({ hs_analytics_source_data_2: 'Spring Promo', hsa_cam: '100' }, [
      renamed,
    ]);

    expect(byName).toMatchObject({ method: 'none' });
    expect(byId).toMatchObject({ method: 'id', campaignId: '100' });
  });

  it('counts an offline contact under its property', () => {
    const attribution = attributeLeads(
      payload([
        {
          hs_analytics_source: 'OFFLINE',
          hs_analytics_source_data_1: 'INTEGRATION',
          client_property: 'maple-court',
        },
        { hs_analytics_source: 'OFFLINE', client_property: 'somewhere-else' },
      ]),
      CAMPAIGNS,
      PROPERTIES,
    );

    expect(attribution.unattributed.total).toBe(2);
    expect(attribution.unattributed.byProperty).toEqual(new Map([['maple-court', 1]]));
    expect(attribution.unattributed.unknownProperty).toBe(1);
  });

  it('gives unmatched contacts to a lone unfiltered property', () => {
    const attribution = attributeLeads(payload([{ utm_campaign: 'nothing' }]), CAMPAIGNS, [
      property('only'),
    ]);

    expect(attribution.unattributed.byProperty).toEqual(new Map([['only', 1]]));
  });

  it('counts leads per campaign and ad set', () => {
    const attribution = attributeLeads(
      payload([
        { hsa_cam: '100', hsa_grp: '101' },
        { hsa_grp: '101' },
        { hsa_grp: '102' },
        { utm_campaign: 'spring promo' },
        { hsa_cam: '200' },
        { utm_campaign: 'unknown' },
      ]),
      CAMPAIGNS,
      PROPERTIES,
    );

    expect(attribution.byCampaign.get('100')).toEqual({
      total: 4,
      byAdset: new Map([
        ['101', 2],
        ['102', 1],
      ]),
      noAdset: 1,
    });
    expect(attribution.byCampaign.get('200')).toEqual({ total: 1, byAdset: new Map(), noAdset: 1 });
    expect(attribution.unattributed.total).toBe(1);
    expect(attribution.matches).toHaveLength(6);
  });

  it('finishes a rule that backtracks in JavaScript', () => {
    const alternation = [
      property('harbor-view', { nameRules: [{ pattern: '^(a|a)+$', campaignId: '100' }] }),
    ];
    const contacts = [{ utm_campaign: `${'a'.repeat(34)}!` }, { utm_campaign: 'a'.repeat(34) }];

    const matches = attributeLeads(payload(contacts), CAMPAIGNS, alternation).matches;

    expect(matches[0]).toMatchObject({ method: 'none', propertyId: 'harbor-view' });
    expect(matches[1]).toMatchObject({ method: 'rule', campaignId: '100' });
  });

  it('throws a ConfigError for a bad rule', () => {
    const broken = [property('harbor-view', { nameRules: [{ pattern: '[', campaignId: '100' }] })];

    const attribute = () => attributeLeads(payload([]), CAMPAIGNS, broken);

    expect(attribute).toThrow(ConfigError);
    expect(attribute).toThrow(/harbor-view\.hubspot\.nameRules\[0\]/);
  });

  it('counts every contact exactly once', () => {
    const value = fc.option(
      fc.constantFrom('100', '101', '102', '200', '201', '999', 'Spring Promo', 'openhouse', 'x'),
      { nil: null },
    );
    const contact = fc.record({
      hsa_cam: value,
      hsa_grp: value,
      utm_campaign: value,
      utm_content: value,
      hs_analytics_source_data_2: value,
      client_property: fc.option(fc.constantFrom('harbor-view', 'maple-court', 'other'), {
        nil: null,
      }),
    });

    fc.assert(
      fc.property(fc.array(contact, { maxLength: 40 }), (contacts) => {
        const attribution = attributeLeads(payload(contacts), CAMPAIGNS, PROPERTIES);

        expect(countedLeads(attribution)).toBe(contacts.length);
        expect(attribution.matches).toHaveLength(contacts.length);
      }),
    );
  });

  it('counts every sample contact', async () => {
    const path = 'sample-data/raw/hubspot/acme-weekly/2026-11-23/contacts.json';
    const sample = JSON.parse(await readFile(path, 'utf8')) as RawPayload;
    const total = (sample.pages[0] as { total: number }).total;

    const attribution = attributeLeads(sample, CAMPAIGNS, PROPERTIES);

    expect(countedLeads(attribution)).toBe(total);
  });
});

describe('applyAttribution', () => {
  const attribution = attributeLeads(
    payload([
      { hsa_grp: '101' },
      { hsa_grp: '101' },
      { hsa_grp: '102' },
      { utm_campaign: 'Spring Promo' },
    ]),
    CAMPAIGNS,
    PROPERTIES,
  );

  it('sets leads on campaigns and ad sets', () => {
    const [spring, fall] = applyAttribution(
      [campaignWeek(SPRING), campaignWeek(FALL, 5)],
      attribution,
    );

    expect(spring?.metrics.hubspotLeads).toBe(4);
    expect(spring?.adsets.map((adset) => adset.metrics.hubspotLeads)).toEqual([2, 1]);
    expect(fall?.metrics.hubspotLeads).toBe(0);
    expect(fall?.adsets[0]?.metrics.hubspotLeads).toBe(0);
  });

  it('totals equal the attributed matches', () => {
    const weeks = applyAttribution([campaignWeek(SPRING), campaignWeek(FALL)], attribution);

    const total = weeks.reduce((sum, week) => sum + week.metrics.hubspotLeads, 0);
    const matched = attribution.matches.filter((match) => match.campaignId !== null).length;
    expect(total).toBe(matched);
  });

  it('leaves the input unchanged', () => {
    const input = campaignWeek(SPRING);

    applyAttribution([input], attribution);

    expect(input.metrics.hubspotLeads).toBe(0);
    expect(input.adsets[0]?.metrics.hubspotLeads).toBe(0);
  });

  it('keeps the other metrics', () => {
    const [spring] = applyAttribution([campaignWeek(SPRING)], attribution);

    expect(spring?.metrics.leads).toBe(9);
  });

  it('throws for a campaign given twice', () => {
    const apply = () => applyAttribution([campaignWeek(SPRING), campaignWeek(SPRING)], attribution);

    expect(apply).toThrow(InputError);
  });
});
