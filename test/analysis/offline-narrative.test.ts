import { describe, expect, it } from 'vitest';
import { writeOfflineNarrative } from '../../src/analysis/offline-narrative.ts';
import { verifyAnalysis } from '../../src/analysis/verify-analysis.ts';
import { buildScenario, leadMetrics, steadyWeeks } from './analysis-fixtures.ts';

const steady = () =>
  buildScenario([{ id: '101', name: 'Open house', weeks: steadyWeeks(60) }]).facts;

function declining() {
  const weeks = steadyWeeks(60).map((week, index) =>
    index >= 9 ? leadMetrics(Math.round(week.leads * 0.6), week.spendMinor / 100) : week,
  );

  return buildScenario([
    { id: '101', name: 'Open house', weeks },
    { id: '102', name: 'Evergreen', weeks: steadyWeeks(60) },
    { id: '103', name: 'Stopped form', weeks: [...steadyWeeks(40, 11), leadMetrics(0, 900)] },
  ]).facts;
}

describe('writeOfflineNarrative', () => {
  it('returns the same text for the same facts', () => {
    const facts = declining();

    expect(writeOfflineNarrative(facts, 'x')).toEqual(writeOfflineNarrative(facts, 'x'));
  });

  it('says there are no alerts in a calm week', () => {
    const analysis = writeOfflineNarrative(steady(), null);

    expect(analysis.headline).toMatch(
      /^No alerts for 23–29 Nov 2026: Spend \$[\d,.]+ \[OK\], Leads \d+ \[OK\]/,
    );
    expect(analysis.recommendations.leadership[0]).toMatch(/^No decision needed/);
  });

  it('leads with the campaign behind an alert', () => {
    const analysis = writeOfflineNarrative(declining(), null);

    expect(analysis.headline).toMatch(/^ALERT on (Open house|Stopped form): /);
  });

  it('sends rule alerts to Digital/Dev and sustained ones to Marketing', () => {
    const analysis = writeOfflineNarrative(declining(), null);

    expect(analysis.recommendations.digital.join(' ')).toContain('Stopped form');
    expect(analysis.recommendations.marketing.join(' ')).toContain('Open house');
  });

  it('fills every section', () => {
    const analysis = writeOfflineNarrative(steady(), null);

    const sections = [
      analysis.weekSummary,
      analysis.trendSummary,
      ...Object.values(analysis.recommendations),
    ];

    expect(sections.every((section) => section.length > 0)).toBe(true);
  });

  it('marks itself offline with the reason', () => {
    const analysis = writeOfflineNarrative(steady(), 'Claude timed out');

    expect(analysis).toMatchObject({
      source: 'offline',
      model: null,
      fallbackReason: 'Claude timed out',
      usage: null,
    });
  });

  it('quotes only figures that pass the number check', () => {
    const facts = declining();
    const analysis = writeOfflineNarrative(facts, null);

    const check = verifyAnalysis(analysis, facts);

    expect(check.droppedClaims).toEqual([]);
  });

  it('mentions the notes', () => {
    const { facts } = buildScenario(
      [{ id: '101', name: 'Open house', weeks: steadyWeeks(60) }],
      ['HubSpot was unavailable'],
    );

    expect(writeOfflineNarrative(facts, null).weekSummary).toContain('HubSpot was unavailable');
  });
});
