/**
 * Top-level areas of the IANA time zone database, lowercase. Other ids, such as `US/Eastern`, `EST5EDT` or
 * `Cuba`, are backward-compatibility links that the database keeps only for old systems.
 */
const IANA_AREAS = new Set(
  ['Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe']
    .concat(['Indian', 'Pacific'])
    .map((area) => area.toLowerCase()),
);

/**
 * Region ids for the fixed-offset US zones. ICU resolves `EST` to America/Panama, which is right
 * for the offset but wrong for readers who expect daylight saving time.
 */
const FIXED_OFFSET_REPLACEMENTS: Record<string, string> = {
  EST: 'America/New_York',
  MST: 'America/Denver',
  HST: 'Pacific/Honolulu',
};

/** Result of checking one time zone id, either the id to use or the problem and its fix. */
export type TimeZoneCheck = { zone: string } | { problem: string; fix: string };

/**
 * Checks a time zone id and returns it with the capitals of the IANA database, so
 * `america/new_york` becomes `America/New_York`. Rejects ids that Intl does not know, fixed
 * offsets (`EST`, `Etc/GMT+5`) and deprecated links (`US/Eastern`), naming a region id to use.
 * `UTC` and its aliases are accepted as `UTC`.
 */
export function canonicalTimeZone(input: string): TimeZoneCheck {
  const resolved = resolveTimeZone(input);
  if (resolved === undefined) {
    return { problem: 'is not an IANA time zone', fix: `use a region id such as ${EXAMPLE}` };
  }
  if (resolved === 'UTC') return { zone: 'UTC' };
  if (input.toUpperCase() in FIXED_OFFSET_REPLACEMENTS || !isRegion(resolved)) {
    return fixedOffsetProblem(input);
  }
  if (!isRegion(input)) {
    return { problem: 'is a deprecated alias', fix: `use the region id ${resolved}` };
  }
  if (input.toLowerCase() === resolved.toLowerCase()) return { zone: resolved };
  // ICU names some zones by their old ids (Asia/Calcutta for Asia/Kolkata), so a newer id
  // written with its capitals is kept as written.
  if (isCapitalised(input)) return { zone: input };

  return {
    problem: 'is not written with the capitals of the IANA time zone database',
    fix: `write it as listed there, such as ${resolved}`,
  };
}

const EXAMPLE = 'America/New_York or Europe/Berlin';

function resolveTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function isRegion(zone: string): boolean {
  return IANA_AREAS.has(zone.split('/')[0]?.toLowerCase() ?? '');
}

function fixedOffsetProblem(input: string): TimeZoneCheck {
  const replacement = FIXED_OFFSET_REPLACEMENTS[input.toUpperCase()];

  return {
    problem: 'is a fixed UTC offset with no daylight saving time',
    fix: replacement
      ? `use the region id ${replacement}, which follows daylight saving time`
      : `use the region id of the readers, such as ${EXAMPLE}`,
  };
}

/** True when every part of the id starts with a capital, as IANA ids do (`America/Port-au-Prince`). */
function isCapitalised(zone: string): boolean {
  return zone.split('/').every((part) => /^[A-Z]/.test(part));
}
