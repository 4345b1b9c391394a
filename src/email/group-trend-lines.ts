import { cleanName } from './format-values.ts';

/** One trend bullet: a line as written, or a name with the lines about it nested below. */
export interface TrendItemModel {
  text: string;
  details: string[];
}

/**
 * Groups trend lines that start with the same campaign, ad set or property name, so a campaign
 * with two moves ("X [ALERT]: leads per click …", "X [UP]: clicks …") reads as one name with two
 * details instead of two unrelated bullets. A line starts with a name when the name is followed
 * by ` [`, `:` or ` (`. The longest matching name wins, and groups keep the order of their first
 * line. Lines that match no name, or the only line about a name, stay as they are.
 *
 * @param lines cleaned one-line bullets from the analysis
 * @param names entity names of the report, as stored
 */
export function groupTrendLines(lines: string[], names: string[]): TrendItemModel[] {
  const namesLongestFirst = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  const groups = new Map<string, string[]>();
  const order: Array<{ name: string | null; line: string }> = [];
  for (const line of lines) {
    const name = namesLongestFirst.find((candidate) => startsWithName(line, candidate)) ?? null;
    order.push({ name, line });
    if (name) groups.set(name, [...(groups.get(name) ?? []), line]);
  }

  return order.flatMap(({ name, line }) => {
    const group = name ? (groups.get(name) ?? []) : [];
    if (!name || group.length < 2) return [{ text: line, details: [] }];
    if (group[0] !== line) return [];

    return [{ text: cleanName(name), details: group.map((item) => detailOf(item, name)) }];
  });
}

function startsWithName(line: string, name: string): boolean {
  if (!line.startsWith(name)) return false;
  const rest = line.slice(name.length);

  return rest.startsWith(' [') || rest.startsWith(':') || rest.startsWith(' (');
}

/** Turns `X [ALERT]: Leads per click …` into `[ALERT] Leads per click …`. */
function detailOf(line: string, name: string): string {
  return line
    .slice(name.length)
    .replace(/^:\s*/, '')
    .replace(/^\s*(\[[A-Z]+\]):\s*/, '$1 ')
    .trim();
}
