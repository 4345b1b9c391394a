import { describe, expect, it } from 'vitest';
import { checkHardRules, MAX_WEEKS_WITHOUT_LEADS } from '../../src/analysis/hard-rules.ts';
import type { EntityLevel, Metrics } from '../../src/shared/types.ts';
import { leadMetrics, steadyWeeks, THRESHOLDS } from './analysis-fixtures.ts';

const withLast = (last: Metrics | null, leads = 40): Array<Metrics | null> => [
  ...steadyWeeks(leads, 5),
  last,
];

const check = (points: Array<Metrics | null>, level: EntityLevel = 'campaign', isLeadGen = true) =>
  checkHardRules({ level, isLeadGen, points, scale: 100, thresholds: THRESHOLDS });

describe('checkHardRules', () => {
  it('returns spend without leads after steady leads', () => {
    const hit = check(withLast(leadMetrics(0, 800)));

    expect(hit).toMatchObject({
      rule: 'spend_without_leads',
      spendMinor: 80_000,
      weeksBefore: 4,
      weeksWithoutLeads: 1,
    });
  });

  it.each([
    { case: 'spend below minSpend', spend: THRESHOLDS.minSpend - 1, fires: false },
    { case: 'spend at minSpend', spend: THRESHOLDS.minSpend, fires: true },
  ])('applies the spend minimum: $case', ({ spend, fires }) => {
    const hit = check(withLast(leadMetrics(0, spend)));

    expect(hit?.rule === 'spend_without_leads').toBe(fires);
  });

  it('returns spend without leads in the second zero week', () => {
    const leads = [13, 19, 16, 21, 16, 22, 8, 18, 20, 18, 0, 0];
    const points = leads.map((count) => leadMetrics(count, 418));

    const hit = check(points);

    expect(hit).toMatchObject({
      rule: 'spend_without_leads',
      spendMinor: 83_600,
      weeksWithoutLeads: 2,
      weeksBefore: 4,
      leadsBefore: 16,
    });
  });

  it.each([
    { zeroWeeks: 1, fires: true },
    { zeroWeeks: MAX_WEEKS_WITHOUT_LEADS, fires: true },
    { zeroWeeks: MAX_WEEKS_WITHOUT_LEADS + 1, fires: false },
  ])('looks back past $zeroWeeks zero-lead weeks: $fires', ({ zeroWeeks, fires }) => {
    const zeros = Array.from({ length: zeroWeeks }, () => leadMetrics(0, 800));

    const hit = check([...steadyWeeks(40, 5), ...zeros]);

    expect(hit?.rule === 'spend_without_leads').toBe(fires);
  });

  it('returns null when a zero-lead week had no spend', () => {
    const points = [...steadyWeeks(40, 5), leadMetrics(0, 0), leadMetrics(0, 800)];

    expect(check(points)).toBeNull();
  });

  it('returns null when a baseline week had no leads', () => {
    const points = withLast(leadMetrics(0, 800));
    points[3] = leadMetrics(0, 800);

    expect(check(points)).toBeNull();
  });

  it('returns null when leads were below minLeads', () => {
    expect(check(withLast(leadMetrics(0, 800), THRESHOLDS.minLeads - 2))).toBeNull();
  });

  it('returns stopped delivering after a week with leads', () => {
    const hit = check(withLast(null));

    expect(hit).toMatchObject({ rule: 'stopped_delivering', weeksBefore: 1 });
  });

  it('returns stopped delivering for a week with no impressions', () => {
    const silent = { ...leadMetrics(0, 0), impressions: 0, clicks: 0 };

    expect(check(withLast(silent))?.rule).toBe('stopped_delivering');
  });

  it('returns null for an ad set that stopped', () => {
    expect(check(withLast(null), 'adset')).toBeNull();
  });

  it('returns null for a brand campaign', () => {
    expect(check(withLast(leadMetrics(0, 800)), 'campaign', false)).toBeNull();
  });

  it('returns null with no history', () => {
    expect(check([leadMetrics(0, 800)])).toBeNull();
  });
});
