import { describe, expect, it } from 'vitest';
import { buildTrendChartSvg, renderTrendChart } from '../../src/slack/render-trend-chart.ts';

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

    expect(svg).toContain(`>${weeks.at(-1)?.slice(5)}</text></svg>`);
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
