import { SourceError } from '../../shared/errors.ts';
import { isObject, parseJson } from './read-graph-response.ts';

/**
 * Returns the cursor of the next insights page, or null on the last page. Graph marks the last
 * page by leaving out `paging.next`, while `paging.cursors.after` is present on every page.
 */
export function nextCursor(page: Record<string, unknown>, accountId: string): string | null {
  const paging = isObject(page.paging) ? page.paging : null;
  if (!paging || typeof paging.next !== 'string' || paging.next === '') return null;
  const cursors = isObject(paging.cursors) ? paging.cursors : null;
  if (cursors && typeof cursors.after === 'string' && cursors.after !== '') return cursors.after;
  const fromNext = URL.canParse(paging.next)
    ? new URL(paging.next).searchParams.get('after')
    : null;
  if (fromNext) return fromNext;

  throw invalidPaging(accountId, 'paging.next carries no after cursor');
}

export function invalidPaging(accountId: string, reason: string): SourceError {
  return new SourceError(
    'meta_payload_invalid',
    `Invalid Meta insights paging for ${accountId}: ${reason}`,
    {
      fix: 'check that meta.baseUrl points at the Graph API; the response paging is not the Graph cursor shape',
    },
  );
}

/** Counts the rows in the `data` arrays of insights pages. */
export function countRows(pages: unknown[]): number {
  return pages.reduce<number>(
    (total, page) => total + (isObject(page) && Array.isArray(page.data) ? page.data.length : 0),
    0,
  );
}

/** Returns the `since` date of a `time_range` parameter, or null when there is none. */
export function readSince(params: Record<string, string>): string | null {
  const range = params.time_range ? parseJson(params.time_range) : null;

  return isObject(range) && typeof range.since === 'string' ? range.since : null;
}
