import type { PropertyConfig } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { CampaignWeek, RawPayload } from '../shared/types.ts';
import {
  adParameter,
  campaignNameValues,
  firstUrlParams,
  isMetaId,
  normaliseCampaignName,
} from '../sources/hubspot/contact-fields.ts';
import { matchesContactFilter } from '../sources/hubspot/contact-filter.ts';
import {
  type CompiledNameRule,
  compileNameRules,
  matchesNameRule,
} from '../sources/hubspot/name-rules.ts';
import { contactsFromPayload, type HubSpotContact } from '../sources/hubspot/read-contacts.ts';

export { contactsFromPayload, type HubSpotContact };

/** A Meta campaign that leads can be attributed to, with its ad sets. */
export interface CampaignRef {
  campaignId: string;
  campaignName: string;
  propertyId: string;
  adsets: Array<{ adsetId: string; adsetName: string }>;
}

export type MatchMethod = 'id' | 'rule' | 'name' | 'none';

/** Attribution of one contact. With `method: 'none'`, campaign and ad set are null. */
export interface LeadMatch {
  contactId: string;
  method: MatchMethod;
  campaignId: string | null;
  adsetId: string | null;
  /** The campaign's property, or for an unattributed contact the property it belongs to. */
  propertyId: string | null;
}

/** Counts of one week's contacts, each of which is in `byCampaign` or in `unattributed`. */
export interface Attribution {
  matches: LeadMatch[];
  byCampaign: Map<string, { total: number; byAdset: Map<string, number>; noAdset: number }>;
  unattributed: { total: number; byProperty: Map<string, number>; unknownProperty: number };
}

interface CampaignIndex {
  byId: Map<string, CampaignRef>;
  adsetParent: Map<string, CampaignRef>;
  /** Normalised name to campaign, or null when two campaigns share the name. */
  byName: Map<string, CampaignRef | null>;
}

/**
 * Attributes each contact of a HubSpot payload to one of `campaigns` and, where known, an ad
 * set. Meta ids decide first, then the properties' name rules, then the normalised campaign name.
 * Other contacts are unattributed and counted under the property whose contact filter they
 * match. `campaigns` should be the report's campaign-weeks of the payload's week, so that a
 * match always has a campaign-week to land on. Throws a ConfigError for an invalid name rule.
 */
export function attributeLeads(
  payload: RawPayload,
  campaigns: CampaignRef[],
  properties: PropertyConfig[],
): Attribution {
  const rules = compileNameRules(properties);
  const index = indexCampaigns(campaigns);
  const matches = contactsFromPayload(payload).map((contact) =>
    matchContact(contact, index, rules, properties),
  );
  const attribution = tally(matches);
  logger.info('Attributed HubSpot leads', {
    account: payload.key.account,
    weekStart: payload.key.weekStart,
    contacts: matches.length,
    byId: countMethod(matches, 'id'),
    byRule: countMethod(matches, 'rule'),
    byName: countMethod(matches, 'name'),
    unattributed: attribution.unattributed.total,
  });

  return attribution;
}

function indexCampaigns(campaigns: CampaignRef[]): CampaignIndex {
  const index: CampaignIndex = { byId: new Map(), adsetParent: new Map(), byName: new Map() };
  for (const campaign of campaigns) {
    index.byId.set(campaign.campaignId, campaign);
    for (const adset of campaign.adsets) index.adsetParent.set(adset.adsetId, campaign);
    const name = normaliseCampaignName(campaign.campaignName);
    if (name === '') continue;
    const existing = index.byName.get(name);
    // A name shared by two campaigns cannot attribute anything, so it maps to null.
    const shared = existing !== undefined && existing !== campaign;
    index.byName.set(name, shared ? null : campaign);
  }

  return index;
}

function matchContact(
  contact: HubSpotContact,
  index: CampaignIndex,
  rules: CompiledNameRule[],
  properties: PropertyConfig[],
): LeadMatch {
  const params = firstUrlParams(contact.properties);
  const byId = matchById(contact, params, index);
  if (byId === 'foreign') return unattributed(contact, properties);

  return (
    byId ??
    matchByRule(contact, params, index, rules) ??
    matchByName(contact, params, index) ??
    unattributed(contact, properties)
  );
}

/**
 * Matches by `hsa_cam` / `hsa_grp` (custom property or first-URL parameter), or by a
 * `utm_campaign`, `utm_id` or `utm_content` equal to a known id. An ad set id alone gives its
 * campaign, and an ad set of another campaign than `hsa_cam` is dropped. Returns 'foreign' when
 * the contact carries a Meta campaign or ad set id that this report does not know, because the
 * lead then belongs to another report (or a campaign without delivery this week) and a name
 * match must not override that.
 */
function matchById(
  contact: HubSpotContact,
  params: URLSearchParams,
  index: CampaignIndex,
): LeadMatch | 'foreign' | null {
  const read = (name: string) => adParameter(contact.properties, params, name);
  const hsaCampaign = read('hsa_cam');
  const hsaAdset = read('hsa_grp');
  const utmValues = ['utm_campaign', 'utm_id', 'utm_content'].map(read);
  const knownCampaign = [hsaCampaign, ...utmValues].find(
    (value) => isMetaId(value) && index.byId.has(value),
  );
  const knownAdset = [hsaAdset, ...utmValues].find(
    (value) => isMetaId(value) && index.adsetParent.has(value),
  );
  let campaign = knownCampaign ? index.byId.get(knownCampaign) : undefined;
  let adsetId = knownAdset ?? null;
  const adsetCampaign = knownAdset ? index.adsetParent.get(knownAdset) : undefined;
  if (campaign && adsetCampaign !== campaign) adsetId = null;
  campaign ??= adsetCampaign;
  if (campaign) return matched(contact, 'id', campaign, adsetId);

  return isMetaId(hsaCampaign) || isMetaId(hsaAdset) ? 'foreign' : null;
}

function matchByRule(
  contact: HubSpotContact,
  params: URLSearchParams,
  index: CampaignIndex,
  rules: CompiledNameRule[],
): LeadMatch | null {
  const names = campaignNameValues(contact.properties, params);
  if (names.length === 0) return null;
  for (const rule of rules) {
    if (rule.contactFilter && !matchesContactFilter(contact.properties, rule.contactFilter))
      continue;
    const campaign = index.byId.get(rule.campaignId);
    if (!campaign || !names.some((name) => matchesNameRule(rule, name))) continue;
    const adsetId =
      rule.adsetId && campaign.adsets.some((adset) => adset.adsetId === rule.adsetId)
        ? rule.adsetId
        : null;

    return matched(contact, 'rule', campaign, adsetId);
  }

  return null;
}

function matchByName(
  contact: HubSpotContact,
  params: URLSearchParams,
  index: CampaignIndex,
): LeadMatch | null {
  for (const name of campaignNameValues(contact.properties, params)) {
    const campaign = index.byName.get(normaliseCampaignName(name));
    if (campaign) return matched(contact, 'name', campaign, null);
  }

  return null;
}

function matched(
  contact: HubSpotContact,
  method: MatchMethod,
  campaign: CampaignRef,
  adsetId: string | null,
): LeadMatch {
  return {
    contactId: contact.id,
    method,
    campaignId: campaign.campaignId,
    adsetId,
    propertyId: campaign.propertyId,
  };
}

/**
 * Leaves a contact unattributed, under the first property whose contact filter it matches. When
 * none matches and exactly one property has no filter, that property takes it. Otherwise the
 * property is unknown.
 */
function unattributed(contact: HubSpotContact, properties: PropertyConfig[]): LeadMatch {
  const filtered = properties.find(
    (property) =>
      property.hubspot.contactFilter &&
      matchesContactFilter(contact.properties, property.hubspot.contactFilter),
  );
  const unfiltered = properties.filter((property) => !property.hubspot.contactFilter);
  const owner = filtered ?? (unfiltered.length === 1 ? unfiltered[0] : undefined);

  return {
    contactId: contact.id,
    method: 'none',
    campaignId: null,
    adsetId: null,
    propertyId: owner?.id ?? null,
  };
}

function tally(matches: LeadMatch[]): Attribution {
  const attribution: Attribution = {
    matches,
    byCampaign: new Map(),
    unattributed: { total: 0, byProperty: new Map(), unknownProperty: 0 },
  };
  for (const match of matches) {
    if (match.campaignId === null) {
      countUnattributed(attribution.unattributed, match.propertyId);
      continue;
    }
    const counts = attribution.byCampaign.get(match.campaignId) ?? {
      total: 0,
      byAdset: new Map<string, number>(),
      noAdset: 0,
    };
    counts.total += 1;
    if (match.adsetId === null) counts.noAdset += 1;
    else counts.byAdset.set(match.adsetId, (counts.byAdset.get(match.adsetId) ?? 0) + 1);
    attribution.byCampaign.set(match.campaignId, counts);
  }

  return attribution;
}

function countUnattributed(counts: Attribution['unattributed'], propertyId: string | null): void {
  counts.total += 1;
  if (propertyId === null) counts.unknownProperty += 1;
  else counts.byProperty.set(propertyId, (counts.byProperty.get(propertyId) ?? 0) + 1);
}

function countMethod(matches: LeadMatch[], method: MatchMethod): number {
  return matches.filter((match) => match.method === method).length;
}

/**
 * Sets `metrics.hubspotLeads` on each campaign-week and its ad sets from `attribution`, returning
 * new objects. Leads matched to a campaign without an ad set count on the campaign only. Pass
 * the campaign-weeks of one week, since a campaign id may appear only once. Attributed leads
 * whose campaign has no campaign-week here are logged because the report would not show them.
 */
export function applyAttribution(
  campaignWeeks: CampaignWeek[],
  attribution: Attribution,
): CampaignWeek[] {
  checkOneWeek(campaignWeeks);
  const present = new Set(campaignWeeks.map((week) => week.campaignId));
  const missing = [...attribution.byCampaign.entries()].filter(([id]) => !present.has(id));
  if (missing.length > 0) {
    logger.warn('HubSpot leads matched campaigns without a campaign-week', {
      campaignIds: missing.map(([id]) => id),
      leads: missing.reduce((sum, [, counts]) => sum + counts.total, 0),
    });
  }

  return campaignWeeks.map((week) => {
    const counts = attribution.byCampaign.get(week.campaignId);

    return {
      ...week,
      metrics: { ...week.metrics, hubspotLeads: counts?.total ?? 0 },
      adsets: week.adsets.map((adset) => ({
        ...adset,
        metrics: { ...adset.metrics, hubspotLeads: counts?.byAdset.get(adset.adsetId) ?? 0 },
      })),
    };
  });
}

function checkOneWeek(campaignWeeks: CampaignWeek[]): void {
  const seen = new Set<string>();
  for (const week of campaignWeeks) {
    if (seen.has(week.campaignId)) {
      throw new InputError(
        'attribution_duplicate_campaign',
        `Campaign ${week.campaignId} appears more than once in the campaign-weeks given for attribution`,
        { fix: "apply one week's attribution to the campaign-weeks of that week only" },
      );
    }
    seen.add(week.campaignId);
  }
}
