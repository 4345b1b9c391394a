/**
 * Builds Meta Graph API payloads as the live API returns them: the ad account object and the
 * ad-set-level insights of one week, split into pages with cursors and `next` links.
 */
import type { RawPayload } from '../../src/shared/types.ts';
import { weekContaining } from '../../src/shared/week.ts';
import {
  GRAPH_BASE_URL,
  META_PAGE_SIZE,
  type PropertyPlan,
  RUN_ID,
  WEEK_STARTS,
} from './sample-plan.ts';
import { type AdSetDelivery, type CampaignDelivery, leadsOf } from './simulate-campaign-weeks.ts';

export const INSIGHTS_FIELDS = [
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'objective',
  'spend',
  'impressions',
  'clicks',
  'actions',
  'date_start',
  'date_stop',
].join(',');

const ACCOUNT_FIELDS = 'name,account_status,currency,timezone_name,disable_reason';

/** A Graph API action statistic: every value is a decimal string. */
interface ActionStat {
  action_type: string;
  value: string;
}

/** Builds the `account.json` payload of one account-week. */
export function buildAccountPayload(
  property: PropertyPlan,
  weekStart: string,
  fetchedAt: string,
): RawPayload {
  return {
    key: {
      source: 'meta',
      account: property.accountId,
      weekStart,
      runId: RUN_ID,
      name: 'account',
    },
    fetchedAt,
    request: { url: `${GRAPH_BASE_URL}/${property.accountId}`, params: { fields: ACCOUNT_FIELDS } },
    pages: [
      {
        name: property.accountName,
        account_status: 1,
        currency: 'USD',
        timezone_name: property.timeZone,
        disable_reason: 0,
        id: property.accountId,
      },
    ],
  };
}

/** Builds the `insights.json` payload of one account-week from the property's campaigns. */
export function buildInsightsPayload(
  property: PropertyPlan,
  week: number,
  deliveries: CampaignDelivery[],
  fetchedAt: string,
): RawPayload {
  const weekStart = WEEK_STARTS[week] as string;
  const url = `${GRAPH_BASE_URL}/${property.accountId}/insights`;
  const params = insightsParams(weekStart);
  const rows = deliveries
    .filter((delivery) => delivery.campaign.property.id === property.id)
    .flatMap((delivery) => buildRows(delivery, week, weekStart));

  return {
    key: {
      source: 'meta',
      account: property.accountId,
      weekStart,
      runId: RUN_ID,
      name: 'insights',
    },
    fetchedAt,
    request: { url, params },
    pages: paginate(rows, url, params),
  };
}

/** Returns the query of one week: one row per ad set for the whole week, in the account's zone. */
export function insightsParams(weekStart: string): Record<string, string> {
  return {
    level: 'adset',
    fields: INSIGHTS_FIELDS,
    time_range: JSON.stringify({ since: weekStart, until: weekEnd(weekStart) }),
    time_increment: 'all_days',
    use_unified_attribution_setting: 'true',
    limit: String(META_PAGE_SIZE),
  };
}

function buildRows(delivery: CampaignDelivery, week: number, weekStart: string) {
  const { campaign } = delivery;

  // Meta omits ad sets that did not deliver in the range.
  return (delivery.weeks[week] ?? [])
    .filter((adset) => adset.impressions > 0)
    .map((adset) => {
      const actions = buildActions(adset);

      return {
        campaign_id: campaign.id,
        campaign_name: campaign.name,
        adset_id: adset.adset.id,
        adset_name: adset.adset.name,
        objective: campaign.objective,
        spend: formatSpend(adset.spendCents),
        impressions: String(adset.impressions),
        clicks: String(adset.clicks),
        ...(actions.length > 0 ? { actions } : {}),
        date_start: weekStart,
        date_stop: weekEnd(weekStart),
      };
    });
}

/**
 * Lists the row's actions the way Meta does, with overlapping lead types side by side. `lead` is
 * the roll-up of form and pixel leads, and `leadgen_grouped` repeats the form leads. The custom
 * event `offsite_content_view_add_meta_leads` is not a lead. A zero value gets no entry at all.
 */
function buildActions(adset: AdSetDelivery): ActionStat[] {
  const values: Array<[string, number]> = [
    ['landing_page_view', adset.landingPageViews],
    ['lead', leadsOf(adset)],
    ['leadgen_grouped', adset.formLeads],
    ['link_click', adset.linkClicks],
    ['offsite_content_view_add_meta_leads', adset.contentViews],
    ['offsite_conversion.fb_pixel_lead', adset.pixelLeads],
    ['onsite_conversion.lead_grouped', adset.formLeads],
    ['page_engagement', adset.postEngagement],
    ['post_engagement', adset.postEngagement],
    ['video_view', adset.videoViews],
  ];

  return values
    .filter(([, value]) => value > 0)
    .map(([actionType, value]) => ({ action_type: actionType, value: String(value) }));
}

/** Formats cents the way Meta formats `spend`: major units with trailing zeros dropped. */
export function formatSpend(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');

  return fraction ? `${whole}.${fraction}` : String(whole);
}

function paginate(rows: object[], url: string, params: Record<string, string>): object[] {
  const pages: object[] = [];
  for (let offset = 0; offset < rows.length || offset === 0; offset += META_PAGE_SIZE) {
    const data = rows.slice(offset, offset + META_PAGE_SIZE);
    const before = encodeCursor(offset);
    const after = encodeCursor(offset + Math.max(0, data.length - 1));
    const hasNext = offset + META_PAGE_SIZE < rows.length;
    const paging = {
      cursors: { before, after },
      ...(offset > 0 ? { previous: pageUrl(url, params, 'before', before) } : {}),
      ...(hasNext ? { next: pageUrl(url, params, 'after', after) } : {}),
    };
    pages.push({ data, paging });
  }

  return pages;
}

// Graph insights cursors are the base64 of a row offset with `=` written as `ZD` ("MAZDZD" is 0).
function encodeCursor(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replaceAll('=', 'ZD');
}

// NOTE: live `next` links also carry the access_token query parameter, which the sample omits.
function pageUrl(
  url: string,
  params: Record<string, string>,
  direction: 'before' | 'after',
  cursor: string,
): string {
  const query = new URLSearchParams({ ...params, [direction]: cursor });

  return `${url}?${query.toString()}`;
}

function weekEnd(weekStart: string): string {
  return weekContaining(weekStart).end;
}
