import { describe, expect, it } from 'vitest';
import {
  collectAlerts,
  computeEntitySignals,
  detectRestatements,
  type SeriesPoint,
} from '../../src/analysis/signals.ts';
import { InputError } from '../../src/shared/errors.ts';
import type { EntitySignals, KpiKey, Metrics, ReplacedValue } from '../../src/shared/types.ts';
import { shiftWeek } from '../../src/shared/week.ts';
import { leadMetrics, REPORT_WEEK, steadyWeeks, THRESHOLDS } from './analysis-fixtures.ts';

function series(weeks: Array<Metrics | null>): SeriesPoint[] {
  return weeks.map((metrics, index) => ({
    weekStart: shiftWeek(REPORT_WEEK, index - weeks.length + 1).start,
    metrics,
  }));
}

function signalsOf(
  weeks: Array<Metrics | null>,
  options: { isLeadGen?: boolean; currency?: string | null } = {},
) {
  return computeEntitySignals({
    level: 'campaign',
    id: '101',
    name: 'Open house',
    propertyId: 'property-a',
    currency: options.currency === undefined ? 'USD' : options.currency,
    isLeadGen: options.isLeadGen ?? true,
    series: series(weeks),
    thresholds: THRESHOLDS,
  });
}

const kpi = (signals: EntitySignals, key: KpiKey) => signals.kpis.find((item) => item.key === key);

/** Returns steady weeks with the last week's leads multiplied by `factor` (spend held). */
function lastWeekLeads(factor: number, leads = 100, count = 12): Metrics[] {
  const weeks = steadyWeeks(leads, count);
  const last = weeks.at(-1) as Metrics;
  weeks[weeks.length - 1] = leadMetrics(Math.round(last.leads * factor), last.spendMinor / 100);

  return weeks;
}

describe('computeEntitySignals', () => {
  it('returns OK for steady weeks with volume', () => {
    expect(kpi(signalsOf(steadyWeeks(100)), 'leads')?.status).toBe('OK');
  });

  it('returns FLAT for steady weeks below minLeads', () => {
    expect(kpi(signalsOf(steadyWeeks(5)), 'leads')?.status).toBe('FLAT');
  });

  it('returns FLAT with fewer baseline weeks than configured', () => {
    expect(kpi(signalsOf(steadyWeeks(100, 3)), 'leads')?.status).toBe('FLAT');
  });

  it('returns FLAT with no history', () => {
    const leads = kpi(signalsOf([leadMetrics(50, 1000)]), 'leads');

    expect(leads).toMatchObject({ status: 'FLAT', baseline: null, previous: null, change: null });
  });

  it.each([
    { case: 'inside the band', factor: 0.85, status: 'OK' },
    { case: 'below the band', factor: 0.6, status: 'DOWN' },
    { case: 'above the band', factor: 1.4, status: 'UP' },
  ])('returns $status for a change $case', ({ factor, status }) => {
    expect(kpi(signalsOf(lastWeekLeads(factor)), 'leads')?.status).toBe(status);
  });

  it('sets a reason for a move outside the band', () => {
    const reason = kpi(signalsOf(lastWeekLeads(0.6)), 'leads')?.reason;

    expect(reason).toBe('Leads 59 against a 4-week average of 100 (−41%); normal range ±22%');
  });

  it('returns the week-over-week change and the baseline', () => {
    const leads = kpi(signalsOf(lastWeekLeads(0.5)), 'leads');

    expect(leads?.change).toBeCloseTo(49 / 100 - 1, 6);
    expect(leads?.baseline).toBeCloseTo((103 + 96 + 102 + 100) / 4, 6);
    expect(leads?.series).toHaveLength(12);
  });

  it('returns ALERT with a reason for a sustained decline', () => {
    const weeks = steadyWeeks(100).map((week, index) =>
      index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), week.spendMinor / 100) : week,
    );

    const leads = kpi(signalsOf(weeks), 'leads');

    expect(leads?.status).toBe('ALERT');
    expect(leads?.reason).toBe(
      'Leads per click lower for 3 weeks running: 2.0% over the last 3 weeks against a typical ' +
        '3.3% in the 9 weeks before them (−40%)',
    );
    expect(leads?.rule).toBeUndefined();
  });

  it('raises one lead ALERT for a lead-rate decline', () => {
    const weeks = steadyWeeks(100).map((week, index) =>
      index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), week.spendMinor / 100) : week,
    );

    const alerting = signalsOf(weeks)
      .kpis.filter((item) => item.status === 'ALERT')
      .map((item) => item.key);

    expect(alerting).toEqual(['leads']);
  });

  it('returns a CPL ALERT when brand clicks share the total', () => {
    const weeks = steadyWeeks(100).map((week, index) => {
      const lead =
        index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), week.spendMinor / 100) : week;

      return { ...lead, spendMinor: lead.spendMinor + 50_000, clicks: lead.clicks + 900 };
    });

    const signals = signalsOf(weeks);

    expect(kpi(signals, 'cpl')?.reason).toBe(
      'CPL higher for 3 weeks running: $33.33 over the last 3 weeks against a typical $20.00 in ' +
        'the 9 weeks before them (+67%)',
    );
    expect(kpi(signals, 'leads')?.status).not.toBe('ALERT');
  });

  it('returns a rule ALERT for spend without leads', () => {
    const weeks = [...steadyWeeks(40, 5), leadMetrics(0, 800)];

    const leads = kpi(signalsOf(weeks), 'leads');

    expect(leads).toMatchObject({ status: 'ALERT', rule: 'spend_without_leads' });
    expect(leads?.reason).toBe(
      'No leads this week while $800 was spent, after 40 leads a week in the 4 weeks before',
    );
  });

  it('keeps the spend rule ALERT in the second zero-lead week', () => {
    const leads = [13, 19, 16, 21, 16, 22, 8, 18, 20, 18, 0, 0];

    const signal = kpi(signalsOf(leads.map((count) => leadMetrics(count, 418))), 'leads');

    expect(signal).toMatchObject({ status: 'ALERT', rule: 'spend_without_leads' });
    expect(signal?.reason).toBe(
      'No leads for 2 weeks while $836 was spent, after 16 leads a week in the 4 weeks before',
    );
  });

  it('returns null ratios for a week without impressions or leads', () => {
    const empty = { ...leadMetrics(0, 0), impressions: 0, clicks: 0, landingPageViews: 0 };

    const signals = signalsOf([...steadyWeeks(3, 4), empty]);

    expect(kpi(signals, 'ctr')?.value).toBeNull();
    expect(kpi(signals, 'cpc')?.value).toBeNull();
    expect(kpi(signals, 'cpl')?.value).toBeNull();
  });

  it('leaves CPL out for a brand campaign', () => {
    const signals = signalsOf(steadyWeeks(100), { isLeadGen: false });

    expect(kpi(signals, 'cpl')).toBeUndefined();
  });

  it('never alerts on leads for a brand campaign', () => {
    const weeks = [...steadyWeeks(40, 5), leadMetrics(0, 800)];

    const leads = kpi(signalsOf(weeks, { isLeadGen: false }), 'leads');

    expect(leads?.status).not.toBe('ALERT');
  });

  it('leaves money KPIs out without a currency', () => {
    const keys = signalsOf(steadyWeeks(100), { currency: null }).kpis.map((item) => item.key);

    expect(keys).toEqual([
      'impressions',
      'clicks',
      'ctr',
      'leads',
      'landingPageViews',
      'hubspotLeads',
    ]);
  });

  it('returns spend in major units', () => {
    const spend = kpi(signalsOf([leadMetrics(10, 1234.5)]), 'spend');

    expect(spend?.value).toBe(1234.5);
  });

  it('returns spend of a zero-decimal currency unscaled', () => {
    const spend = kpi(signalsOf([leadMetrics(10, 1234)], { currency: 'JPY' }), 'spend');

    expect(spend?.value).toBe(123_400);
  });

  it('never returns NaN or Infinity', () => {
    const zero = { ...leadMetrics(0, 0), impressions: 0, clicks: 0, landingPageViews: 0 };

    const values = signalsOf([zero, zero, zero, zero, zero]).kpis.flatMap((item) => [
      item.value,
      item.change,
      item.baseline,
      item.noiseBand,
    ]);

    expect(values.every((value) => value === null || Number.isFinite(value))).toBe(true);
  });

  it('throws InputError for an empty series', () => {
    expect(() => signalsOf([])).toThrow(InputError);
  });

  it('throws InputError for weeks out of order', () => {
    const points = series(steadyWeeks(10, 3)).reverse();

    const compute = () =>
      computeEntitySignals({
        level: 'campaign',
        id: '101',
        name: 'Open house',
        propertyId: null,
        currency: 'USD',
        isLeadGen: true,
        series: points,
        thresholds: THRESHOLDS,
      });

    expect(compute).toThrow(/out of order/);
  });

  it('throws InputError naming a non-finite figure', () => {
    const bad = { ...leadMetrics(10, 100), leads: Number.NaN };

    expect(() => signalsOf([leadMetrics(10, 100), bad])).toThrow(/Invalid leads for entity "101"/);
  });
});

describe('collectAlerts', () => {
  const entity = (
    level: EntitySignals['level'],
    name: string,
    rule?: 'stopped_delivering',
  ): EntitySignals => ({
    level,
    id: name,
    name,
    propertyId: null,
    kpis: [
      {
        key: 'leads',
        value: 1,
        previous: 1,
        change: 0,
        baseline: 1,
        noiseBand: 0.1,
        status: 'ALERT',
        reason: `${name} reason`,
        series: [],
        ...(rule ? { rule } : {}),
      },
    ],
  });

  it('orders by level, rules first, then name', () => {
    const alerts = collectAlerts([
      entity('adset', 'A'),
      entity('campaign', 'Zeta'),
      entity('campaign', 'Beta', 'stopped_delivering'),
      entity('report', 'Total'),
    ]);

    expect(alerts.map((alert) => `${alert.level}:${alert.name}:${alert.kpi}`)).toEqual([
      'report:Total:leads',
      'campaign:Beta:rule',
      'campaign:Zeta:leads',
      'adset:A:leads',
    ]);
  });

  it('names the KPI of an ALERT without a reason', () => {
    const bare = entity('campaign', 'Bare');
    bare.kpis[0] = { ...(bare.kpis[0] as EntitySignals['kpis'][0]), reason: null };

    expect(collectAlerts([bare])[0]?.reason).toBe('Leads in ALERT');
  });

  it('returns nothing without ALERT statuses', () => {
    const calm = entity('campaign', 'Calm');
    calm.kpis[0] = { ...(calm.kpis[0] as EntitySignals['kpis'][0]), status: 'DOWN' };

    expect(collectAlerts([calm])).toEqual([]);
  });
});

describe('detectRestatements', () => {
  const stored = (leads: number) => ({
    ...leadMetrics(leads, 1000),
    clicks: 10,
    impressions: 100,
    landingPageViews: 5,
  });
  const replaced = (leads: number): ReplacedValue => ({
    kind: 'campaign',
    id: '101',
    propertyId: 'property-a',
    weekStart: '2026-11-16',
    metrics: stored(leads),
  });

  it.each([
    { case: 'inside the Poisson band', before: 100, after: 115, restated: false },
    { case: 'beyond the Poisson band', before: 100, after: 125, restated: true },
    { case: 'below the minimum volume', before: 3, after: 9, restated: false },
  ])('returns a restatement only $case', ({ before, after, restated }) => {
    const current = new Map([['campaign:101:2026-11-16', stored(after)]]);

    const found = detectRestatements([replaced(before)], current, THRESHOLDS);

    expect(found.length > 0).toBe(restated);
  });

  it('returns the figures before and after', () => {
    const current = new Map([['campaign:101:2026-11-16', stored(140)]]);

    const [restatement] = detectRestatements([replaced(100)], current, THRESHOLDS);

    expect(restatement).toEqual({
      propertyId: 'property-a',
      campaignId: '101',
      weekStart: '2026-11-16',
      kpi: 'leads',
      before: 100,
      after: 140,
    });
  });

  it('skips a replaced week that is no longer stored', () => {
    expect(detectRestatements([replaced(10)], new Map(), THRESHOLDS)).toEqual([]);
  });
});
