import { addMetrics, ZERO_METRICS } from '../shared/metrics.ts';
import type { AllTimeTotals, Metrics, PropertyWeek } from '../shared/types.ts';

/**
 * Weeks whose contributions stay open to restatement. Meta restates conversions for up to 28
 * days, so six weeks leave a margin over the four-week re-fetch window.
 */
export const OPEN_WEEKS = 6;

/**
 * All-time state of one property, stored as one item. `frozen` contains the totals of weeks that
 * left the open window, `open` the current contribution of each recent week, so re-applying an
 * open week replaces its contribution instead of adding it twice.
 */
export interface AllTimeState {
  propertyId: string;
  frozen: Metrics;
  frozenWeeks: string[];
  open: Record<string, Metrics>;
  /** Frozen weeks whose HubSpot leads were counted after they froze and added to `frozen`. */
  hubspotFilledWeeks?: string[];
  version: number;
}

export type ApplyOutcome = 'applied' | 'frozen_unchanged';

export function emptyAllTimeState(propertyId: string): AllTimeState {
  return { propertyId, frozen: { ...ZERO_METRICS }, frozenWeeks: [], open: {}, version: 0 };
}

/**
 * Applies one property-week to the state and returns the new state. A week already frozen keeps
 * its frozen contribution (outcome `frozen_unchanged`), because its old value is no longer known.
 */
export function applyWeek(
  state: AllTimeState,
  week: PropertyWeek,
): { state: AllTimeState; outcome: ApplyOutcome } {
  if (state.frozenWeeks.includes(week.weekStart)) return { state, outcome: 'frozen_unchanged' };
  const next: AllTimeState = {
    ...state,
    frozen: { ...state.frozen },
    frozenWeeks: [...state.frozenWeeks],
    open: { ...state.open, [week.weekStart]: { ...week.metrics } },
    version: state.version + 1,
  };
  const openWeeks = Object.keys(next.open).sort();
  for (const weekStart of openWeeks.slice(0, Math.max(0, openWeeks.length - OPEN_WEEKS))) {
    next.frozen = addMetrics(next.frozen, next.open[weekStart] as Metrics);
    next.frozenWeeks.push(weekStart);
    delete next.open[weekStart];
  }
  next.frozenWeeks.sort();

  return { state: next, outcome: 'applied' };
}

/** Returns the all-time totals: the frozen totals plus every open week. */
export function totalsOf(state: AllTimeState): AllTimeTotals {
  const openWeeks = Object.keys(state.open);
  const weeks = [...state.frozenWeeks, ...openWeeks].sort();

  return {
    propertyId: state.propertyId,
    metrics: addMetrics(
      state.frozen,
      ...openWeeks.map((weekStart) => state.open[weekStart] as Metrics),
    ),
    firstWeek: weeks[0] ?? null,
    lastWeek: weeks.at(-1) ?? null,
    weekCount: weeks.length,
  };
}

/**
 * Applies a week whose HubSpot leads were counted after it was stored. An open week is replaced
 * whole as in `applyWeek`. For a frozen week only the HubSpot leads changed, so the difference is
 * added to the frozen totals, once per week as recorded in `hubspotFilledWeeks`.
 */
export function applyFilledHubspotLeads(
  state: AllTimeState,
  week: PropertyWeek,
  previousHubspotLeads: number,
): { state: AllTimeState; outcome: ApplyOutcome } {
  if (!state.frozenWeeks.includes(week.weekStart)) return applyWeek(state, week);
  const filledWeeks = state.hubspotFilledWeeks ?? [];
  if (filledWeeks.includes(week.weekStart)) return { state, outcome: 'frozen_unchanged' };
  const added = week.metrics.hubspotLeads - previousHubspotLeads;
  const next: AllTimeState = {
    ...state,
    frozen: { ...state.frozen, hubspotLeads: Math.max(0, state.frozen.hubspotLeads + added) },
    hubspotFilledWeeks: [...filledWeeks, week.weekStart].sort(),
    version: state.version + 1,
  };

  return { state: next, outcome: 'applied' };
}
