import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildSummaryMessage, TOP_CAMPAIGNS } from '../../src/slack/build-summary-blocks.ts';
import { validateBlocks } from '../fakes/slack-api.ts';
import { makeAlerts, makeKpi, makeProperty, makeReport } from './make-report.ts';

function allText(blocks: KnownBlock[]): string {
  return JSON.stringify(blocks);
}

describe('buildSummaryMessage', () => {
  it('returns one message for a small report', () => {
    const messages = buildSummaryMessage(makeReport());

    expect(messages).toHaveLength(1);
    expect(validateBlocks(messages[0]?.blocks ?? [])).toBeNull();
  });

  it('starts with a header naming report and week', () => {
    const [message] = buildSummaryMessage(makeReport());

    expect(message?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Acme paid social: 23–29 Nov 2026', emoji: true },
    });
  });

  it('shows KPI fields with statuses', () => {
    const report = makeReport();
    report.totals?.kpis.splice(0, 1, makeKpi('spend', 1234.5, 'UP'));

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain('*Spend*\\n$1,234.50  [UP]  +5.0%');
  });

  it('shows a dash for undefined ratios', () => {
    const report = makeReport();
    report.totals?.kpis.splice(2, 1, makeKpi('cpl', null, 'OK'));

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain('*CPL (lead campaigns)*\\n—  [OK]');
  });

  it('never shows NaN or Infinity', () => {
    const report = makeReport();
    report.totals?.kpis.splice(
      2,
      1,
      makeKpi('cpl', Number.POSITIVE_INFINITY),
      makeKpi('ctr', Number.NaN),
    );

    const text = allText(buildSummaryMessage(report).flatMap((message) => message.blocks));

    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it('ends the first message with the thread invitation', () => {
    const [message] = buildSummaryMessage(makeReport());

    expect(allText([message?.blocks.at(-1) as KnownBlock])).toContain('Reply in this thread');
  });

  it('lists the alerts', () => {
    const report = makeReport({ alerts: makeAlerts(2) });

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain('*Alerts (2)*');
  });

  it.each([
    { count: 0, suffix: '' },
    { count: 1, suffix: ' 1 alert.' },
    { count: 3, suffix: ' 3 alerts.' },
  ])('counts $count alerts in the fallback text', ({ count, suffix }) => {
    const report = makeReport({ alerts: makeAlerts(count) });

    const [message] = buildSummaryMessage(report);

    expect(message?.text).toBe(
      `Acme paid social, 23–29 Nov 2026: Leads held steady while spend rose 5%${suffix}`,
    );
  });

  it('names the week once in the fallback text', () => {
    const report = makeReport({ alerts: [] });
    report.analysis.headline = 'No alerts for 23–29 Nov 2026: spend $1,234 and 56 leads.';

    const [message] = buildSummaryMessage(report);

    expect(message?.text).toBe(
      'Acme paid social: No alerts for 23–29 Nov 2026: spend $1,234 and 56 leads.',
    );
  });

  it('counts the alerts once in the fallback text', () => {
    const report = makeReport({ alerts: makeAlerts(3) });
    report.analysis.headline = 'ALERT on Spring: no leads. 3 alerts in all need attention.';

    const [message] = buildSummaryMessage(report);

    expect(message?.text).toBe(
      'Acme paid social, 23–29 Nov 2026: ALERT on Spring: no leads. 3 alerts in all need attention.',
    );
  });

  it('names the campaign of an ad-set alert', () => {
    const report = makeReport();
    const campaign = report.properties[0]?.campaigns[0]?.week;
    if (!campaign) throw new Error('makeReport has no campaign');
    campaign.adsets = [{ adsetId: 'as-1', adsetName: 'Lookalike 1%', metrics: campaign.metrics }];
    report.alerts = [
      { level: 'adset', id: 'as-1', name: 'Lookalike 1%', kpi: 'leads', reason: 'Leads fell' },
    ];

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain(
      `*Lookalike 1%* (campaign ${campaign.campaignName}): Leads fell`,
    );
  });

  it.each([
    {
      kpi: 'leads' as const,
      reason: 'Leads per click lower for 3 weeks running: 1.2% over the last 3 weeks',
    },
    { kpi: 'rule' as const, reason: 'No leads this week while $800 was spent' },
  ])('formats a $kpi alert line', ({ kpi, reason }) => {
    const report = makeReport({
      alerts: [{ level: 'campaign', id: '1', name: 'Spring', kpi, reason }],
    });

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain(`• *[ALERT]* *Spring*: ${reason}`);
  });

  it('explains the CPL under the KPI fields', () => {
    const [message] = buildSummaryMessage(makeReport());

    expect(allText(message?.blocks ?? [])).toContain('spend of lead-generating campaigns');
  });

  it('escapes a campaign named like a channel ping', () => {
    const property = makeProperty('main', 1, { campaignName: () => '<!channel> sale' });
    const report = makeReport({
      properties: [property],
      alerts: [
        { level: 'campaign', id: '1', name: '<!here> x', kpi: 'rule', reason: '<@U01> & co' },
      ],
      analysis: { ...makeReport().analysis, headline: '<!everyone> headline' },
      notes: ['<https://evil.example|click>'],
    });

    const messages = buildSummaryMessage(report);
    const text =
      allText(messages.flatMap((message) => message.blocks)) + messages.map((m) => m.text).join();

    expect(text).not.toMatch(/<[!@#]|<https?:/);
    expect(text).toContain('&lt;!channel&gt; sale');
  });

  it('keeps every top campaign beside a 3,000-character name', () => {
    const property = makeProperty('main', 15, {
      campaignName: (index) => (index === 0 ? 'L'.repeat(3000) : `Campaign ${index}`),
    });
    const report = makeReport({ properties: [property] });

    const text = allText(buildSummaryMessage(report).flatMap((message) => message.blocks));

    expect(text).toContain(`*${'L'.repeat(79)}…*`);
    expect(text).not.toContain('L'.repeat(80));
    for (let index = 1; index < 15; index += 1) expect(text).toContain(`*Campaign ${index}*`);
  });

  it('keeps the bold mark around a bold name', () => {
    const property = makeProperty('main', 1, { campaignName: () => 'Spring *new* _v2_' });
    const report = makeReport({ properties: [property] });

    const text = allText(buildSummaryMessage(report).flatMap((message) => message.blocks));

    expect(text).toContain('*Spring \u2217new\u2217 \u02cdv2\u02cd*');
  });

  it('removes a right-to-left override from names', () => {
    const property = makeProperty('main', 1, { campaignName: () => 'Sale \u202eRTL' });
    const report = makeReport({ properties: [property] });

    const text = allText(buildSummaryMessage(report).flatMap((message) => message.blocks));

    expect(text).toContain('*Sale RTL*');
  });

  it('lists the top campaigns then a count of the rest', () => {
    const report = makeReport({ properties: [makeProperty('main', 300)] });

    const [message] = buildSummaryMessage(report);
    const text = allText(message?.blocks ?? []);

    expect(text).toContain(`Top campaigns by spend (${TOP_CAMPAIGNS} of 300)`);
    expect(text).toContain(`+${300 - TOP_CAMPAIGNS} more campaigns`);
    expect(text).toContain('Campaign 299');
    expect(text).not.toContain('Campaign 0*');
  });

  it('stays within Block Kit limits with 300 campaigns', () => {
    const longName = (index: number) => `${'Ω'.repeat(180)} <&> ${index}`;
    const properties = Array.from({ length: 30 }, (_, index) =>
      makeProperty(`p${index}`, 10, {
        name: `P${'n'.repeat(200)}${index}`,
        campaignName: longName,
      }),
    );
    const report = makeReport({
      reportName: 'R'.repeat(300),
      properties,
      alerts: makeAlerts(300, 180),
      analysis: {
        ...makeReport().analysis,
        headline: 'h'.repeat(4500),
        weekSummary: ['w'.repeat(4500)],
      },
    });

    const messages = buildSummaryMessage(report);

    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(validateBlocks(message.blocks)).toBeNull();
      expect(message.text.length).toBeLessThanOrEqual(4000);
    }
  });

  it('keeps every alert when split into several messages', () => {
    const report = makeReport({ alerts: makeAlerts(300, 180) });

    const messages = buildSummaryMessage(report);
    const text = allText(messages.flatMap((message) => message.blocks));

    expect(messages.length).toBeGreaterThan(1);
    expect(text).toContain('Campaign 0*');
    expect(text).toContain('Campaign 299*');
  });

  it('marks later messages as parts', () => {
    const messages = buildSummaryMessage(makeReport({ alerts: makeAlerts(300, 180) }));

    expect(messages[1]?.text).toMatch(/\(part 2 of \d+\)$/);
  });

  it('escapes names in the narrative like elsewhere', () => {
    const name = `Sunset *Lofts* _x_ \`t\` \u202egnp.${'P'.repeat(160)}`;
    const quoted = `${name.replace('\u202e', '').slice(0, 119)}…`;
    const analysis = { ...makeReport().analysis, weekSummary: [`${quoted}: spend $1,000.00.`] };
    const report = makeReport({ properties: [makeProperty('sun', 1, { name })], analysis });
    const expectedName = `Sunset \u2217Lofts\u2217 \u02cdx\u02cd \u02cbt\u02cb gnp.${'P'.repeat(52)}…`;

    const [message] = buildSummaryMessage(report);
    const text = allText(message?.blocks ?? []);

    expect(text).toContain(`• ${expectedName}: spend $1,000.00.`);
    expect(text).not.toContain('*Lofts*');
    expect(text).not.toContain('P'.repeat(53));
  });

  it('lists unavailable properties without figures', () => {
    const down = {
      ...makeProperty('down', 0, { name: 'Down site' }),
      availability: 'unavailable' as const,
    };
    down.unavailableReason = 'Meta permission error';
    const report = makeReport({ properties: [makeProperty('main', 2), down] });

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain(
      '*Down site*: Meta data unavailable (Meta permission error)',
    );
  });

  it('hides money totals when currencies differ', () => {
    const report = makeReport({
      currency: null,
      properties: [
        makeProperty('us', 1, { currency: 'USD' }),
        makeProperty('eu', 1, { currency: 'EUR' }),
      ],
    });

    const [message] = buildSummaryMessage(report);
    const text = allText(message?.blocks ?? []);

    expect(text).not.toContain('*Spend*');
    expect(text).toContain('€');
  });

  it('marks the offline narrative', () => {
    const analysis = {
      ...makeReport().analysis,
      source: 'offline' as const,
      fallbackReason: 'Claude timed out',
    };

    const [message] = buildSummaryMessage(makeReport({ analysis }));

    expect(allText(message?.blocks ?? [])).toContain(
      'offline narrative, not Claude: Claude timed out',
    );
  });

  it('mentions restated weeks', () => {
    const report = makeReport({
      restatements: [
        {
          propertyId: 'main',
          campaignId: null,
          weekStart: '2026-11-16',
          kpi: 'leads',
          before: 10,
          after: 12,
        },
      ],
    });

    const [message] = buildSummaryMessage(report);

    expect(allText(message?.blocks ?? [])).toContain('week of 2026-11-16: Leads (Meta) 10 → 12');
  });

  it('hides HubSpot leads when HubSpot was unavailable', () => {
    const [message] = buildSummaryMessage(makeReport({ hubspotAvailable: false }));
    const text = allText(message?.blocks ?? []);

    expect(text).not.toContain('*HubSpot leads*');
    expect(text).toContain('HubSpot leads are unavailable this week.');
  });
});

describe('buildSummaryMessage report name', () => {
  const report = makeReport({ reportName: 'N'.repeat(200) });
  const messages = buildSummaryMessage({ ...report, alerts: makeAlerts(300, 180) });

  it('keeps the week after a 200-character name', () => {
    expect(messages[0]?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: `${'N'.repeat(79)}…: 23–29 Nov 2026`, emoji: true },
    });
  });

  it('keeps week and alerts in the fallback text', () => {
    expect(messages[0]?.text).toBe(
      `${'N'.repeat(79)}…, 23–29 Nov 2026: Leads held steady while spend rose 5% 300 alerts.`,
    );
  });

  it('keeps the week in later parts', () => {
    expect(messages[1]?.text).toBe(
      `${'N'.repeat(79)}…, 23–29 Nov 2026 (part 2 of ${messages.length})`,
    );
  });
});

describe('buildSummaryMessage degraded totals', () => {
  function unavailableProperty(id: string, name: string) {
    return { ...makeProperty(id, 0, { name }), availability: 'unavailable' as const };
  }

  function contextTexts(report: ReturnType<typeof makeReport>): string[] {
    const [message] = buildSummaryMessage(report);

    return (message?.blocks ?? []).flatMap((block) =>
      block.type === 'context'
        ? block.elements.map((element) => ('text' in element ? element.text : ''))
        : [],
    );
  }

  it('says which properties the totals cover', () => {
    const report = makeReport({
      properties: [makeProperty('main', 2), unavailableProperty('down', 'Down site')],
    });

    expect(contextTexts(report)).toContain(
      'Totals and changes cover 1 of 2 properties in both weeks. Down site is left out because ' +
        'its Meta data is unavailable this week.',
    );
  });

  it('names every unavailable property', () => {
    const report = makeReport({
      properties: [
        makeProperty('main', 2),
        unavailableProperty('a', 'North *site*'),
        unavailableProperty('b', 'South site'),
      ],
    });

    expect(contextTexts(report).join('\n')).toContain(
      'North ∗site∗ and South site are left out because their Meta data',
    );
  });

  it('states no coverage when every property has data', () => {
    const report = makeReport({ properties: [makeProperty('main', 2), makeProperty('second', 1)] });

    expect(contextTexts(report).join('\n')).not.toContain('Totals and changes cover');
  });
});
