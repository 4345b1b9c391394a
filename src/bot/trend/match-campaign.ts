import type { CatalogEntry } from '../../storage/metrics-store.ts';

/** Most matches listed when a query is ambiguous, and closest names offered when none match. */
export const MAX_LISTED_MATCHES = 10;
export const MAX_SUGGESTIONS = 3;

export type CampaignMatch =
  | { kind: 'one'; entry: CatalogEntry }
  | { kind: 'many'; entries: CatalogEntry[]; total: number }
  | { kind: 'none'; suggestions: CatalogEntry[] };

/**
 * Finds a campaign by id or name. Names match case-insensitively, exactly first and then by
 * substring; several substring matches give a short list, no match gives the closest names by
 * edit distance.
 */
export function matchCampaign(query: string, catalog: CatalogEntry[]): CampaignMatch {
  const needle = normalise(query);
  const byId = catalog.find((entry) => entry.campaignId === query.trim());
  if (byId) return { kind: 'one', entry: byId };

  const exact = catalog.filter((entry) => normalise(entry.campaignName) === needle);
  const matches =
    exact.length > 0
      ? exact
      : catalog.filter((entry) => normalise(entry.campaignName).includes(needle));
  if (matches.length === 1) return { kind: 'one', entry: matches[0] as CatalogEntry };
  if (matches.length > 1) {
    const sorted = [...matches].sort(
      (a, b) =>
        b.lastWeek.localeCompare(a.lastWeek) || a.campaignName.localeCompare(b.campaignName),
    );

    return { kind: 'many', entries: sorted.slice(0, MAX_LISTED_MATCHES), total: matches.length };
  }

  return { kind: 'none', suggestions: closestNames(needle, catalog) };
}

function closestNames(needle: string, catalog: CatalogEntry[]): CatalogEntry[] {
  return catalog
    .map((entry) => ({ entry, distance: editDistance(needle, normalise(entry.campaignName)) }))
    .sort(
      (a, b) => a.distance - b.distance || a.entry.campaignName.localeCompare(b.entry.campaignName),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map(({ entry }) => entry);
}

/** Lowercases, applies Unicode compatibility normalisation and collapses whitespace. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
}

/** Levenshtein distance over code points, in O(a × b) time and O(b) memory. */
export function editDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }

  return previous[right.length] as number;
}
