/**
 * Builds the source properties of one HubSpot contact, covering each attribution path the
 * pipeline must handle. Meta ids sit in `hsa_*` properties or only in the first page URL. Other
 * contacts carry a campaign name that matches after normalisation, a value that only a configured
 * name rule maps, or nothing that matches.
 */
import { pick, type Random } from './random.ts';
import {
  type AdSetPlan,
  type CampaignPlan,
  normaliseName,
  type PropertyPlan,
} from './sample-plan.ts';

type ContactValues = Record<string, string | null>;

const FIRST_PAGES = ['', 'floor-plans', 'schedule-a-tour', 'availability', 'amenities'];

/** A campaign name that no current campaign has: the campaign was renamed or deleted. */
const RETIRED_CAMPAIGN = 'fb_spring_2025_leads';

/** Builds the properties of a contact that one campaign and ad set produced. */
export function buildAttributedValues(
  random: Random,
  campaign: CampaignPlan,
  adset: AdSetPlan,
  fromForm: boolean,
): ContactValues {
  const style = campaign.contactStyle;
  if (style === 'name-rule')
    return byCampaignValue(random, campaign, pick(random, campaign.ruleValues), fromForm);
  if (style === 'name')
    return byCampaignValue(random, campaign, nameVariant(random, campaign.name), fromForm);
  if (fromForm) return leadFormWithIds(random, campaign, adset);
  const draw = random();
  if (draw < 0.65) return websiteWithIds(random, campaign, adset, true);
  if (draw < 0.85) return websiteWithIds(random, campaign, adset, false);

  return byCampaignValue(random, campaign, nameVariant(random, campaign.name), false);
}

/** Builds the properties of an ad lead that carries no campaign HubSpot can match. */
export function buildUnattributedValues(random: Random, property: PropertyPlan): ContactValues {
  const kind = pick(random, ['no-campaign', 'integration', 'retired-campaign'] as const);
  if (kind === 'integration') {
    return contactValues(random, property, {
      hs_analytics_source: 'OFFLINE',
      hs_analytics_source_data_1: 'INTEGRATION',
      hs_analytics_source_data_2: 'Zapier',
      hs_object_source: 'INTEGRATION',
    });
  }
  const campaign = kind === 'retired-campaign' ? RETIRED_CAMPAIGN : null;
  const query = new URLSearchParams({ utm_source: 'facebook', utm_medium: 'paid_social' });
  if (campaign) query.set('utm_campaign', campaign);

  return contactValues(random, property, {
    hs_analytics_first_url: `${property.website}/${pick(random, FIRST_PAGES)}?${query}`,
    hs_analytics_source: 'PAID_SOCIAL',
    hs_analytics_source_data_1: 'Facebook',
    hs_analytics_source_data_2: campaign,
    hs_object_source: 'FORM',
    utm_campaign: campaign,
  });
}

/** Builds a lead-ads form submission whose hidden fields carry the campaign and ad set ids. */
function leadFormWithIds(random: Random, campaign: CampaignPlan, adset: AdSetPlan): ContactValues {
  return contactValues(random, campaign.property, {
    hs_analytics_source: 'PAID_SOCIAL',
    hs_analytics_source_data_1: 'Facebook',
    hs_analytics_source_data_2: campaign.name,
    hs_object_source: 'ADS',
    hsa_cam: campaign.id,
    hsa_grp: adset.id,
  });
}

/**
 * Builds a website form submission reached from an ad whose URL parameters carry the Meta ids.
 * When `copied` is false the ids exist only in `hs_analytics_first_url`, so attribution has to
 * parse the URL.
 */
function websiteWithIds(
  random: Random,
  campaign: CampaignPlan,
  adset: AdSetPlan,
  copied: boolean,
): ContactValues {
  const property = campaign.property;
  const query = new URLSearchParams({
    utm_source: 'facebook',
    utm_medium: 'paid_social',
    utm_campaign: campaign.name,
    utm_content: adset.name,
    hsa_acc: property.accountId.replace('act_', ''),
    hsa_cam: campaign.id,
    hsa_grp: adset.id,
    hsa_ad: adset.adId,
    hsa_src: 'fb',
    hsa_net: 'facebook',
    hsa_ver: '3',
    fbclid: clickId(random),
  });

  return contactValues(random, property, {
    hs_analytics_first_url: `${property.website}/${pick(random, FIRST_PAGES)}?${query}`,
    hs_analytics_source: 'PAID_SOCIAL',
    hs_analytics_source_data_1: 'Facebook',
    hs_analytics_source_data_2: campaign.name,
    hs_object_source: 'FORM',
    hsa_cam: copied ? campaign.id : null,
    hsa_grp: copied ? adset.id : null,
    utm_campaign: copied ? campaign.name : null,
  });
}

/** Builds a contact whose only link to the campaign is a value in the UTM and drill-down fields. */
function byCampaignValue(
  random: Random,
  campaign: CampaignPlan,
  value: string,
  fromForm: boolean,
): ContactValues {
  const property = campaign.property;
  const query = new URLSearchParams({
    utm_source: 'facebook',
    utm_medium: 'paid_social',
    utm_campaign: value,
    fbclid: clickId(random),
  });

  return contactValues(random, property, {
    hs_analytics_first_url: fromForm
      ? null
      : `${property.website}/${pick(random, FIRST_PAGES)}?${query}`,
    hs_analytics_source: 'PAID_SOCIAL',
    hs_analytics_source_data_1: 'Facebook',
    hs_analytics_source_data_2: value,
    hs_object_source: fromForm ? 'ADS' : 'FORM',
    utm_campaign: fromForm ? null : value,
  });
}

/** Picks a spelling of the campaign name: the name itself or one that agrees once normalised. */
function nameVariant(random: Random, name: string): string {
  const words = normaliseName(name).split(' ');
  const variants = [
    name,
    words.join('_'),
    words.join('-'),
    words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' '),
  ];

  return pick(random, variants);
}

/** Fills every requested property, null when empty, with a latest source that sometimes differs. */
function contactValues(
  random: Random,
  property: PropertyPlan,
  source: ContactValues,
): ContactValues {
  const values: ContactValues = {
    client_property: property.id,
    hs_analytics_first_url: null,
    hs_analytics_source: null,
    hs_analytics_source_data_1: null,
    hs_analytics_source_data_2: null,
    hs_object_source: null,
    hsa_cam: null,
    hsa_grp: null,
    utm_campaign: null,
    ...source,
  };
  const returned = random() < 0.25;

  return {
    ...values,
    hs_latest_source: returned ? 'DIRECT_TRAFFIC' : (values.hs_analytics_source ?? null),
    hs_latest_source_data_1: returned ? null : (values.hs_analytics_source_data_1 ?? null),
    hs_latest_source_data_2: returned ? null : (values.hs_analytics_source_data_2 ?? null),
  };
}

// fbclid values are opaque to attribution, so only their shape matters.
function clickId(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let id = 'IwAR';
  for (let index = 0; index < 24; index += 1) id += pick(random, [...alphabet]);

  return id;
}
