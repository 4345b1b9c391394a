import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  buildSparklineSvg,
  chartFontFile,
  renderSparkline,
  renderSvg,
} from '../../src/email/render-charts.ts';
import { AdreportError } from '../../src/shared/errors.ts';
import { countInkPixels, countPixels, decodePng } from './decode-png.ts';

const SIZE = { width: 120, height: 32 };
const TEXT_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><text x="4" y="22" font-size="16" fill="#000000">Leads 1,234</text></svg>';

describe('chartFontFile', () => {
  it('returns the shipped TrueType font', () => {
    const path = chartFontFile();

    const magic = readFileSync(path).subarray(0, 4).toString('hex');

    expect(path).toMatch(/assets\/fonts\/DejaVuSans\.ttf$/);
    expect(magic).toBe('00010000');
  });
});

describe('renderSvg', () => {
  it('draws text with the shipped font', () => {
    const image = decodePng(renderSvg(TEXT_SVG, 1));

    expect(countInkPixels(image)).toBeGreaterThan(100);
  });

  it('loses text without any font file', () => {
    // The hazard the shipped font prevents: resvg drops text silently when it has no font.
    const bare = new Resvg(TEXT_SVG, { background: '#ffffff', font: { loadSystemFonts: false } });

    const image = decodePng(bare.render().asPng());

    expect(countInkPixels(image)).toBe(0);
  });
});

describe('renderSparkline', () => {
  it('returns a PNG at twice the display size', () => {
    const image = decodePng(renderSparkline([3, 5, 4, 6], SIZE));

    expect(image.width).toBe(240);
    expect(image.height).toBe(64);
  });

  it('draws the line in the given colour', () => {
    const image = decodePng(renderSparkline([3, 5, 4, 6], { ...SIZE, color: '#b91c1c' }));

    expect(countPixels(image, [0xb9, 0x1c, 0x1c])).toBeGreaterThan(100);
  });

  it.each([
    { case: 'all null', values: [null, null, null] },
    { case: 'empty', values: [] },
    { case: 'not finite', values: [Number.NaN, Number.POSITIVE_INFINITY] },
  ])('writes "no data" when values are $case', ({ values }) => {
    const image = decodePng(renderSparkline(values, SIZE));

    const textArea = { x: 60, y: 16, width: 120, height: 32 };
    expect(countInkPixels(image, textArea)).toBeGreaterThan(80);
  });

  it('renders a single value as a marker', () => {
    const image = decodePng(renderSparkline([42], SIZE));

    expect(countPixels(image, [0x1d, 0x4e, 0xd8])).toBeGreaterThan(10);
  });

  it.each([
    { case: 'zero width', options: { width: 0, height: 32 } },
    { case: 'negative height', options: { width: 120, height: -1 } },
    { case: 'NaN width', options: { width: Number.NaN, height: 32 } },
    { case: 'huge scale', options: { width: 120, height: 32, scale: 5000 } },
  ])('throws invalid_chart_size for $case', ({ options }) => {
    const render = () => renderSparkline([1, 2], options);

    expect(render).toThrow(AdreportError);
    expect(render).toThrow(/Invalid chart size/);
  });
});

describe('buildSparklineSvg', () => {
  const polylines = (svg: string) => svg.match(/<polyline /g)?.length ?? 0;

  it('breaks the line at a null value', () => {
    const svg = buildSparklineSvg([1, 2, null, 3, 4], SIZE);

    expect(polylines(svg)).toBe(2);
  });

  it('skips a run of one point', () => {
    const svg = buildSparklineSvg([1, null, 3, 4], SIZE);

    expect(polylines(svg)).toBe(1);
  });

  it('never writes NaN into the drawing', () => {
    const svg = buildSparklineSvg([1, Number.NaN, 3, Number.NEGATIVE_INFINITY, 5], SIZE);

    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws a constant series at mid height', () => {
    const svg = buildSparklineSvg([5, 5, 5], SIZE);

    expect(svg).toContain('points="3,16 60,16 117,16"');
  });

  it('keeps a 1% wobble nearly flat', () => {
    const svg = buildSparklineSvg([100, 101, 99, 100], SIZE);

    const ys = [...svg.matchAll(/[\d.]+,([\d.]+)/g)].map((match) => Number(match[1]));
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(3);
  });

  it('ignores a colour that is not a hex code', () => {
    const svg = buildSparklineSvg([1, 2], { ...SIZE, color: '"/><script>alert(1)</script>' });

    expect(svg).not.toContain('<script');
  });

  it('escapes the no-data label', () => {
    const svg = buildSparklineSvg([], { ...SIZE, noDataLabel: '<b>none</b>' });

    expect(svg).toContain('&#60;b&#62;none');
  });
});
