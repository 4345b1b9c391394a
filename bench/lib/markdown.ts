/** Small Markdown and number formatting helpers for the benchmark page. */

/** Renders a Markdown table; cells are escaped so a `|` cannot break a row. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) =>
    `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Formats milliseconds as seconds with two decimals, e.g. `1.28 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Formats a count with thousands separators, e.g. `15,015`. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Formats bytes in KB of 1,000 bytes, as the email benchmark does, e.g. `99.3 KB`. */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** Formats bytes in MB of 1,000,000 bytes, e.g. `7.0 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Formats a ratio, or `—` when it is undefined. */
export function times(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}×`;
}

/** Formats a share as a percentage with up to two decimals, or `—` without a denominator. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Number(((part / whole) * 100).toFixed(2))} %`;
}

/** Formats a `{ name: count }` map as `name count, …` in descending order of count. */
export function countsByName(counts: Record<string, number>): string {
  const entries = Object.entries(counts)
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1]);

  return entries.length === 0 ? '0' : entries.map(([name, value]) => `${name} ${value}`).join(', ');
}
