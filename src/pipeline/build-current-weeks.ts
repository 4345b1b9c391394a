import type { AdreportConfig, ReportConfig } from '../config/schema.ts';
import { SourceError } from '../shared/errors.ts';
import { addMetrics, ZERO_METRICS } from '../shared/metrics.ts';
import type { CampaignWeek, PropertyWeek, RawPayload } from '../shared/types.ts';
import { applyAttribution, attributeLeads, type CampaignRef } from './attribute-leads.ts';
import type { FetchedSources } from './fetch-sources.ts';
import {
  parseAccountPayload,
  type RowWarning,
  toCampaignWeeks,
} from './transform-campaign-weeks.ts';

export interface CurrentWeeks {
  campaignWeeks: CampaignWeek[];
  propertyWeeks: PropertyWeek[];
  /** Currency of each available property's ad account. */
  currencies: Map<string, string>;
  /** HubSpot contacts of the report with no known property, by week. */
  unattributedWithoutProperty: Map<string, number>;
  warnings: RowWarning[];
}

interface BuildInput {
  config: AdreportConfig;
  report: ReportConfig;
  fetched: FetchedSources;
  runId: string;
  fetchedAt: string;
}

/**
 * Turns the fetched payloads into campaign-weeks with HubSpot leads attributed, and aggregates them
 * into property-weeks for every week in the fetch window.
 */
export function buildCurrentWeeks(input: BuildInput): CurrentWeeks {
  const currencies = new Map<string, string>();
  const fetchedWeeks = new Map<string, Set<string>>();
  const warnings: RowWarning[] = [];
  let campaignWeeks: CampaignWeek[] = [];
  for (const entry of input.fetched.properties) {
    if (entry.unavailableReason) continue;
    const built = transformProperty(input, entry.property.id, entry.payloads);
    currencies.set(entry.property.id, built.currency);
    fetchedWeeks.set(entry.property.id, built.weekStarts);
    campaignWeeks.push(...built.campaignWeeks);
    warnings.push(...built.warnings);
  }
  const unattributed = new Map<string, Map<string, number>>();
  const unattributedWithoutProperty = new Map<string, number>();
  for (const payload of input.fetched.hubspot.payloads) {
    const weekStart = payload.key.weekStart;
    const refs = campaignRefs(campaignWeeks.filter((c) => c.weekStart === weekStart));
    const attribution = attributeLeads(payload, refs, input.report.properties);
    campaignWeeks = [
      ...campaignWeeks.filter((c) => c.weekStart !== weekStart),
      ...applyAttribution(
        campaignWeeks.filter((c) => c.weekStart === weekStart),
        attribution,
      ),
    ];
    unattributed.set(weekStart, attribution.unattributed.byProperty);
    unattributedWithoutProperty.set(weekStart, attribution.unattributed.unknownProperty);
  }
  // Weeks without a HubSpot payload get their counts from the store later, or stay unknown.
  const counted = new Set(input.fetched.hubspot.payloads.map((payload) => payload.key.weekStart));
  campaignWeeks = campaignWeeks.map((week) => ({
    ...week,
    hubspotCounted: counted.has(week.weekStart),
  }));
  const propertyWeeks = aggregateProperties(input, campaignWeeks, {
    currencies,
    fetchedWeeks,
    unattributed,
  }).map((week) => ({ ...week, hubspotCounted: counted.has(week.weekStart) }));

  return { campaignWeeks, propertyWeeks, currencies, unattributedWithoutProperty, warnings };
}

function transformProperty(input: BuildInput, propertyId: string, payloads: RawPayload[]) {
  const accountPayload = payloads.find((p) => p.key.name === 'account');
  if (!accountPayload) {
    throw new SourceError(
      'meta_payload_missing',
      `No ad account payload for property ${propertyId}`,
      {
        fix: 'fetch the week again; the archived run is incomplete',
      },
    );
  }
  const account = parseAccountPayload(accountPayload);
  const campaignWeeks: CampaignWeek[] = [];
  const warnings: RowWarning[] = [];
  const insights = payloads.filter((p) => p.key.name === 'insights');
  for (const payload of insights) {
    const result = toCampaignWeeks(payload, {
      reportId: input.report.id,
      propertyId,
      accountId: account.accountId,
      currency: account.currency,
      runId: input.runId,
      fetchedAt: input.fetchedAt,
      leadActionType: input.config.meta.leadActionType,
    });
    campaignWeeks.push(...result.campaignWeeks);
    warnings.push(...result.warnings);
  }

  const weekStarts = new Set(insights.map((payload) => payload.key.weekStart));

  return { campaignWeeks, warnings, currency: account.currency, weekStarts };
}

function campaignRefs(campaignWeeks: CampaignWeek[]): CampaignRef[] {
  return campaignWeeks.map((c) => ({
    campaignId: c.campaignId,
    campaignName: c.campaignName,
    propertyId: c.propertyId,
    adsets: c.adsets.map((a) => ({ adsetId: a.adsetId, adsetName: a.adsetName })),
  }));
}

/**
 * Sums each property's campaigns per week. A week whose insights the property has no payload for
 * (its re-fetch failed) gets no property-week, so its stored figures are not overwritten by zeros.
 */
function aggregateProperties(
  input: BuildInput,
  campaignWeeks: CampaignWeek[],
  by: {
    currencies: Map<string, string>;
    fetchedWeeks: Map<string, Set<string>>;
    unattributed: Map<string, Map<string, number>>;
  },
): PropertyWeek[] {
  const { currencies, fetchedWeeks, unattributed } = by;
  const weekStarts = [...new Set(campaignWeeks.map((c) => c.weekStart))].sort();
  const propertyWeeks: PropertyWeek[] = [];
  for (const [propertyId, currency] of currencies) {
    for (const weekStart of weekStarts) {
      if (!fetchedWeeks.get(propertyId)?.has(weekStart)) continue;
      const campaigns = campaignWeeks.filter(
        (c) => c.propertyId === propertyId && c.weekStart === weekStart,
      );
      const unattributedLeads = unattributed.get(weekStart)?.get(propertyId) ?? 0;
      const metrics = addMetrics(...campaigns.map((c) => c.metrics));
      metrics.hubspotLeads += unattributedLeads;
      propertyWeeks.push({
        reportId: input.report.id,
        propertyId,
        weekStart,
        currency,
        metrics: campaigns.length > 0 || unattributedLeads > 0 ? metrics : { ...ZERO_METRICS },
        campaignCount: campaigns.length,
        unattributedHubspotLeads: unattributedLeads,
        campaignIds: [...new Set(campaigns.map((c) => c.campaignId))].sort(),
        runId: input.runId,
        fetchedAt: input.fetchedAt,
      });
    }
  }

  return propertyWeeks;
}
