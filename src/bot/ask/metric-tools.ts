import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ReportConfig } from '../../config/schema.ts';
import { InputError } from '../../shared/errors.ts';
import { cplMinor, ctr } from '../../shared/metrics.ts';
import { toMajorUnits } from '../../shared/money.ts';
import type { Metrics } from '../../shared/types.ts';
import { parseIsoDate, weekContaining } from '../../shared/week.ts';
import type { MetricsStore } from '../../storage/metrics-store.ts';

/** Most rows one tool result carries, so a result never floods the context window. */
const MAX_ROWS = 100;

/** Input schema of a string id, with no description of its own. */
const ID_INPUT = { type: 'string' };

/** Input schema of a date that selects the week containing it. */
const WEEK_INPUT = { type: 'string', description: 'Any date in the week, YYYY-MM-DD' };

/** Definitions of the tools Claude may call; every one reads stored metrics of one report. */
export const METRIC_TOOLS: Tool[] = [
  tool(
    'list_campaigns',
    'List the campaigns of the report (id, name, property, latest stored week). Optionally filter by part of the name.',
    {
      name_contains: { type: 'string', description: 'Case-insensitive part of the campaign name' },
    },
  ),
  tool(
    'get_campaign_weeks',
    'Weekly figures of one campaign, oldest first: spend, Meta leads, HubSpot leads, CPL, CTR, clicks, impressions, landing page views.',
    {
      campaign_id: { type: 'string', description: 'Numeric Meta campaign id from list_campaigns' },
      weeks: {
        type: 'integer',
        minimum: 1,
        maximum: 52,
        description: 'Number of weeks, 8 by default',
      },
      end_week: {
        type: 'string',
        description:
          'Any date in the last week wanted, YYYY-MM-DD; the latest complete week by default',
      },
    },
    ['campaign_id'],
  ),
  tool(
    'get_property_weeks',
    'Weekly totals of one property (all its campaigns), oldest first.',
    {
      property_id: ID_INPUT,
      weeks: { type: 'integer', minimum: 1, maximum: 52 },
      end_week: { type: 'string', description: 'YYYY-MM-DD' },
    },
    ['property_id'],
  ),
  weekTool(
    'get_week_campaigns',
    'Every campaign of one property in one week with its figures, highest spend first.',
    'property_id',
  ),
  weekTool(
    'get_campaign_leads',
    'Lead breakdown of one campaign in one week by ad set: Meta leads, HubSpot leads, spend, CPL, landing page views.',
    'campaign_id',
  ),
  tool(
    'get_all_time',
    'All-time totals of one property since its first stored week.',
    { property_id: ID_INPUT },
    ['property_id'],
  ),
];

/** Context of the metric tools: the store, limited to the properties and campaigns of `report`. */
export interface MetricToolContext {
  report: ReportConfig;
  metrics: MetricsStore;
  /** Start of the latest complete week, the default end of week ranges. */
  latestWeekStart: string;
}

type ToolRunner = (args: Record<string, unknown>, context: MetricToolContext) => Promise<unknown>;

/** The function that runs each tool of METRIC_TOOLS, by tool name. */
const TOOL_RUNNERS: Record<string, ToolRunner> = {
  list_campaigns: listCampaigns,
  get_campaign_weeks: campaignWeeks,
  get_property_weeks: propertyWeeks,
  get_week_campaigns: weekCampaigns,
  get_campaign_leads: campaignLeads,
  get_all_time: allTime,
};

/**
 * Runs one tool call and returns its result as JSON text. Figures are in major units of the
 * account currency. Throws InputError for invalid input, which the loop returns as `is_error`.
 */
export async function runMetricTool(
  name: string,
  input: unknown,
  context: MetricToolContext,
): Promise<string> {
  const runner = Object.hasOwn(TOOL_RUNNERS, name) ? TOOL_RUNNERS[name] : undefined;
  if (!runner) {
    throw new InputError('unknown_tool', `Unknown tool "${name}"`, {
      fix: `use one of ${METRIC_TOOLS.map((t) => t.name).join(', ')}`,
    });
  }
  const args = (input ?? {}) as Record<string, unknown>;

  return json(await runner(args, context));
}

async function listCampaigns(args: Record<string, unknown>, context: MetricToolContext) {
  const filter = optionalString(args, 'name_contains')?.toLowerCase();
  const catalog = await context.metrics.getCatalog(context.report.id);
  const matches = catalog.filter(
    (entry) => !filter || entry.campaignName.toLowerCase().includes(filter),
  );

  return {
    total: matches.length,
    campaigns: matches.slice(0, MAX_ROWS).map((entry) => ({
      campaign_id: entry.campaignId,
      name: entry.campaignName,
      property_id: entry.propertyId,
      last_week: entry.lastWeek,
    })),
  };
}

async function campaignWeeks(args: Record<string, unknown>, context: MetricToolContext) {
  const campaignId = await requireCampaign(args, context);
  const end = endWeek(args, context);
  const history = await context.metrics.getCampaignHistory(campaignId, end, weeksOf(args));

  return {
    campaign_id: campaignId,
    name: history.at(-1)?.campaignName ?? null,
    currency: history.at(-1)?.currency ?? null,
    weeks: history.map((week) => ({
      week_start: week.weekStart,
      ...figures(week.metrics, week.currency),
    })),
  };
}

async function propertyWeeks(args: Record<string, unknown>, context: MetricToolContext) {
  const propertyId = requireProperty(args, context);
  const history = await context.metrics.getPropertyHistory(
    propertyId,
    endWeek(args, context),
    weeksOf(args),
  );

  return {
    property_id: propertyId,
    currency: history.at(-1)?.currency ?? null,
    weeks: history.map((week) => ({
      week_start: week.weekStart,
      campaigns: week.campaignCount,
      unattributed_hubspot_leads: week.unattributedHubspotLeads,
      ...figures(week.metrics, week.currency),
    })),
  };
}

async function weekCampaigns(args: Record<string, unknown>, context: MetricToolContext) {
  const propertyId = requireProperty(args, context);
  const week = weekOf(args, 'week');
  const campaigns = await context.metrics.getCampaignsOfPropertyWeek(propertyId, week);
  campaigns.sort((a, b) => b.metrics.spendMinor - a.metrics.spendMinor);

  return {
    property_id: propertyId,
    week_start: week,
    total: campaigns.length,
    campaigns: campaigns.slice(0, MAX_ROWS).map((campaign) => ({
      campaign_id: campaign.campaignId,
      name: campaign.campaignName,
      lead_generating: campaign.isLeadGen,
      ...figures(campaign.metrics, campaign.currency),
    })),
  };
}

async function campaignLeads(args: Record<string, unknown>, context: MetricToolContext) {
  const campaignId = await requireCampaign(args, context);
  const week = weekOf(args, 'week');
  const [stored] = await context.metrics.getCampaignWeeks([{ campaignId, weekStart: week }]);
  if (!stored) return { campaign_id: campaignId, week_start: week, found: false };

  return {
    campaign_id: campaignId,
    name: stored.campaignName,
    week_start: week,
    currency: stored.currency,
    total: figures(stored.metrics, stored.currency),
    ad_sets: stored.adsets.slice(0, MAX_ROWS).map((adset) => ({
      adset_id: adset.adsetId,
      name: adset.adsetName,
      ...figures(adset.metrics, stored.currency),
    })),
  };
}

async function allTime(args: Record<string, unknown>, context: MetricToolContext) {
  const propertyId = requireProperty(args, context);
  const totals = await context.metrics.getAllTime(propertyId);
  if (!totals) return { property_id: propertyId, found: false };
  const currency = await currencyOfProperty(propertyId, context);

  return {
    property_id: propertyId,
    first_week: totals.firstWeek,
    last_week: totals.lastWeek,
    weeks: totals.weekCount,
    currency,
    ...figures(totals.metrics, currency),
  };
}

/** Converts stored metrics to report figures: money in major units, ratios rounded. */
function figures(metrics: Metrics, currency: string | null) {
  const money = (minor: number | null) =>
    minor === null ? null : round(currency ? toMajorUnits(minor, currency) : minor, 2);
  const rate = ctr(metrics);

  return {
    spend: money(metrics.spendMinor),
    meta_leads: metrics.leads,
    hubspot_leads: metrics.hubspotLeads,
    cpl: money(cplMinor(metrics)),
    ctr_percent: rate === null ? null : round(rate * 100, 2),
    clicks: metrics.clicks,
    impressions: metrics.impressions,
    landing_page_views: metrics.landingPageViews,
  };
}

async function currencyOfProperty(
  propertyId: string,
  context: MetricToolContext,
): Promise<string | null> {
  const [latest] = await context.metrics.getPropertyHistory(propertyId, context.latestWeekStart, 1);

  return latest?.currency ?? null;
}

async function requireCampaign(
  args: Record<string, unknown>,
  context: MetricToolContext,
): Promise<string> {
  const campaignId = optionalString(args, 'campaign_id') ?? '';
  if (!/^\d{1,30}$/.test(campaignId)) {
    throw new InputError('invalid_tool_input', `Invalid campaign_id "${campaignId.slice(0, 40)}"`, {
      fix: 'use a numeric id from list_campaigns',
    });
  }
  const catalog = await context.metrics.getCatalog(context.report.id);
  if (!catalog.some((entry) => entry.campaignId === campaignId)) {
    throw new InputError(
      'campaign_not_found',
      `Campaign ${campaignId} is not part of report ${context.report.id}`,
      { fix: 'use an id from list_campaigns' },
    );
  }

  return campaignId;
}

function requireProperty(args: Record<string, unknown>, context: MetricToolContext): string {
  const propertyId = optionalString(args, 'property_id') ?? '';
  if (!context.report.properties.some((property) => property.id === propertyId)) {
    const ids = context.report.properties.map((property) => property.id).join(', ');
    throw new InputError(
      'property_not_found',
      `Property "${propertyId.slice(0, 40)}" is not part of report ${context.report.id}`,
      { fix: `use one of ${ids}` },
    );
  }

  return propertyId;
}

function weeksOf(args: Record<string, unknown>): number {
  const weeks = args.weeks ?? 8;
  if (typeof weeks !== 'number' || !Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
    throw new InputError('invalid_tool_input', `Invalid weeks ${JSON.stringify(weeks)}`, {
      fix: 'use a whole number from 1 to 52',
    });
  }

  return weeks;
}

function endWeek(args: Record<string, unknown>, context: MetricToolContext): string {
  return args.end_week === undefined ? context.latestWeekStart : weekOf(args, 'end_week');
}

function weekOf(args: Record<string, unknown>, key: string): string {
  const value = optionalString(args, key) ?? '';
  parseIsoDate(value);

  return weekContaining(value).start;
}

function optionalString(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new InputError('invalid_tool_input', `Invalid ${key}: expected a string`, {
      fix: `pass ${key} as a string`,
    });
  }

  return value;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;

  return Math.round(value * factor) / factor;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** Defines a tool whose input is one id, named `idKey`, and a date in the week to read. */
function weekTool(name: string, description: string, idKey: string): Tool {
  return tool(name, description, { [idKey]: ID_INPUT, week: WEEK_INPUT }, [idKey, 'week']);
}

function tool(
  name: string,
  description: string,
  properties: Record<string, unknown>,
  required: string[] = [],
): Tool {
  return {
    name,
    description,
    input_schema: { type: 'object', properties, required, additionalProperties: false },
  };
}
