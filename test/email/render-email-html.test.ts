import { caniemail } from 'caniemail';
import { describe, expect, it } from 'vitest';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { buildReportData, type ReportDataOptions } from '../helpers/report-data.ts';
import { lintEmailHtml, readTags } from './html-lint.ts';

/** Outlook on Windows, Gmail everywhere, Apple Mail on macOS and iOS, and Outlook on iOS. */
type ClientGlobs = Parameters<typeof caniemail>[0]['clients'];

const MAJOR_CLIENTS: ClientGlobs = ['outlook.windows', 'gmail.*', 'apple-mail.*', 'outlook.ios'];

const VARIANTS: Array<{ case: string; options: ReportDataOptions; charts?: boolean }> = [
  { case: 'the sample report', options: {} },
  { case: '1,000 campaigns', options: { campaigns: 1000 } },
  { case: 'mixed currencies', options: { mixedCurrencies: true } },
  { case: 'HubSpot unavailable', options: { hubspotAvailable: false } },
  { case: 'an unavailable property', options: { unavailableProperties: 1 } },
  { case: 'every property unavailable', options: { unavailableProperties: 3 } },
  { case: 'charts turned off', options: {}, charts: false },
];

/** Lists the features that a major client does not support at all, as "client: feature". */
function unsupportedFeatures(html: string): string[] {
  const result = caniemail({ clients: MAJOR_CLIENTS, html });

  return [...result.issues.errors].flatMap(([client, issues]) =>
    issues.map((issue) => `${client}: ${issue.title}`),
  );
}

describe('renderEmailHtml', () => {
  it.each(VARIANTS)('uses only supported features for $case', ({ options, charts }) => {
    const { html } = renderReportEmail(buildReportData(options), { charts });

    expect(unsupportedFeatures(html)).toEqual([]);
  });

  it.each(VARIANTS)('passes the structural lint for $case', ({ options, charts }) => {
    const email = renderReportEmail(buildReportData(options), { charts });

    const problems = lintEmailHtml(
      email.html,
      email.images.map((image) => image.cid),
    );

    expect(problems).toEqual([]);
  });

  it('lays out eight KPI cards as flat quarter-width cells', () => {
    const { html } = renderReportEmail(buildReportData());

    const cards = readTags(html).filter(
      (tag) => tag.name === 'td' && tag.attributes.get('width') === '25%',
    );

    expect(cards).toHaveLength(8);
  });

  it('labels the CPL card as lead campaigns only', () => {
    const { html } = renderReportEmail(buildReportData());

    expect(html).toContain('>CPL (lead campaigns)</p>');
  });

  it('explains statuses and CPL under the campaigns', () => {
    const { html } = renderReportEmail(buildReportData());
    const campaigns = html.slice(html.indexOf('>Campaigns</h2>'), html.indexOf('>Lead activity'));

    expect(campaigns).toContain('FLAT: within normal variance, or too little history');
    expect(campaigns).toContain('CPL (lead campaigns): spend of lead-generating campaigns');
  });

  it('gives the container a fixed 600 width', () => {
    const { html } = renderReportEmail(buildReportData());

    expect(html).toMatch(/<table role="presentation" width="600"[^>]*max-width:600px/);
  });

  it('adds an Outlook ghost table of 600', () => {
    const { html } = renderReportEmail(buildReportData());

    expect(html).toContain('<!--[if mso]><table role="presentation" width="600"');
  });

  it('contains no line breaks or indentation', () => {
    const { html } = renderReportEmail(buildReportData());

    expect(html).not.toMatch(/\n|>\s{2,}</);
  });
});

describe('lintEmailHtml', () => {
  // The lint must be able to fail, or the tests above prove nothing.
  it.each([
    {
      case: 'a width with a unit',
      html: '<table role="presentation" width="164px"><tr><td></td></tr></table>',
      problem: /has a unit/,
    },
    {
      case: 'a nested table in a KPI card',
      html: '<table role="presentation" width="100%"><tr><td width="25%"><table role="presentation" width="100%"><tr><td></td></tr></table></td></tr></table>',
      problem: /nested <table>/,
    },
    {
      case: 'a cid without an image',
      html: '<img src="cid:missing@adreport" width="1" height="1" alt="x">',
      problem: /no image part/,
    },
    {
      case: 'an image without alt text',
      html: '<img src="cid:a" width="1" height="1">',
      problem: /has no alt/,
    },
    {
      case: 'a table without a width',
      html: '<table role="presentation"><tr><td></td></tr></table>',
      problem: /without a width/,
    },
    {
      case: 'a flexbox layout',
      html: '<div style="display:flex"></div>',
      problem: /Outlook ignores/,
    },
    {
      case: 'margin auto centring',
      html: '<div style="margin:0 auto"></div>',
      problem: /margin auto/,
    },
    { case: 'an SVG image', html: '<svg></svg>', problem: /not allowed/ },
  ])('reports $case', ({ html, problem }) => {
    const problems = lintEmailHtml(html, ['a']);

    expect(problems.join('\n')).toMatch(problem);
  });
});
