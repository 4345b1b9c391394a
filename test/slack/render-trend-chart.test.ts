import { describe, expect, it } from 'vitest';
import {
  buildTrendChartSvg,
  renderTrendChart,
  TITLE_LINE_CHARACTERS,
  wrapTitle,
} from '../../src/slack/render-trend-chart.ts';

const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
const money = (value: number) => `$${value.toFixed(2)}`;

describe('renderTrendChart', () => {
  it('returns a PNG', () => {
    const png = renderTrendChart({
      title: 'Spring Sale',
      weeks: WEEKS,
      panels: [{ title: 'Spend', values: [1, 2, 3, 4], format: money }],
    });

    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('renders a series without data', () => {
    const png = renderTrendChart({
      title: 'x',
      weeks: WEEKS,
      panels: [{ title: 'CPL', values: [null, null, null, null], format: money }],
    });

    expect(png.length).toBeGreaterThan(100);
  });
});

/** Returns the text of the x-axis labels (font size 10), in document order. */
function axisLabels(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*font-size="10"[^>]*>([^<]*)<\/text>/g)].map(
    (match) => match[1] ?? '',
  );
}

/** Returns the text of the title lines (font size 14). */
function titleLines(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*font-size="14"[^>]*>([^<]*)<\/text>/g)].map(
    (match) => match[1] ?? '',
  );
}

describe('buildTrendChartSvg', () => {
  it('escapes markup and control characters in the title', () => {
    const svg = buildTrendChartSvg({ title: '<script>&\u0000"x"', weeks: WEEKS, panels: [] });

    expect(svg).toContain('&#60;script&#62;&#38;&#34;x&#34;');
    expect(svg).not.toContain('\u0000');
  });

  it('breaks the line at a missing week', () => {
    const svg = buildTrendChartSvg({
      title: 't',
      weeks: WEEKS,
      panels: [{ title: 'Spend', values: [1, null, 3, 4], format: money }],
    });

    expect(svg.match(/<polyline/g)).toHaveLength(2);
  });

  it('labels the last week', () => {
    const weeks = Array.from(
      { length: 52 },
      (_, index) => `2026-01-${String((index % 28) + 1).padStart(2, '0')}`,
    );

    const svg = buildTrendChartSvg({ title: 't', weeks, panels: [] });

    expect(svg).toMatch(/>24 Jan<\/text><\/svg>$/);
  });

  it('shows the year of the first week', () => {
    const svg = buildTrendChartSvg({ title: 't', weeks: WEEKS, panels: [] });

    expect(axisLabels(svg)).toEqual(['2 Nov', '2026', '9 Nov', '16 Nov', '23 Nov']);
  });

  it('shows the new year across New Year', () => {
    const weeks = ['2026-12-21', '2026-12-28', '2027-01-04', '2027-01-11'];

    const svg = buildTrendChartSvg({ title: 't', weeks, panels: [] });

    expect(axisLabels(svg)).toEqual(['21 Dec', '2026', '28 Dec', '4 Jan', '2027', '11 Jan']);
  });

  it('keeps a long title whole on two lines', () => {
    const title =
      'Spring Sale 2026 – Lookalike Audiences Retargeting (Main site): 12 weeks to 23–29 Nov ' +
      '2026';

    const svg = buildTrendChartSvg({ title, weeks: WEEKS, panels: [] });

    expect(titleLines(svg).join(' ')).toBe(title);
  });

  it('shows the maximum on the axis', () => {
    const svg = buildTrendChartSvg({
      title: 't',
      weeks: WEEKS,
      panels: [{ title: 'Spend', values: [1, 250, 3, 4], format: money }],
    });

    expect(svg).toContain('>$250.00<');
  });
});

describe('wrapTitle', () => {
  it('keeps a short title on one line', () => {
    expect(wrapTitle('Spring Sale (Main): 12 weeks')).toEqual(['Spring Sale (Main): 12 weeks']);
  });

  it('breaks a long title at a space', () => {
    const words = Array.from({ length: 20 }, (_, index) => `word${index}`);

    const lines = wrapTitle(words.join(' '));

    expect(lines).toHaveLength(2);
    expect(lines.join(' ')).toBe(words.join(' '));
    expect(lines.every((line) => line.length <= TITLE_LINE_CHARACTERS)).toBe(true);
  });

  it('cuts a title longer than two lines', () => {
    const lines = wrapTitle('x '.repeat(200));

    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(lines[1]?.length).toBe(TITLE_LINE_CHARACTERS);
  });

  it('breaks a title without spaces', () => {
    const lines = wrapTitle('x'.repeat(100));

    expect(lines.map((line) => line.length)).toEqual([
      TITLE_LINE_CHARACTERS,
      100 - TITLE_LINE_CHARACTERS,
    ]);
  });
});
