import type { PropertyConfig } from '../config/schema.ts';
import { SourceError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { formatWeek, weekContaining } from '../shared/week.ts';
import type { FetchedSources } from './fetch-sources.ts';
import { type StoredWeeks, weekKey } from './read-stored-weeks.ts';
import type { RowWarning } from './transform-campaign-weeks.ts';
import type { EarlierWeekNote } from './types.ts';

/**
 * Builds one run note per property and earlier week whose Meta re-fetch failed, each marked with
 * that week. The property stays in the report. The week keeps the figures stored before, since no
 * property-week replaces them.
 */
export function describeFailedMetaWeeks(
  fetched: FetchedSources,
  stored: StoredWeeks,
): EarlierWeekNote[] {
  return fetched.properties.flatMap((entry) =>
    (entry.failedWeeks ?? []).map((failure) => {
      const week = formatWeek(weekContaining(failure.weekStart));
      const consequence = stored.properties.has(weekKey(entry.property.id, failure.weekStart))
        ? 'so the figures stored earlier for that week are kept'
        : 'so that week has no figures yet and the statuses that compare against it may be missing';
      const note = `Meta figures of ${entry.property.name} for the week of ${week} could not be re-fetched (${failure.reason}), ${consequence}; the next run that covers the week fetches it again`;

      return { weekStarts: [failure.weekStart], note };
    }),
  );
}

/** Builds the error of a run with no property's Meta data, naming the week and the first cause. */
export function everyPropertyUnavailable(week: Week, fetched: FetchedSources): SourceError {
  const first = fetched.properties.find((entry) => entry.unavailableReason);
  const cause = first ? ` First cause, ${first.property.name}: ${first.unavailableReason}` : '';

  return new SourceError(
    'meta_unavailable_every_property',
    `Meta data is unavailable for every property for the week of ${formatWeek(week)}.${cause}`,
  );
}

/**
 * Builds one run note per property and week with skipped Meta rows. The notes reach the email, so
 * they name the property and give the first reason without the row's position in the payload.
 * Every note contains "skipped as invalid", which the CLI uses to point to `-v` for the row list.
 */
export function describeSkippedRows(
  warnings: RowWarning[],
  properties: PropertyConfig[],
): string[] {
  const groups = new Map<string, RowWarning[]>();
  for (const warning of warnings) {
    const key = `${warning.accountId}|${warning.weekStart}`;
    groups.set(key, [...(groups.get(key) ?? []), warning]);
  }

  return [...groups.values()].map((group) => describeGroup(group, properties));
}

function describeGroup(group: RowWarning[], properties: PropertyConfig[]): string {
  const first = group[0] as RowWarning;
  const name =
    properties.find((property) => property.metaAdAccountId === first.accountId)?.name ??
    `ad account ${first.accountId}`;
  const week = formatWeek(weekContaining(first.weekStart));
  const rows = group.length === 1 ? '1 Meta row was' : `${group.length} Meta rows were`;
  // A duplicate ad set row is dropped for the copy that is kept, so the week may still be whole.
  const partial = group.every((warning) => warning.code === 'duplicate_adset')
    ? 'may be partial'
    : 'are partial';

  return `${name}, week of ${week}: ${rows} skipped as invalid, so the property's figures for that week ${partial}. First reason: ${plainReason(first.message)}`;
}

/** Drops the "Row 3 (page 1) skipped: " prefix, which means nothing to a reader of the report. */
function plainReason(message: string): string {
  return message.replace(/^Row \d+( \(page \d+\))? skipped: /, '');
}
