import { describe, expect, it } from 'vitest';
import { editDistance, matchCampaign } from '../../../src/bot/trend/match-campaign.ts';
import type { CatalogEntry } from '../../../src/storage/metrics-store.ts';

function entry(campaignId: string, campaignName: string, lastWeek = '2026-11-23'): CatalogEntry {
  return { campaignId, campaignName, propertyId: 'main', lastWeek };
}

const CATALOG = [
  entry('101', 'Spring Sale – Retargeting'),
  entry('102', 'Spring Sale – Prospecting', '2026-11-16'),
  entry('103', 'Winter Leads'),
  entry('104', 'Café Été 🚀'),
  entry('105', 'Spring'),
];

describe('matchCampaign', () => {
  it.each([
    { query: '103', id: '103' },
    { query: 'winter leads', id: '103' },
    { query: 'WINTER', id: '103' },
    { query: 'spring', id: '105' },
    { query: 'café été', id: '104' },
    { query: 'CAFÉ', id: '104' },
    { query: '  winter   leads ', id: '103' },
  ])('finds one campaign for "$query"', ({ query, id }) => {
    const match = matchCampaign(query, CATALOG);

    expect(match).toMatchObject({ kind: 'one', entry: { campaignId: id } });
  });

  it('lists several substring matches, latest first', () => {
    const match = matchCampaign('spring sale', CATALOG);

    expect(match.kind).toBe('many');
    expect(match.kind === 'many' && match.entries.map((item) => item.campaignId)).toEqual([
      '101',
      '102',
    ]);
  });

  it('suggests the closest names for no match', () => {
    const match = matchCampaign('Wintr Leds', CATALOG);

    expect(match).toMatchObject({ kind: 'none', suggestions: [{ campaignId: '103' }, {}, {}] });
  });

  it('caps the list of many matches', () => {
    const many = Array.from({ length: 30 }, (_, index) =>
      entry(String(200 + index), `Promo ${index}`),
    );

    const match = matchCampaign('promo', many);

    expect(match).toMatchObject({ kind: 'many', total: 30 });
    expect(match.kind === 'many' ? match.entries : []).toHaveLength(10);
  });

  it('treats regex characters literally', () => {
    const match = matchCampaign('.*', CATALOG);

    expect(match.kind).toBe('none');
  });
});

describe('editDistance', () => {
  it.each([
    { a: '', b: '', distance: 0 },
    { a: 'abc', b: '', distance: 3 },
    { a: 'kitten', b: 'sitting', distance: 3 },
    { a: '🚀a', b: 'a', distance: 1 },
  ])('returns $distance for "$a" and "$b"', ({ a, b, distance }) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
