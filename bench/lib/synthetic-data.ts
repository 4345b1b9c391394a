/**
 * Deterministic synthetic ad accounts for the benchmarks: campaigns with ad sets spread over a
 * few properties, their weekly Graph insights rows and the HubSpot contacts they produce. Every
 * figure is a pure function of the seed, the campaign, the ad set and the week, so the history
 * seeded before a timed run and the rows the Graph fake serves during it agree to the cent.
 */
import { InputError } from '../../src/shared/errors.ts';

/** Size of the generated accounts; the campaign count is the variable the benchmarks scale. */
export interface SyntheticShape {
  campaigns: number;
  adsetsPerCampaign: number;
  /** Properties (one Meta ad account each); campaigns are dealt to them in turn. */
  properties: number;
  seed: number;
}

export interface SyntheticAdSet {
  id: string;
  name: string;
  /** Share of the campaign's spend; the shares of one campaign add up to 1. */
  weight: number;
}

export interface SyntheticCampaign {
  index: number;
  id: string;
  name: string;
  propertyIndex: number;
  objective: 'OUTCOME_LEADS' | 'OUTCOME_TRAFFIC';
  /** Typical weekly spend in cents. */
  baseSpendMinor: number;
  /** Cost per 1,000 impressions in cents. */
  cpmMinor: number;
  /** Clicks per impression. */
  ctr: number;
  /** Leads per click; 0 for traffic campaigns. */
  leadRate: number;
  /** Relative change of spend per week (-0.04 is a 4 % decline each week). */
  weeklyTrend: number;
  adsets: SyntheticAdSet[];
}

/** One ad set's delivery in one week; all counts are non-negative integers. */
export interface AdSetWeekFigures {
  spendMinor: number;
  impressions: number;
  clicks: number;
  leads: number;
  linkClicks: number;
  landingPageViews: number;
}

/**
 * Version of a week's figures. `stored` is the version in the seeded history. `restated` is the
 * version Graph returns in the timed run, with a few late conversions credited in weeks -3 to -1.
 */
export type FigureVariant = 'stored' | 'restated';

/** Share of ad-set weeks without delivery, which Graph leaves out of the insights response. */
const PAUSED_SHARE = 0.04;
/** Share of lead-generating ad sets whose leads Meta restates in the re-fetched weeks. */
const RESTATED_SHARE = 0.03;

const THEMES = [
  'Spring open house',
  'Student housing',
  'Move-in special',
  'Luxury lofts',
  'Pet friendly & parking',
  'Retargeting: site visitors',
  'Lookalike renters',
  'Short-term lets',
];
const AUDIENCES = [
  'Lookalike 1% — 25-44',
  'Retargeting 30d',
  'Interest: renters',
  'Broad — 18-65',
  'Advantage+ audience',
];

/** Returns a deterministic number in [0, 1) for a seed and a key (FNV-1a, then a mixer). */
export function unitNoise(seed: number, key: string): number {
  let hash = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  // The mulberry32 finaliser spreads FNV's weak low bits over the whole word.
  let mixed = (hash + 0x6d2b79f5) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
  mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);

  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
}

/** Property id of the zero-based `index`, e.g. `property-01`. */
export function propertyIdOf(index: number): string {
  return `property-${pad(index + 1, 2)}`;
}

/** Meta ad account id of the property at the zero-based `index`. */
export function adAccountIdOf(index: number): string {
  return `act_44200000${pad(index + 1, 2)}`;
}

/**
 * Builds the campaigns of a shape. Spend is spread log-uniformly from $30 to $600 a week, 80 % of
 * campaigns generate leads, and 15 % have a steady weekly trend so that some statuses move.
 *
 * @throws InputError when a count is not a positive integer.
 */
export function buildCampaigns(shape: SyntheticShape): SyntheticCampaign[] {
  checkShape(shape);

  return Array.from({ length: shape.campaigns }, (_, index) => buildCampaign(shape, index));
}

function buildCampaign(shape: SyntheticShape, index: number): SyntheticCampaign {
  const noise = (name: string) => unitNoise(shape.seed, `campaign:${index}:${name}`);
  const propertyIndex = index % shape.properties;
  const id = `1203${pad(index, 7)}0000000`;
  const isLeadGen = noise('objective') < 0.8;
  const trendDraw = noise('trend');
  const theme = THEMES[Math.floor(noise('theme') * THEMES.length)] as string;

  return {
    index,
    id,
    name: `Property ${pad(propertyIndex + 1, 2)} | ${isLeadGen ? 'Leads' : 'Traffic'} | ${theme} #${pad(index, 4)}`,
    propertyIndex,
    objective: isLeadGen ? 'OUTCOME_LEADS' : 'OUTCOME_TRAFFIC',
    baseSpendMinor: Math.round(3000 * Math.exp(noise('spend') * Math.log(20))),
    cpmMinor: Math.round(600 + noise('cpm') * 1200),
    ctr: 0.006 + noise('ctr') * 0.014,
    leadRate: isLeadGen ? 0.02 + noise('leadRate') * 0.04 : 0,
    weeklyTrend: weeklyTrendOf(trendDraw),
    adsets: buildAdSets(shape, index, id),
  };
}

/** Maps a draw in [0, 1) to a trend: 10 % of campaigns decline 4 % a week and 5 % grow 4 %. */
function weeklyTrendOf(draw: number): number {
  if (draw < 0.1) return -0.04;
  if (draw < 0.15) return 0.04;

  return 0;
}

function buildAdSets(shape: SyntheticShape, campaignIndex: number, campaignId: string) {
  const raw = Array.from(
    { length: shape.adsetsPerCampaign },
    (_, j) => 0.5 + unitNoise(shape.seed, `adset:${campaignIndex}:${j}`),
  );
  const total = raw.reduce((sum, value) => sum + value, 0);

  return raw.map(
    (value, j): SyntheticAdSet => ({
      id: `${campaignId.slice(0, -2)}${pad(j + 1, 2)}`,
      name: `${AUDIENCES[j % AUDIENCES.length]} #${j + 1}`,
      weight: value / total,
    }),
  );
}

/**
 * Returns one ad set's figures for the week `weekOffset` weeks from the report week (0 is the
 * report week, -1 the week before), or null when the ad set did not deliver that week.
 */
export function adsetWeekFigures(
  seed: number,
  campaign: SyntheticCampaign,
  adsetIndex: number,
  weekOffset: number,
  variant: FigureVariant = 'stored',
): AdSetWeekFigures | null {
  const adset = campaign.adsets[adsetIndex];
  if (!adset) return null;
  const noise = (name: string) =>
    unitNoise(seed, `week:${campaign.index}:${adsetIndex}:${weekOffset}:${name}`);
  if (noise('paused') < PAUSED_SHARE) return null;

  const weekFactor = (1 + campaign.weeklyTrend) ** weekOffset * (0.88 + noise('spend') * 0.24);
  const spendMinor = Math.max(1, Math.round(campaign.baseSpendMinor * adset.weight * weekFactor));
  const impressions = Math.round((spendMinor / campaign.cpmMinor) * 1000);
  const clicks = Math.round(impressions * campaign.ctr * (0.9 + noise('clicks') * 0.2));
  const linkClicks = Math.round(clicks * 0.85);
  let leads = Math.floor(
    clicks * campaign.leadRate * (0.8 + noise('leads') * 0.4) + noise('round'),
  );
  if (variant === 'restated' && isRestated(campaign, weekOffset, noise('restated'))) leads += 1;

  return {
    spendMinor,
    impressions,
    clicks,
    leads,
    linkClicks,
    landingPageViews: Math.round(linkClicks * 0.75),
  };
}

function isRestated(campaign: SyntheticCampaign, weekOffset: number, draw: number): boolean {
  return campaign.leadRate > 0 && weekOffset >= -3 && weekOffset <= -1 && draw < RESTATED_SHARE;
}

/**
 * Builds the Graph insights rows (level `adset`) of one property for one week, the way Graph
 * sends them: numbers as strings, overlapping lead action types, zero metrics left out and
 * ad sets without delivery absent.
 */
export function insightsRowsFor(
  seed: number,
  campaigns: SyntheticCampaign[],
  propertyIndex: number,
  weekOffset: number,
  variant: FigureVariant = 'stored',
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const campaign of campaigns) {
    if (campaign.propertyIndex !== propertyIndex) continue;
    campaign.adsets.forEach((adset, adsetIndex) => {
      const figures = adsetWeekFigures(seed, campaign, adsetIndex, weekOffset, variant);
      if (figures) rows.push(graphRow(campaign, adset, figures));
    });
  }

  return rows;
}

function graphRow(
  campaign: SyntheticCampaign,
  adset: SyntheticAdSet,
  figures: AdSetWeekFigures,
): Record<string, unknown> {
  const onsiteLeads = Math.floor(figures.leads * 0.6);
  const actions: Array<[string, number]> = [
    ['link_click', figures.linkClicks],
    ['landing_page_view', figures.landingPageViews],
    // `lead` is Meta's roll-up of the two types after it; summing all three would double count.
    ['lead', figures.leads],
    ['onsite_conversion.lead_grouped', onsiteLeads],
    ['offsite_conversion.fb_pixel_lead', figures.leads - onsiteLeads],
  ];
  const row: Record<string, unknown> = {
    campaign_id: campaign.id,
    campaign_name: campaign.name,
    adset_id: adset.id,
    adset_name: adset.name,
    objective: campaign.objective,
    spend: (figures.spendMinor / 100).toFixed(2),
  };
  if (figures.impressions > 0) row.impressions = String(figures.impressions);
  if (figures.clicks > 0) row.clicks = String(figures.clicks);
  const nonZero = actions.filter(([, value]) => value > 0);
  if (nonZero.length > 0) {
    row.actions = nonZero.map(([type, value]) => ({ action_type: type, value: String(value) }));
  }

  return row;
}

function checkShape(shape: SyntheticShape): void {
  for (const name of ['campaigns', 'adsetsPerCampaign', 'properties'] as const) {
    const value = shape[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError('invalid_bench_shape', `Invalid ${name} ${value}`, {
        fix: `set ${name} to a positive integer`,
      });
    }
  }
  if (shape.adsetsPerCampaign > 99 || shape.campaigns > 9_999_999) {
    throw new InputError(
      'invalid_bench_shape',
      `Invalid shape: ${shape.campaigns} campaigns of ${shape.adsetsPerCampaign} ad sets`,
      { fix: 'use at most 9,999,999 campaigns and 99 ad sets a campaign, the id formats' },
    );
  }
}

/** Left-pads a number with zeros to `width` digits. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
