import { describe, expect, it } from 'vitest';
import type { AnalysisOutput } from '../../src/analysis/analysis-prompt.ts';
import type { AnalysisFacts, FactKpi } from '../../src/analysis/facts.ts';
import { splitSentences, verifyAnalysis } from '../../src/analysis/verify-analysis.ts';

const kpi = (fields: Partial<FactKpi>): FactKpi => ({
  kpi: 'leads',
  label: 'Leads',
  unit: 'count',
  value: null,
  previous: null,
  changePct: null,
  baseline: null,
  vsBaselinePct: null,
  noiseBandPct: null,
  status: 'FLAT',
  reason: null,
  ...fields,
});

const FACTS: AnalysisFacts = {
  reportName: 'Weekly ads',
  week: { start: '2026-11-23', end: '2026-11-29', label: '23–29 Nov 2026' },
  currency: 'USD',
  totals: {
    level: 'report',
    id: 'weekly',
    name: 'Weekly ads',
    propertyName: null,
    currency: 'USD',
    kpis: [
      kpi({
        kpi: 'spend',
        label: 'Spend',
        unit: 'money',
        value: 12345.67,
        previous: 11000,
        changePct: 12.2,
      }),
      kpi({
        value: 412,
        previous: 398,
        baseline: 400.5,
        vsBaselinePct: 2.9,
        changePct: 3.5,
        noiseBandPct: 45,
      }),
      kpi({ kpi: 'ctr', label: 'CTR', unit: 'percent', value: 1.55 }),
    ],
  },
  properties: [],
  campaigns: [
    {
      level: 'campaign',
      id: '101',
      name: 'Spring 2026 Promo 50% off',
      propertyName: 'Harbor View',
      currency: 'USD',
      kpis: [
        kpi({
          value: 37,
          reason:
            'Leads lower for 3 weeks running: 37 a week against 60 in the 8 weeks before (−38%)',
        }),
      ],
    },
  ],
  otherCampaigns: null,
  alerts: [],
  moreAlerts: 0,
  restatements: [],
  notes: [],
  counts: { properties: 1, campaigns: 1, campaignsInDetail: 1, alerts: 0 },
};

const output = (weekSummary: string[], headline = 'A calm week.'): AnalysisOutput => ({
  headline,
  weekSummary,
  trendSummary: [],
  recommendations: { marketing: [], digital: [], leadership: [] },
});

describe('verifyAnalysis', () => {
  it.each([
    { case: 'money with cents', claim: 'Spend was $12,345.67.' },
    { case: 'money rounded to thousands', claim: 'Spend was about $12.3k.' },
    { case: 'money rounded to hundreds', claim: 'Spend was about $12,300.' },
    { case: 'a count', claim: 'Leads were 412.' },
    { case: 'a rounded percentage', claim: 'Leads rose 3% on the week.' },
    { case: 'a difference from the week before', claim: 'That is 14 more leads than last week.' },
    { case: 'a number from a reason', claim: 'The 8 weeks before averaged 60 leads.' },
    { case: 'a CTR percentage', claim: 'CTR held at 1.55%.' },
    { case: 'the week label', claim: 'In the week of 23–29 Nov 2026 leads were 412.' },
    { case: 'a duration', claim: 'Over the 4-week baseline leads were steady.' },
    { case: 'digits inside a campaign name', claim: 'Spring 2026 Promo 50% off brought 37 leads.' },
    { case: 'no number at all', claim: 'Nothing needs action.' },
  ])('keeps $case', ({ claim }) => {
    const result = verifyAnalysis(output([claim]), FACTS);

    expect(result.dropped).toBe(0);
  });

  it.each([
    { case: 'an invented count', claim: 'Leads were 999.' },
    { case: 'an invented percentage', claim: 'Leads rose 17%.' },
    { case: 'a percentage that is only a count', claim: 'Leads rose 412%.' },
    { case: 'a money figure off by more than its cents', claim: 'Spend was $12,400.00.' },
    { case: 'a money figure rounded the wrong way', claim: 'Spend was about $12,400.' },
  ])('drops $case', ({ claim }) => {
    const result = verifyAnalysis(output([claim]), FACTS);

    expect(result.droppedClaims).toEqual([claim]);
  });

  it.each([
    { case: 'a rise stated as a rise', claim: 'Leads rose 3% on the week.' },
    { case: 'a fall stated as a fall', claim: 'Leads fell 38% against the 8 weeks before.' },
    { case: 'a fall stated with "down by"', claim: 'Leads were down by about 38%.' },
    { case: 'a fall stated after the number', claim: 'Leads were 38% lower than before.' },
    { case: 'a fall stated as a noun', claim: 'That is a 38% drop in leads.' },
    { case: 'a signed fall', claim: 'Leads moved −38% against the reference.' },
    { case: 'a change with no direction', claim: 'Leads moved 38% against the reference.' },
    { case: 'a count difference', claim: 'That is 14 more leads than last week.' },
    { case: 'a money rise', claim: 'Spend was up $1,345.67 on the week.' },
    { case: 'a level after "rose to"', claim: 'Leads rose to 412.' },
    { case: 'a level after "up to"', claim: 'Leads came up to 412.' },
    { case: 'a count after "down … of"', claim: 'Leads were down 3 of the last 4 weeks.' },
    { case: '"more" with no comparison', claim: '1 more campaign needs a look.' },
    { case: 'a negated direction', claim: 'Leads did not fall 3% this week.' },
    { case: 'both directions in one sentence', claim: 'Spend rose 12% while leads fell 38%.' },
  ])('keeps $case', ({ claim }) => {
    const result = verifyAnalysis(output([claim]), FACTS);

    expect(result.droppedClaims).toEqual([]);
  });

  it.each([
    { case: 'a fall stated as a rise', claim: 'Leads rose 38% against the 8 weeks before.' },
    { case: 'a rise stated as a fall', claim: 'Leads fell 3% on the week.' },
    { case: 'a fall stated as "up"', claim: 'Leads are up 38%.' },
    { case: 'a fall stated as "higher"', claim: 'Leads were 38% higher than before.' },
    { case: 'a fall stated as an increase', claim: 'That is a 38% increase in leads.' },
    { case: 'a fall stated with a plus sign', claim: 'Leads moved +38% against the reference.' },
    { case: 'a count rise stated as fewer', claim: 'That is 14 fewer leads than last week.' },
    { case: 'a money rise stated as a fall', claim: 'Spend was down $1,345.67 on the week.' },
    { case: 'one wrong direction of two', claim: 'Spend rose 12% while leads rose 38%.' },
    { case: 'a level stated as a change', claim: 'Leads grew 412 this week.' },
    { case: 'a noise band stated as a change', claim: 'Leads rose 45%.' },
  ])('drops $case', ({ claim }) => {
    const result = verifyAnalysis(output([claim]), FACTS);

    expect(result.droppedClaims).toEqual([claim]);
  });

  it('keeps the verified sentences of a bullet', () => {
    const result = verifyAnalysis(output(['Leads were 412. Clicks were 88,888.']), FACTS);

    expect(result.output.weekSummary).toEqual(['Leads were 412.']);
  });

  it('removes a bullet with no verified sentence', () => {
    const result = verifyAnalysis(output(['Clicks were 88,888.', 'Leads were 412.']), FACTS);

    expect(result.output.weekSummary).toEqual(['Leads were 412.']);
  });

  it('reports an unverified headline', () => {
    const result = verifyAnalysis(output([], 'Leads hit 5,000.'), FACTS);

    expect(result.headlineVerified).toBe(false);
  });

  it('drops an ALERT claim when there are no alerts', () => {
    const result = verifyAnalysis(
      output(['Everything is ALERT.', 'There are no ALERTs this week.']),
      FACTS,
    );

    expect(result.droppedClaims).toEqual(['Everything is ALERT.']);
  });

  it('counts the headline among the claims', () => {
    const result = verifyAnalysis(output(['Leads were 412.']), FACTS);

    expect(result).toMatchObject({ claims: 2, kept: 2, dropped: 0 });
  });
});

describe('splitSentences', () => {
  it('splits at sentence ends, not at decimals', () => {
    expect(splitSentences('CPL was $23.10. Leads held. CTR 1.5% is fine')).toEqual([
      'CPL was $23.10.',
      'Leads held.',
      'CTR 1.5% is fine',
    ]);
  });
});
