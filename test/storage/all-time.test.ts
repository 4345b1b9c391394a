import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyFilledHubspotLeads,
  applyWeek,
  emptyAllTimeState,
  OPEN_WEEKS,
  totalsOf,
} from '../../src/storage/all-time.ts';
import { addWeeks, metrics, propertyWeek } from './builders.ts';

function applyAll(leadsByOffset: Array<[number, number]>) {
  let state = emptyAllTimeState('riverside');
  for (const [offset, leads] of leadsByOffset) {
    state = applyWeek(
      state,
      propertyWeek({ weekStart: addWeeks('2026-01-05', offset), metrics: metrics({ leads }) }),
    ).state;
  }

  return state;
}

describe('applyWeek', () => {
  it('keeps the last six weeks open', () => {
    const state = applyAll([0, 1, 2, 3, 4, 5, 6, 7].map((offset) => [offset, 1]));

    expect(Object.keys(state.open)).toHaveLength(OPEN_WEEKS);
    expect(state.frozenWeeks).toEqual(['2026-01-05', '2026-01-12']);
  });

  it('replaces an open week', () => {
    const state = applyAll([
      [0, 3],
      [1, 4],
      [0, 10],
    ]);

    expect(totalsOf(state).metrics.leads).toBe(14);
  });

  it('leaves a frozen week unchanged', () => {
    const state = applyAll([0, 1, 2, 3, 4, 5, 6].map((offset) => [offset, 1]));

    const { state: next, outcome } = applyWeek(
      state,
      propertyWeek({ weekStart: '2026-01-05', metrics: metrics({ leads: 99 }) }),
    );

    expect(outcome).toBe('frozen_unchanged');
    expect(totalsOf(next).metrics.leads).toBe(7);
  });

  it('freezes a backfilled week older than the window', () => {
    const state = applyAll([10, 11, 12, 13, 14, 15, 0].map((offset) => [offset, 1]));

    expect(totalsOf(state)).toMatchObject({
      weekCount: 7,
      firstWeek: '2026-01-05',
      metrics: metrics({ leads: 7 }),
    });
  });

  it('bumps the version on each change', () => {
    const state = applyAll([
      [0, 1],
      [1, 1],
    ]);

    expect(state.version).toBe(2);
  });

  it('gives each week its last value when applied in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1_000 })), {
          maxLength: 20,
        }),
        (updates) => {
          // Weeks 0-3 always stay inside the six open weeks, so every update replaces the last one.
          const expected = new Map<number, number>();
          for (const [offset, leads] of updates) expected.set(offset, leads);

          const totals = totalsOf(applyAll(updates));

          expect(totals.metrics.leads).toBe([...expected.values()].reduce((a, b) => a + b, 0));
          expect(totals.weekCount).toBe(expected.size);
        },
      ),
    );
  });
});

describe('totalsOf', () => {
  it('returns empty totals for a new state', () => {
    const totals = totalsOf(emptyAllTimeState('riverside'));

    expect(totals).toEqual({
      propertyId: 'riverside',
      metrics: metrics(),
      firstWeek: null,
      lastWeek: null,
      weekCount: 0,
    });
  });
});

describe('applyFilledHubspotLeads', () => {
  /** Eight weeks of one lead and no HubSpot count, so the first two are frozen. */
  const eightWeeks = () => applyAll([0, 1, 2, 3, 4, 5, 6, 7].map((offset) => [offset, 1]));
  const filledWeek = (weekStart: string, hubspotLeads: number) =>
    propertyWeek({ weekStart, metrics: metrics({ leads: 1, hubspotLeads }) });

  it('adds the leads of a frozen week', () => {
    const { state, outcome } = applyFilledHubspotLeads(
      eightWeeks(),
      filledWeek('2026-01-05', 4),
      0,
    );

    expect(outcome).toBe('applied');
    expect(totalsOf(state).metrics.hubspotLeads).toBe(4);
    expect(totalsOf(state).metrics.leads).toBe(8);
  });

  it('adds a frozen week only once', () => {
    const once = applyFilledHubspotLeads(eightWeeks(), filledWeek('2026-01-05', 4), 0).state;

    const { state, outcome } = applyFilledHubspotLeads(once, filledWeek('2026-01-05', 4), 0);

    expect(outcome).toBe('frozen_unchanged');
    expect(totalsOf(state).metrics.hubspotLeads).toBe(4);
  });

  it('adds only the difference', () => {
    const { state } = applyFilledHubspotLeads(eightWeeks(), filledWeek('2026-01-12', 9), 2);

    expect(state.frozen.hubspotLeads).toBe(7);
  });

  it('replaces an open week whole', () => {
    const { state } = applyFilledHubspotLeads(eightWeeks(), filledWeek('2026-02-23', 5), 0);

    expect(totalsOf(state).metrics.hubspotLeads).toBe(5);
    expect(state.hubspotFilledWeeks).toBeUndefined();
  });
});
