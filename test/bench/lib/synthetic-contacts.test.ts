import { describe, expect, it } from 'vitest';
import { contactsFor } from '../../../bench/lib/synthetic-contacts.ts';
import {
  adsetWeekFigures,
  buildCampaigns,
  type SyntheticShape,
} from '../../../bench/lib/synthetic-data.ts';

const SHAPE: SyntheticShape = { campaigns: 40, adsetsPerCampaign: 5, properties: 4, seed: 7 };
const WEEK = { start: '2026-11-23', end: '2026-11-29' };

describe('contactsFor', () => {
  const campaigns = buildCampaigns(SHAPE);
  const week = { start: WEEK.start, offset: 0 };

  it('creates every contact inside the week in the report time zone', () => {
    const contacts = contactsFor(SHAPE.seed, campaigns, week, 'America/New_York');

    const outside = contacts.filter((contact) => {
      const at = Date.parse(contact.properties.createdate ?? '');
      return at < Date.parse('2026-11-23T05:00:00Z') || at >= Date.parse('2026-11-30T05:00:00Z');
    });

    expect(contacts.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });

  it('gives every contact a unique id', () => {
    const contacts = [-1, 0].flatMap((offset) =>
      contactsFor(SHAPE.seed, campaigns, { start: WEEK.start, offset }, 'America/New_York'),
    );

    const ids = new Set(contacts.map((contact) => contact.id));

    expect(ids.size).toBe(contacts.length);
  });

  it('creates about half as many paid-social contacts as Meta leads', () => {
    const metaLeads = campaigns
      .flatMap((c) => c.adsets.map((_, j) => adsetWeekFigures(SHAPE.seed, c, j, 0)?.leads ?? 0))
      .reduce((sum, value) => sum + value, 0);

    const paid = contactsFor(SHAPE.seed, campaigns, week, 'America/New_York').filter(
      (contact) => contact.properties.hs_analytics_source === 'PAID_SOCIAL',
    );

    expect(paid.length).toBeGreaterThan(metaLeads * 0.4);
    expect(paid.length).toBeLessThan(metaLeads * 0.6);
  });

  it('carries campaign and ad set ids in most first page URLs', () => {
    const contacts = contactsFor(SHAPE.seed, campaigns, week, 'America/New_York');

    const withIds = contacts.filter((c) =>
      c.properties.hs_analytics_first_url?.includes('hsa_grp='),
    );

    expect(withIds.length).toBeGreaterThan(contacts.length * 0.7);
    expect(withIds.length).toBeLessThan(contacts.length);
  });
});
