/**
 * The lead rule: a row counts exactly one lead action type, never a sum of overlapping types.
 * Meta's `lead` already includes website (pixel) leads and on-Facebook (form) leads, so adding
 * `lead` to its components counts the same people two or three times.
 */

/** Meta's roll-up of all on-Facebook and website leads, and the default configured type. */
export const DEFAULT_LEAD_ACTION_TYPE = 'lead';

/** Cross-channel roll-up, used when a row has no `lead`. */
const OMNI_LEAD = 'omni_lead';

/** Disjoint parts of `lead`: on-Facebook leads (forms, Messenger) and Meta Pixel website leads. */
export const LEAD_COMPONENT_TYPES = [
  'onsite_conversion.lead_grouped',
  'offsite_conversion.fb_pixel_lead',
] as const;

/**
 * Returns the action types that `leadActionType` reads, in order of preference. `leadCount`
 * needs only these, so a row is validated on them and not on unrelated action types.
 */
export function leadSourceTypes(leadActionType: string): string[] {
  if (leadActionType !== DEFAULT_LEAD_ACTION_TYPE) return [leadActionType];

  return [DEFAULT_LEAD_ACTION_TYPE, OMNI_LEAD, ...LEAD_COMPONENT_TYPES];
}

/**
 * Counts the leads of one row from its action counts. With the default type `lead` it takes
 * `lead`, else `omni_lead`, else the sum of the two disjoint components (0 when all are absent).
 * Any other configured type is taken as is. Types that merely contain "lead" never count.
 */
export function leadCount(actions: ReadonlyMap<string, number>, leadActionType: string): number {
  if (leadActionType !== DEFAULT_LEAD_ACTION_TYPE) return actions.get(leadActionType) ?? 0;

  const rollUp = actions.get(DEFAULT_LEAD_ACTION_TYPE) ?? actions.get(OMNI_LEAD);
  if (rollUp !== undefined) return rollUp;

  return LEAD_COMPONENT_TYPES.reduce((sum, type) => sum + (actions.get(type) ?? 0), 0);
}
