import { describe, expect, it } from 'vitest';
import {
  adParameter,
  campaignNameValues,
  firstUrlParams,
  isMetaId,
  normaliseCampaignName,
} from '../../../src/sources/hubspot/contact-fields.ts';

const URL_WITH_IDS =
  'https://example.com/tour?utm_campaign=SL+%7C+Leads&utm_content=Broad&hsa_cam=120213007000000000&hsa_grp=120213007000000002#form';

describe('firstUrlParams', () => {
  it('reads query parameters of the first URL', () => {
    const params = firstUrlParams({ hs_analytics_first_url: URL_WITH_IDS });

    expect(params.get('utm_campaign')).toBe('SL | Leads');
    expect(params.get('hsa_grp')).toBe('120213007000000002');
  });

  it.each([null, '', 'https://example.com/no-query', 'not a url'])(
    'returns nothing for %s',
    (url) => {
      expect([...firstUrlParams({ hs_analytics_first_url: url }).keys()]).toEqual([]);
    },
  );
});

describe('adParameter', () => {
  it('prefers the custom property', () => {
    const properties = { hsa_cam: '111', hs_analytics_first_url: URL_WITH_IDS };

    expect(adParameter(properties, firstUrlParams(properties), 'hsa_cam')).toBe('111');
  });

  it('falls back to the first URL', () => {
    const properties = { hsa_cam: '  ', hs_analytics_first_url: URL_WITH_IDS };

    expect(adParameter(properties, firstUrlParams(properties), 'hsa_cam')).toBe(
      '120213007000000000',
    );
  });

  it('returns null when neither has it', () => {
    expect(adParameter({}, new URLSearchParams(), 'hsa_cam')).toBeNull();
  });
});

describe('isMetaId', () => {
  it.each([
    { value: '120213007000000000', expected: true },
    { value: '{{campaign.id}}', expected: false },
    { value: 'spring promo', expected: false },
    { value: '', expected: false },
    { value: null, expected: false },
  ])('returns $expected for $value', ({ value, expected }) => {
    expect(isMetaId(value)).toBe(expected);
  });
});

describe('campaignNameValues', () => {
  it('lists the name fields in order', () => {
    const properties = {
      hs_analytics_source_data_2: 'first',
      utm_campaign: ' second ',
      hs_latest_source_data_2: null,
      hs_analytics_first_url: 'https://example.com/?utm_campaign=third',
    };

    expect(campaignNameValues(properties, firstUrlParams(properties))).toEqual([
      'first',
      'second',
      'third',
    ]);
  });

  it('cuts long values to 500 characters', () => {
    const [value] = campaignNameValues({ utm_campaign: 'x'.repeat(10_000) }, new URLSearchParams());

    expect(value).toHaveLength(500);
  });
});

describe('normaliseCampaignName', () => {
  it.each([
    'Spring Promo',
    'spring-promo',
    'SPRING_PROMO',
    '  spring  /  promo! ',
    'Ｓｐｒｉｎｇ Promo',
  ])('normalises "%s" to "spring promo"', (name) => {
    expect(normaliseCampaignName(name)).toBe('spring promo');
  });

  it('keeps letters beyond ASCII', () => {
    expect(normaliseCampaignName('Café — Été 2026')).toBe('café été 2026');
  });
});
