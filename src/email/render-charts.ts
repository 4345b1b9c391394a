import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { AdreportError } from '../shared/errors.ts';

/** The one font the charts use. It ships in `assets/fonts` because Lambda has no system fonts. */
const FONT_FILE_NAME = 'DejaVuSans.ttf';
const FONT_FAMILY = 'DejaVu Sans';

/**
 * Font locations, tried in order: `assets/fonts` at the repository root when running from
 * source, then `assets/fonts` next to the bundled handler, where the Lambda bundle copies it.
 */
const FONT_CANDIDATES = [
  new URL(`../../assets/fonts/${FONT_FILE_NAME}`, import.meta.url),
  new URL(`./assets/fonts/${FONT_FILE_NAME}`, import.meta.url),
];

let resolvedFontFile: string | null = null;

/**
 * Returns the path of the shipped chart font. Throws when it is missing, because resvg renders
 * text as nothing (no error) when it has no font, which would send charts with blank labels.
 */
export function chartFontFile(): string {
  if (resolvedFontFile) return resolvedFontFile;
  const found = FONT_CANDIDATES.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (!found) {
    throw new AdreportError('chart_font_missing', `Chart font ${FONT_FILE_NAME} was not found`, {
      fix: `ship assets/fonts/${FONT_FILE_NAME} next to the handler (copy it in the bundling step)`,
    });
  }
  resolvedFontFile = found;

  return found;
}

export interface SparklineOptions {
  /** Display width in CSS pixels. The PNG is `width * scale` pixels wide. */
  width: number;
  /** Display height in CSS pixels. */
  height: number;
  /** Line colour as a hex code (default a dark blue). */
  color?: string;
  /** Pixel density of the PNG (default 2, sharp on high-density screens). */
  scale?: number;
  /** Text shown when no value is known (default "no data"). */
  noDataLabel?: string;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Renders a small trend line as PNG. Null values leave gaps in the line. A series with no finite
 * value renders a framed "no data" chart instead of failing.
 */
export function renderSparkline(values: Array<number | null>, options: SparklineOptions): Buffer {
  validateSize(options);
  const svg = buildSparklineSvg(values, options);

  return renderSvg(svg, options.scale ?? 2);
}

/** Builds the sparkline as an SVG document, exported so tests can inspect the geometry. */
export function buildSparklineSvg(values: Array<number | null>, options: SparklineOptions): string {
  const { width, height } = options;
  const color = options.color && HEX_COLOR.test(options.color) ? options.color : '#1d4ed8';
  const points = plotPoints(values, width, height);
  const body =
    points.length === 0
      ? noDataBody(width, height, options.noDataLabel ?? 'no data')
      : lineBody(points, values.length, { width, height, color });

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

function validateSize(options: SparklineOptions): void {
  const sizes = [options.width, options.height, options.scale ?? 2];
  if (sizes.some((size) => !Number.isFinite(size) || size <= 0 || size > 4000)) {
    throw new AdreportError(
      'invalid_chart_size',
      `Invalid chart size ${options.width}x${options.height} at scale ${options.scale ?? 2}`,
      { fix: 'pass a positive width, height and scale, each at most 4000' },
    );
  }
}

interface PlotPoint {
  index: number;
  x: number;
  y: number;
}

const PADDING = 3;
/**
 * The y axis spans at least 30% of the series' midpoint. Without a floor, a 1% wobble fills the
 * chart's height and looks like a crash next to a FLAT status.
 */
const MIN_RELATIVE_SPAN = 0.3;

/** Maps finite values to SVG coordinates within the padded chart area. */
function plotPoints(values: Array<number | null>, width: number, height: number): PlotPoint[] {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (known.length === 0) return [];
  const middle = (Math.min(...known) + Math.max(...known)) / 2;
  const span = Math.max(
    Math.max(...known) - Math.min(...known),
    Math.abs(middle) * MIN_RELATIVE_SPAN,
  );
  const min = middle - span / 2;
  const stepX = values.length > 1 ? (width - 2 * PADDING) / (values.length - 1) : 0;
  const points: PlotPoint[] = [];
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) return;
    const share = span === 0 ? 0.5 : (value - min) / span;
    const x = values.length > 1 ? PADDING + index * stepX : width / 2;
    points.push({
      index,
      x: round(x),
      y: round(height - PADDING - share * (height - 2 * PADDING)),
    });
  });

  return points;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Splits points into runs of consecutive indexes, so a null value leaves a gap in the line. */
function segments(points: PlotPoint[]): PlotPoint[][] {
  const runs: PlotPoint[][] = [];
  for (const point of points) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous && previous.index === point.index - 1) run.push(point);
    else runs.push([point]);
  }

  return runs;
}

function lineBody(
  points: PlotPoint[],
  count: number,
  style: { width: number; height: number; color: string },
): string {
  const lines = segments(points)
    .filter((run) => run.length > 1)
    .map((run) => {
      const path = run.map((point) => `${point.x},${point.y}`).join(' ');

      return `<polyline points="${path}" fill="none" stroke="${style.color}" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>`;
    })
    .join('');
  const last = points.at(-1) as PlotPoint;
  const isCurrent = last.index === count - 1;
  const marker = `<circle cx="${last.x}" cy="${last.y}" r="2.4" fill="${isCurrent ? style.color : '#9ca3af'}"/>`;
  const baseline = `<line x1="0" y1="${style.height - 0.5}" x2="${style.width}" y2="${style.height - 0.5}" stroke="#e5e7eb" stroke-width="1"/>`;

  return `${baseline}${lines}${marker}`;
}

function noDataBody(width: number, height: number, label: string): string {
  const fontSize = Math.max(6, Math.min(11, height * 0.4));
  const frame = `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="#f9fafb" stroke="#d1d5db" stroke-dasharray="3 2"/>`;
  const text = `<text x="${width / 2}" y="${height / 2}" font-family="${FONT_FAMILY}" font-size="${fontSize}" fill="#4b5563" text-anchor="middle" dominant-baseline="central">${escapeXml(label)}</text>`;

  return `${frame}${text}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Rasterises SVG with resvg and the shipped font only: no system fonts, no network. */
export function renderSvg(svg: string, scale: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: [chartFontFile()],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });

  return resvg.render().asPng();
}
