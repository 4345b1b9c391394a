/**
 * Simulates the weekly delivery of every planned campaign: spend that drifts, impressions from
 * the cost per mille, binomial clicks and Poisson leads around each scenario's weekly mean.
 */
import { binomial, mulberry32, normal, poisson, type Random, seedFrom } from './random.ts';
import { type AdSetPlan, type CampaignPlan, WEEK_COUNT } from './sample-plan.ts';

/** One ad set's delivery in one week, with money in cents. */
export interface AdSetDelivery {
  adset: AdSetPlan;
  spendCents: number;
  impressions: number;
  clicks: number;
  linkClicks: number;
  landingPageViews: number;
  postEngagement: number;
  videoViews: number;
  /** Leads from Instant Forms on Facebook (`onsite_conversion.lead_grouped`). */
  formLeads: number;
  /** Leads from the website pixel (`offsite_conversion.fb_pixel_lead`). */
  pixelLeads: number;
  /** The `offsite_content_view_add_meta_leads` custom event: content views, not leads. */
  contentViews: number;
}

/** One campaign's ad sets in every report week. An inactive week has no ad sets. */
export interface CampaignDelivery {
  campaign: CampaignPlan;
  weeks: AdSetDelivery[][];
}

const SEED = 20261123;

/** Simulates every campaign from its own seeded stream, so one campaign never shifts another. */
export function simulateCampaignWeeks(campaigns: CampaignPlan[]): CampaignDelivery[] {
  return campaigns.map((campaign) => {
    const stream = campaign.seedSalt ? `${campaign.id}#${campaign.seedSalt}` : campaign.id;
    const random = mulberry32(SEED ^ seedFrom(stream));
    const spendFactors = driftFactors(random);
    const weeks = spendFactors.map((factor, week) =>
      campaign.active[week] ? simulateWeek(random, campaign, week, factor) : [],
    );

    return { campaign, weeks };
  });
}

// An AR(1) walk on the log of spend: budgets wander week to week but return to plan.
function driftFactors(random: Random): number[] {
  const factors: number[] = [];
  let level = 0;
  for (let week = 0; week < WEEK_COUNT; week += 1) {
    level = 0.6 * level + normal(random, 0, 0.07);
    factors.push(Math.exp(level));
  }

  return factors;
}

function simulateWeek(
  random: Random,
  campaign: CampaignPlan,
  week: number,
  spendFactor: number,
): AdSetDelivery[] {
  const clickableShare = campaign.adsets
    .filter((adset) => adset.clickable)
    .reduce((sum, adset) => sum + adset.share, 0);
  const leadMean = campaign.leadMeans[week] ?? 0;

  return campaign.adsets.map((adset) => {
    const adsetLeadMean = adset.clickable ? (leadMean * adset.share) / clickableShare : 0;

    return simulateAdSet(random, campaign, adset, spendFactor, adsetLeadMean);
  });
}

function simulateAdSet(
  random: Random,
  campaign: CampaignPlan,
  adset: AdSetPlan,
  spendFactor: number,
  leadMean: number,
): AdSetDelivery {
  const spend =
    campaign.weeklySpend * spendFactor * adset.share * Math.exp(normal(random, 0, 0.04));
  const spendCents = Math.max(1, Math.round(spend * 100));
  const impressions = Math.round((spend / campaign.cpm) * 1000 * Math.exp(normal(random, 0, 0.06)));
  const ctr = adset.clickable ? campaign.ctr * Math.exp(normal(random, 0, 0.08)) : 0;
  const clicks = binomial(random, impressions, ctr);
  const linkClicks = binomial(random, clicks, 0.72);
  // Instant Forms open on Facebook, so only ad sets with a website destination load a page.
  const landingPageViews = binomial(random, linkClicks, 0.78 * (1 - adset.formShare));
  const leads = poisson(random, leadMean);
  const formLeads = binomial(random, leads, adset.formShare);
  const pixelLeads = leads - formLeads;

  return {
    adset,
    spendCents,
    impressions,
    clicks,
    linkClicks,
    landingPageViews,
    postEngagement: linkClicks + binomial(random, impressions, engagementRate(campaign)),
    videoViews:
      campaign.objective === 'OUTCOME_AWARENESS' ? binomial(random, impressions, 0.09) : 0,
    formLeads,
    pixelLeads,
    contentViews: pixelLeads > 0 ? binomial(random, landingPageViews, 0.12) : 0,
  };
}

function engagementRate(campaign: CampaignPlan): number {
  if (campaign.objective === 'OUTCOME_ENGAGEMENT') return 0.03;
  if (campaign.objective === 'OUTCOME_AWARENESS') return 0.008;

  return 0.002;
}

/** Meta leads of one ad set: the `lead` roll-up, which is form plus pixel leads. */
export function leadsOf(delivery: AdSetDelivery): number {
  return delivery.formLeads + delivery.pixelLeads;
}
