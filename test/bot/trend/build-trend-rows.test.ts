import { describe, expect, it } from 'vitest';
import { buildTrendRows } from '../../../src/bot/trend/build-trend-rows.ts';
import { thresholdsSchema } from '../../../src/config/schema.ts';
import type { CampaignWeek } from '../../../src/shared/types.ts';
import { weekContaining, weeksEndingWith } from '../../../src/shared/week.ts';
import { makeCampaign, makeMetrics } from '../../slack/make-report.ts';

const THRESHOLDS = thresholdsSchema.parse({});
const END = weekContaining('2026-11-23');

function history(spend: Array<number | null>, leads: number[]): CampaignWeek[] {
  const weeks = weeksEndingWith(END, spend.length);

  return spend.flatMap((amount, index) =>
    amount === null
      ? []
      : [
          {
            ...makeCampaign(1).week,
            weekStart: weeks[index]?.start as string,
            metrics: makeMetrics(amount, leads[index] ?? 0),
          },
        ],
  );
}

/** Builds the rows of the `weeks` weeks ending with END for one campaign's weekly figures. */
function trendRows(spend: Array<number | null>, leads: number[], weeks: number) {
  return buildTrendRows({
    history: history(spend, leads),
    endWeek: END,
    weeks,
    thresholds: THRESHOLDS,
  });
}

describe('buildTrendRows', () => {
  it('returns one row per week, oldest first', () => {
    const rows = trendRows([100_000, 110_000, 90_000], [20, 22, 18], 3);

    expect(rows.map((row) => row.weekStart)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(rows.map((row) => row.spendMinor)).toEqual([100_000, 110_000, 90_000]);
  });

  it('computes CPL in minor units', () => {
    const rows = trendRows([100_000], [20], 1);

    expect(rows[0]?.cplMinor).toBe(5000);
  });

  it('leaves a week without data empty', () => {
    const rows = trendRows([100_000, null, 90_000], [20, 0, 18], 3);

    expect(rows[1]).toEqual({
      weekStart: '2026-11-16',
      spendMinor: null,
      leads: null,
      cplMinor: null,
      ctr: null,
      status: null,
    });
  });

  it('shows a dash ratio for zero leads', () => {
    const rows = trendRows([100_000], [0], 1);

    expect(rows[0]?.cplMinor).toBeNull();
  });

  it('flags spend with no leads after steady leads', () => {
    const spend = [200_000, 200_000, 200_000, 200_000, 200_000, 200_000];
    const rows = trendRows(spend, [40, 42, 41, 39, 40, 0], 2);

    expect(rows.at(-1)?.status).toBe('ALERT');
    expect(rows[0]?.status).not.toBe('ALERT');
  });

  it('pads weeks before the first stored week', () => {
    const rows = trendRows([100_000], [20], 52);

    expect(rows).toHaveLength(52);
    expect(rows.filter((row) => row.spendMinor !== null)).toHaveLength(1);
  });
});
