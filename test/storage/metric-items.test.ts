import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/shared/errors.ts';
import {
  fromCampaignItem,
  toCampaignItem,
  validateCampaignWeek,
  validatePropertyWeek,
} from '../../src/storage/metric-items.ts';
import { campaignWeek, metrics, propertyWeek } from './builders.ts';

describe('toCampaignItem', () => {
  it('adds the keys and the index attribute', () => {
    const item = toCampaignItem(
      campaignWeek({ campaignId: '42', propertyId: 'riverside' }),
      '2026-11-30T07:00:00.000Z',
    );

    expect([item.campaign_id, item.week_start_date, item.property_week]).toEqual([
      '42',
      '2026-11-23',
      'riverside#2026-11-23',
    ]);
  });

  it('reads back into the same campaign-week', () => {
    const week = campaignWeek();

    expect(fromCampaignItem(toCampaignItem(week, '2026-11-30T07:00:00.000Z'))).toEqual(week);
  });
});

describe('validateCampaignWeek', () => {
  it.each([
    {
      case: 'NaN spend',
      week: campaignWeek({ metrics: metrics({ spendMinor: Number.NaN }) }),
      field: 'metrics.spendMinor',
    },
    {
      case: 'negative leads',
      week: campaignWeek({ metrics: metrics({ leads: -2 }) }),
      field: 'metrics.leads',
    },
    {
      case: 'missing metrics',
      week: campaignWeek({ metrics: undefined as never }),
      field: 'metrics',
    },
    { case: 'a Sunday', week: campaignWeek({ weekStart: '2026-11-29' }), field: 'weekStart' },
    { case: 'a bad date', week: campaignWeek({ weekStart: '2026-13-02' }), field: 'weekStart' },
    { case: 'an id with #', week: campaignWeek({ campaignId: 'property#x' }), field: 'campaignId' },
    { case: 'an empty property', week: campaignWeek({ propertyId: '' }), field: 'propertyId' },
    {
      case: 'Infinity in an ad set',
      week: campaignWeek({
        adsets: [
          { adsetId: '7', adsetName: 'A', metrics: metrics({ clicks: Number.POSITIVE_INFINITY }) },
        ],
      }),
      field: 'adsets[0].metrics.clicks',
    },
  ])('rejects $case', ({ week, field }) => {
    const error = (() => {
      try {
        validateCampaignWeek(week);
        return null;
      } catch (e) {
        return e as StoreError;
      }
    })();

    expect(error).toBeInstanceOf(StoreError);
    expect(error?.message).toContain(`Invalid ${field} of campaign`);
  });

  it('accepts a valid week', () => {
    expect(() => validateCampaignWeek(campaignWeek())).not.toThrow();
  });
});

describe('validatePropertyWeek', () => {
  it.each([
    { case: 'fractional campaign count', week: propertyWeek({ campaignCount: 1.5 }) },
    { case: 'negative unattributed leads', week: propertyWeek({ unattributedHubspotLeads: -1 }) },
    {
      case: 'Infinity impressions',
      week: propertyWeek({ metrics: metrics({ impressions: Number.POSITIVE_INFINITY }) }),
    },
  ])('rejects $case', ({ week }) => {
    expect(() => validatePropertyWeek(week)).toThrow(StoreError);
  });
});
