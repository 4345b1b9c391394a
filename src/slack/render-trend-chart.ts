import { renderSvg } from '../email/render-charts.ts';
import { stripControlCharacters, truncatePlain } from './mrkdwn.ts';

/** One panel of the trend chart: a titled line over the weeks; null values leave gaps. */
export interface TrendPanel {
  title: string;
  values: Array<number | null>;
  /** Formats an axis value, e.g. as money. */
  format: (value: number) => string;
}

const WIDTH = 720;
const PANEL_HEIGHT = 130;
const MARGIN = { left: 90, right: 36, bottom: 48 };
const COLORS = ['#1f4e79', '#2e7d32', '#b26a00'];

/** The title starts at the chart's left edge, so it has the full width less this padding. */
const TITLE_PADDING = 16;
const TITLE_FONT_SIZE = 14;
const TITLE_LINE_HEIGHT = 18;
const MAX_TITLE_LINES = 2;
/**
 * Characters of bold DejaVu Sans at 14 px that fit one title line (75), from an average advance
 * of 0.65 em. Measured with resvg's bounding box, 75 characters of a typical campaign title take
 * about 535 px and 75 "a" about 641 px of the 688 px available.
 * NOTE: a line of mostly wide letters (m, W) still overflows and is clipped.
 */
export const TITLE_LINE_CHARACTERS = Math.floor(
  (WIDTH - 2 * TITLE_PADDING) / (TITLE_FONT_SIZE * 0.65),
);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Renders the `/adreport trend` chart as PNG: one panel per series over the same weeks, drawn as
 * SVG and rasterised with the email charts' resvg renderer and shipped font.
 */
export function renderTrendChart(input: {
  title: string;
  weeks: string[];
  panels: TrendPanel[];
}): Buffer {
  return renderSvg(buildTrendChartSvg(input), 2);
}

/** Builds the SVG of the trend chart; exported so tests can read its labels. */
export function buildTrendChartSvg(input: {
  title: string;
  weeks: string[];
  panels: TrendPanel[];
}): string {
  const titleLines = wrapTitle(input.title);
  const top = 12 + titleLines.length * TITLE_LINE_HEIGHT;
  const height = top + input.panels.length * PANEL_HEIGHT + MARGIN.bottom;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...titleLines.map(
      (line, index) =>
        `<text x="${TITLE_PADDING}" y="${22 + index * TITLE_LINE_HEIGHT}" font-size="${TITLE_FONT_SIZE}" font-weight="bold" fill="#222">${escapeXml(line)}</text>`,
    ),
  ];
  input.panels.forEach((panel, index) => {
    parts.push(
      panelSvg(
        panel,
        input.weeks.length,
        top + index * PANEL_HEIGHT,
        COLORS[index % COLORS.length] as string,
      ),
    );
  });
  parts.push(weekLabels(input.weeks, height - MARGIN.bottom + 20), '</svg>');

  return parts.join('');
}

function panelSvg(panel: TrendPanel, count: number, top: number, color: string): string {
  const plotHeight = PANEL_HEIGHT - 40;
  const plotTop = top + 24;
  const finite = panel.values.filter(
    (value): value is number => value !== null && Number.isFinite(value),
  );
  const max = Math.max(0, ...finite);
  const scaleMax = max > 0 ? max : 1;
  const y = (value: number) => plotTop + plotHeight - (value / scaleMax) * plotHeight;
  const parts = [
    `<text x="${MARGIN.left}" y="${top + 14}" font-size="13" font-weight="bold" fill="#333">${escapeXml(panel.title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${plotTop + plotHeight}" x2="${WIDTH - MARGIN.right}" y2="${plotTop + plotHeight}" stroke="#ccc"/>`,
    `<text x="${MARGIN.left - 8}" y="${plotTop + 4}" font-size="11" text-anchor="end" fill="#666">${escapeXml(finite.length ? panel.format(max) : '—')}</text>`,
    `<text x="${MARGIN.left - 8}" y="${plotTop + plotHeight + 4}" font-size="11" text-anchor="end" fill="#666">${escapeXml(panel.format(0))}</text>`,
  ];
  if (finite.length === 0) {
    parts.push(
      `<text x="${WIDTH / 2}" y="${plotTop + plotHeight / 2}" font-size="12" text-anchor="middle" fill="#999">no data</text>`,
    );
  }
  for (const segment of segments(panel.values)) {
    const points = segment.map(
      ({ index, value }) => `${xOf(index, count).toFixed(1)},${y(value).toFixed(1)}`,
    );
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
    );
    for (const { index, value } of segment) {
      parts.push(
        `<circle cx="${xOf(index, count).toFixed(1)}" cy="${y(value).toFixed(1)}" r="3" fill="${color}"/>`,
      );
    }
  }

  return parts.join('');
}

/** Splits a series at its gaps so a missing week is not drawn as a line. */
function segments(values: Array<number | null>): Array<Array<{ index: number; value: number }>> {
  const result: Array<Array<{ index: number; value: number }>> = [];
  let current: Array<{ index: number; value: number }> = [];
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) result.push(current);
      current = [];
      return;
    }
    current.push({ index, value });
  });
  if (current.length > 0) result.push(current);

  return result;
}

/**
 * Splits the title into at most two lines at spaces, each short enough to fit the chart. Only a
 * title longer than both lines is cut, at the end of the second line.
 */
export function wrapTitle(title: string): string[] {
  const lines: string[] = [];
  let rest = title.trim();
  while (rest.length > TITLE_LINE_CHARACTERS && lines.length < MAX_TITLE_LINES - 1) {
    const space = rest.lastIndexOf(' ', TITLE_LINE_CHARACTERS);
    const end = space > 0 ? space : TITLE_LINE_CHARACTERS;
    lines.push(rest.slice(0, end));
    rest = rest.slice(end).trimStart();
  }
  lines.push(truncatePlain(rest, TITLE_LINE_CHARACTERS));

  return lines;
}

/**
 * Labels the weeks as "23 Nov", with the year on a second row under the first label and under
 * the first label of each new year, so a range across New Year stays readable.
 */
function weekLabels(weeks: string[], y: number): string {
  const step = Math.max(1, Math.ceil(weeks.length / 8));
  let labelledYear = '';
  const labels: string[] = [];
  weeks.forEach((week, index) => {
    // Counting back from the last week keeps the spacing even and always labels the last week.
    if ((weeks.length - 1 - index) % step !== 0) return;
    const x = xOf(index, weeks.length).toFixed(1);
    const [year = '', month = '', day = ''] = week.split('-');
    labels.push(axisText(x, y, `${Number(day)} ${MONTHS[Number(month) - 1] ?? month}`));
    if (year !== labelledYear) labels.push(axisText(x, y + 13, year));
    labelledYear = year;
  });

  return labels.join('');
}

function axisText(x: string, y: number, text: string): string {
  return `<text x="${x}" y="${y}" font-size="10" text-anchor="middle" fill="#666">${escapeXml(text)}</text>`;
}

function xOf(index: number, count: number): number {
  const width = WIDTH - MARGIN.left - MARGIN.right;

  return count <= 1 ? MARGIN.left + width / 2 : MARGIN.left + (index / (count - 1)) * width;
}

/** Escapes text for SVG; control characters are removed because XML 1.0 forbids them. */
function escapeXml(text: string): string {
  return stripControlCharacters(text).replace(
    /[<>&"']/g,
    (character) => `&#${character.charCodeAt(0)};`,
  );
}
