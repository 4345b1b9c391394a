import { describe, expect, it } from 'vitest';
import { leadCount, leadSourceTypes } from '../../../src/sources/meta/lead-rule.ts';

function actions(values: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(values));
}

describe('leadCount', () => {
  it.each<{ case: string; values: Record<string, number>; expected: number }>([
    {
      case: 'lead only, never its components',
      values: {
        lead: 5,
        'offsite_conversion.fb_pixel_lead': 3,
        'onsite_conversion.lead_grouped': 2,
      },
      expected: 5,
    },
    { case: 'lead over omni_lead', values: { lead: 5, omni_lead: 9 }, expected: 5 },
    {
      case: 'omni_lead without lead',
      values: { omni_lead: 9, 'onsite_conversion.lead_grouped': 2 },
      expected: 9,
    },
    {
      case: 'the component sum without roll-ups',
      values: { 'offsite_conversion.fb_pixel_lead': 3, 'onsite_conversion.lead_grouped': 2 },
      expected: 5,
    },
    { case: 'one component alone', values: { 'onsite_conversion.lead_grouped': 2 }, expected: 2 },
    { case: 'zero without lead actions', values: { landing_page_view: 40 }, expected: 0 },
    {
      case: 'a zero lead over components',
      values: { lead: 0, 'onsite_conversion.lead_grouped': 2 },
      expected: 0,
    },
    {
      case: 'no custom type containing lead',
      values: { offsite_content_view_add_meta_leads: 7 },
      expected: 0,
    },
  ])('counts $case', ({ values, expected }) => {
    expect(leadCount(actions(values), 'lead')).toBe(expected);
  });

  it('counts exactly a configured type', () => {
    const values = actions({ lead: 5, 'offsite_conversion.fb_pixel_lead': 3 });

    expect(leadCount(values, 'offsite_conversion.fb_pixel_lead')).toBe(3);
  });

  it('counts zero when the configured type is absent', () => {
    expect(leadCount(actions({ lead: 5 }), 'onsite_conversion.lead_grouped')).toBe(0);
  });
});

describe('leadSourceTypes', () => {
  it('lists the roll-ups and components for lead', () => {
    expect(leadSourceTypes('lead')).toEqual([
      'lead',
      'omni_lead',
      'onsite_conversion.lead_grouped',
      'offsite_conversion.fb_pixel_lead',
    ]);
  });

  it('lists only a configured type', () => {
    expect(leadSourceTypes('omni_lead')).toEqual(['omni_lead']);
  });
});
