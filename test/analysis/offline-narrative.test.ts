import { describe, expect, it } from 'vitest';
import type { AnalysisFacts, FactAlert } from '../../src/analysis/facts.ts';
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

/** Returns the facts of a calm week with `alerts` put in, as if the signals had raised them. */
function withAlerts(alerts: FactAlert[]): AnalysisFacts {
  const facts = steady();

  return { ...facts, alerts, counts: { ...facts.counts, alerts: alerts.length } };
}

const leadAlert = (name: string, kpi: string): FactAlert => ({
  level: 'campaign',
  name,
  kpi,
  reason: `${kpi} higher for 3 weeks running`,
});

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

  it.each([
    {
      case: 'one alert',
      alerts: [leadAlert('Open house', 'CPL')],
      headline: 'ALERT on Open house: CPL higher for 3 weeks running.',
    },
    {
      case: 'three alerts on two campaigns',
      alerts: [
        leadAlert('Open house', 'CPL'),
        leadAlert('Open house', 'Leads'),
        leadAlert('Evergreen', 'CPL'),
      ],
      headline:
        'ALERT on Open house: CPL higher for 3 weeks running. 3 alerts in all need attention.',
    },
  ])('counts alerts in the headline for $case', ({ alerts, headline }) => {
    const analysis = writeOfflineNarrative(withAlerts(alerts), null);

    expect(analysis.headline).toBe(headline);
  });

  it('quotes a verifiable alert count', () => {
    const facts = declining();

    const analysis = writeOfflineNarrative(facts, null);

    expect(analysis.headline).toContain(`${facts.counts.alerts} alerts in all`);
    expect(verifyAnalysis(analysis, facts).headlineVerified).toBe(true);
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
