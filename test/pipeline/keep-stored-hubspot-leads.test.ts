import { describe, expect, it } from 'vitest';
import {
  keepStoredHubSpotLeads,
  weeksMissingHubSpot,
} from '../../src/pipeline/keep-stored-hubspot-leads.ts';
import { type StoredWeeks, weekKey } from '../../src/pipeline/read-stored-weeks.ts';
import { addWeeks, campaignWeek, metrics, propertyWeek } from '../storage/builders.ts';

const REPORT = '2026-11-23';
const WEEKS = [-3, -2, -1, 0].map((offset) => {
  const start = addWeeks(REPORT, offset);

  return { start, end: start };
});

describe('weeksMissingHubSpot', () => {
  it('returns every week on a new store', () => {
    const weeks = weeksMissingHubSpot([], { propertyIds: ['p1'], weeks: WEEKS });

    expect(weeks).toEqual(WEEKS);
  });

  it('returns the report week once earlier weeks are counted', () => {
    const stored = WEEKS.slice(0, 3).map((week) =>
      propertyWeek({ propertyId: 'p1', weekStart: week.start, hubspotCounted: true }),
    );

    const weeks = weeksMissingHubSpot(stored, { propertyIds: ['p1'], weeks: WEEKS });

    expect(weeks.map((week) => week.start)).toEqual([REPORT]);
  });

  it('counts weeks stored before the flag existed', () => {
    const stored = WEEKS.slice(0, 3).map((week) =>
      propertyWeek({ propertyId: 'p1', weekStart: week.start }),
    );

    const weeks = weeksMissingHubSpot(stored, { propertyIds: ['p1'], weeks: WEEKS });

    expect(weeks.map((week) => week.start)).toEqual([REPORT]);
  });

  it('returns a week whose search failed', () => {
    const stored = WEEKS.slice(0, 3).map((week, index) =>
      propertyWeek({ propertyId: 'p1', weekStart: week.start, hubspotCounted: index !== 1 }),
    );

    const weeks = weeksMissingHubSpot(stored, { propertyIds: ['p1'], weeks: WEEKS });

    expect(weeks.map((week) => week.start)).toEqual([addWeeks(REPORT, -2), REPORT]);
  });

  it('returns a week one property lacks', () => {
    const stored = WEEKS.slice(0, 3).map((week) =>
      propertyWeek({ propertyId: 'p1', weekStart: week.start }),
    );

    const weeks = weeksMissingHubSpot(stored, { propertyIds: ['p1', 'p2'], weeks: WEEKS });

    expect(weeks).toEqual(WEEKS);
  });

  describe('with earlier weeks', () => {
    const HISTORY = [-11, -10, -9, -8, -7, -6, -5, -4].map((offset) => {
      const start = addWeeks(REPORT, offset);

      return { start, end: start };
    });
    const counted = WEEKS.slice(0, 3).map((week) =>
      propertyWeek({ propertyId: 'p1', weekStart: week.start }),
    );
    const uncounted = [-9, -6, -5].map((offset) =>
      propertyWeek({
        propertyId: 'p1',
        weekStart: addWeeks(REPORT, offset),
        hubspotCounted: false,
      }),
    );

    it('adds the newest uncounted earlier weeks', () => {
      const weeks = weeksMissingHubSpot([...counted, ...uncounted], {
        propertyIds: ['p1'],
        weeks: WEEKS,
        earlierWeeks: [...HISTORY, ...WEEKS],
        maxEarlierWeeks: 2,
      });

      expect(weeks.map((week) => week.start)).toEqual([
        addWeeks(REPORT, -6),
        addWeeks(REPORT, -5),
        REPORT,
      ]);
    });

    it('adds no earlier week by default', () => {
      const weeks = weeksMissingHubSpot([...counted, ...uncounted], {
        propertyIds: ['p1'],
        weeks: WEEKS,
        earlierWeeks: HISTORY,
      });

      expect(weeks.map((week) => week.start)).toEqual([REPORT]);
    });

    it('keeps fetched weeks out of the bound', () => {
      const missing = [
        ...uncounted,
        propertyWeek({ propertyId: 'p1', weekStart: WEEKS[0]?.start, hubspotCounted: false }),
      ];

      const weeks = weeksMissingHubSpot(missing, {
        propertyIds: ['p1'],
        weeks: WEEKS,
        earlierWeeks: [...HISTORY, ...WEEKS],
        maxEarlierWeeks: 1,
      });

      expect(weeks.map((week) => week.start)).toEqual([
        addWeeks(REPORT, -5),
        WEEKS[0]?.start,
        WEEKS[1]?.start,
        WEEKS[2]?.start,
        REPORT,
      ]);
    });
  });
});

describe('keepStoredHubSpotLeads', () => {
  const earlier = addWeeks(REPORT, -1);

  function stored(hubspotCounted?: boolean): StoredWeeks {
    const campaign = campaignWeek({
      campaignId: 'c1',
      weekStart: earlier,
      metrics: metrics({ hubspotLeads: 4 }),
      hubspotCounted,
    });
    const property = propertyWeek({
      propertyId: 'p1',
      weekStart: earlier,
      metrics: metrics({ hubspotLeads: 6 }),
      hubspotCounted,
    });

    return {
      campaigns: new Map([[weekKey('c1', earlier), campaign]]),
      properties: new Map([[weekKey('p1', earlier), property]]),
      listed: new Set(),
    };
  }

  const fetched = {
    campaignWeeks: [campaignWeek({ campaignId: 'c1', weekStart: earlier, hubspotCounted: false })],
    propertyWeeks: [propertyWeek({ propertyId: 'p1', weekStart: earlier, hubspotCounted: false })],
  };

  it('copies the stored counts of a week without contacts', () => {
    const weeks = keepStoredHubSpotLeads(stored(true), fetched, new Set([REPORT]));

    expect(weeks.campaignWeeks[0]?.metrics.hubspotLeads).toBe(4);
    expect(weeks.propertyWeeks[0]?.metrics.hubspotLeads).toBe(6);
    expect(weeks.propertyWeeks[0]?.hubspotCounted).toBe(true);
  });

  it('keeps a week uncounted when its stored copy was', () => {
    const weeks = keepStoredHubSpotLeads(stored(false), fetched, new Set([REPORT]));

    expect(weeks.campaignWeeks[0]?.hubspotCounted).toBe(false);
    expect(weeks.propertyWeeks[0]?.hubspotCounted).toBe(false);
  });

  it('leaves a week with contacts as fetched', () => {
    const weeks = keepStoredHubSpotLeads(stored(true), fetched, new Set([earlier]));

    expect(weeks).toEqual(fetched);
  });
});
