/**
 * Builds realistic `ReportData` for tests and benchmarks: several properties, campaigns with
 * ad sets, eight weeks of history behind every KPI, alerts, a restatement and an analysis.
 * Output is deterministic for a given `seed`, so a failing test reproduces.
 */
import { KPI_LABELS } from '../../src/shared/kpi-labels.ts';
import { addMetrics, ratio, ZERO_METRICS } from '../../src/shared/metrics.ts';
import { currencyDigits } from '../../src/shared/money.ts';
import type {
  AdSetWeek,
  Alert,
  AllTimeTotals,
  Analysis,
  CampaignWeek,
  EntityLevel,
  EntitySignals,
  KpiKey,
  KpiSignal,
  LeadActivityCampaign,
  Metrics,
  PropertyReport,
  ReportData,
  Restatement,
  Status,
  Week,
} from '../../src/shared/types.ts';
import { shiftWeek } from '../../src/shared/week.ts';

export interface ReportDataOptions {
  /** Campaigns across all properties (default 30), spread as evenly as possible. */
  campaigns?: number;
  /** Properties (default 3). */
  properties?: number;
  /** Weeks of history behind each KPI, ending with the report week (default 8). */
  weeks?: number;
  /** Seed of the pseudo-random generator (default 1). */
  seed?: number;
  /** Currency of every property (default USD). */
  currency?: string;
  /** Gives the second property EUR, so the report has no single currency and no totals. */
  mixedCurrencies?: boolean;
  /** How many properties, counted from the last, have no Meta data (default 0). */
  unavailableProperties?: number;
  hubspotAvailable?: boolean;
  analysisSource?: 'claude' | 'offline';
  /** Campaigns whose leads KPI is forced to ALERT (default 2, capped by lead campaigns). */
  alerts?: number;
  /** Restated earlier weeks (default 1). */
  restatements?: number;
  /** Names for the first campaigns, e.g. hostile strings for escaping tests. */
  campaignNames?: string[];
  adsetsPerCampaign?: number;
  week?: Week;
}

const DEFAULT_WEEK: Week = { start: '2026-11-23', end: '2026-11-29' };

const PROPERTY_NAMES = [
  'Maple Grove Apartments',
  'Riverside Lofts',
  'Harbor View Residences',
  'Cedar Park Townhomes',
  'Summit Ridge Villas',
  'Lakeside Commons',
];

const CAMPAIGN_THEMES = [
  'Spring Leasing',
  'Open House Weekend',
  'Retargeting',
  'Brand Awareness',
  'Move-in Special',
  'Virtual Tour',
  'Student Housing',
  'Luxury Penthouses',
];

const AUDIENCES = [
  'Lookalike 2%',
  'Website visitors 30d',
  'Broad 25-54',
  'Local radius 10mi',
  'Interest: relocation',
  'Engaged shoppers',
];

/** A seeded linear congruential generator returning floats in [0, 1). */
function createRandom(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;

  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;

    return state / 2 ** 32;
  };
}

interface CampaignPlan {
  id: string;
  name: string;
  isLeadGen: boolean;
  /** Metrics of each week, oldest first, ending with the report week. */
  weeks: Metrics[];
  adsetWeights: number[];
  alert: boolean;
}

/** Builds one week of metrics from a spend level and the campaign's rates. */
function weekMetrics(spendMajor: number, rates: Rates, scale: number, isLeadGen: boolean): Metrics {
  const spendMinor = Math.round(spendMajor * scale);
  const clicks = Math.round(spendMajor / rates.cpc);
  const impressions = Math.round(clicks / rates.ctr);
  const leads = Math.round(clicks * rates.conversion);
  const hubspotLeads = Math.round(leads * rates.crmMatch);

  return {
    spendMinor,
    impressions,
    clicks,
    leads,
    landingPageViews: Math.round(clicks * 0.72),
    hubspotLeads,
    cplSpendMinor: isLeadGen ? spendMinor : 0,
    cplLeads: isLeadGen ? leads : 0,
  };
}

interface Rates {
  cpc: number;
  ctr: number;
  conversion: number;
  crmMatch: number;
}

function planCampaign(
  index: number,
  propertyIndex: number,
  options: Required<Pick<ReportDataOptions, 'weeks' | 'adsetsPerCampaign'>> & {
    random: () => number;
    scale: number;
    name: string | undefined;
    hubspot: boolean;
    /** Weekly factor shared by every campaign (seasonality), so totals move too. */
    market: number[];
  },
): CampaignPlan {
  const { random } = options;
  const isLeadGen = random() < 0.85;
  const baseSpend = Math.exp(3.5 + random() * 5.5);
  const rates: Rates = {
    cpc: 0.4 + random() * 2.6,
    ctr: 0.004 + random() * 0.026,
    conversion: isLeadGen ? 0.02 + random() * 0.1 : 0,
    crmMatch: options.hubspot ? 0.6 + random() * 0.35 : 0,
  };
  const trend = (random() - 0.5) * 0.08;
  const weeks: Metrics[] = [];
  for (let week = 0; week < options.weeks; week += 1) {
    const noise = 1 + (random() - 0.5) * 0.16;
    weeks.push(
      weekMetrics(
        baseSpend * (1 + trend * week) * noise * (options.market[week] ?? 1),
        rates,
        options.scale,
        isLeadGen,
      ),
    );
  }
  const theme = CAMPAIGN_THEMES[(index + propertyIndex) % CAMPAIGN_THEMES.length];
  const audience = AUDIENCES[index % AUDIENCES.length];

  return {
    id: String(120_210_000_000_000 + propertyIndex * 100_000 + index),
    name: options.name ?? `${theme} – ${audience} #${index + 1}`,
    isLeadGen,
    weeks,
    adsetWeights: Array.from({ length: options.adsetsPerCampaign }, () => 0.2 + random()),
    alert: false,
  };
}

/** Makes a campaign's leads fall three weeks in a row, the pattern of a sustained-decline ALERT. */
function applyLeadDecline(plan: CampaignPlan): void {
  const factors = [0.8, 0.62, 0.45];
  factors.forEach((factor, offset) => {
    const index = plan.weeks.length - factors.length + offset;
    const week = plan.weeks[index];
    if (!week) return;
    const leads = Math.round(week.leads * factor);
    plan.weeks[index] = {
      ...week,
      leads,
      cplLeads: plan.isLeadGen ? leads : 0,
      hubspotLeads: Math.min(week.hubspotLeads, leads),
    };
  });
  plan.alert = true;
}

/** Splits metrics across ad sets by weight; the last ad set takes the remainder so sums match. */
function splitMetrics(total: Metrics, weights: number[]): Metrics[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts: Metrics[] = [];
  let remaining: Metrics = { ...total };
  weights.forEach((weight, index) => {
    if (index === weights.length - 1) {
      parts.push(remaining);
      return;
    }
    const part = { ...ZERO_METRICS };
    for (const key of Object.keys(total) as Array<keyof Metrics>) {
      part[key] = Math.min(remaining[key], Math.floor((total[key] * weight) / sum));
    }
    parts.push(part);
    remaining = Object.fromEntries(
      Object.keys(remaining).map((key) => [
        key,
        remaining[key as keyof Metrics] - part[key as keyof Metrics],
      ]),
    ) as unknown as Metrics;
  });

  return parts;
}

const KPI_KEYS: KpiKey[] = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'leads',
  'cpl',
  'landingPageViews',
  'hubspotLeads',
];

const digitsByCurrency = new Map<string, number>();

/** `currencyDigits` builds an Intl formatter per call, too slow for thousands of campaigns. */
function cachedDigits(currency: string): number {
  const known = digitsByCurrency.get(currency);
  if (known !== undefined) return known;
  const digits = currencyDigits(currency);
  digitsByCurrency.set(currency, digits);

  return digits;
}

/** Returns a KPI's display value: money in major units, ratios as fractions, null if undefined. */
export function kpiValue(metrics: Metrics, key: KpiKey, currency: string): number | null {
  const major = 10 ** cachedDigits(currency);
  const minorToMajor = (value: number | null) => (value === null ? null : value / major);
  switch (key) {
    case 'spend':
      return metrics.spendMinor / major;
    case 'ctr':
      return ratio(metrics.clicks, metrics.impressions);
    case 'cpc':
      return minorToMajor(ratio(metrics.spendMinor, metrics.clicks));
    case 'cpl':
      return minorToMajor(ratio(metrics.cplSpendMinor, metrics.cplLeads));
    default:
      return metrics[key];
  }
}

/** Builds a KPI signal from a series of display values (oldest first, report week last). */
export function buildKpiSignal(
  key: KpiKey,
  series: Array<number | null>,
  forceAlert = false,
): KpiSignal {
  const value = series.at(-1) ?? null;
  const previous = series.at(-2) ?? null;
  const change = value !== null && previous !== null ? ratio(value - previous, previous) : null;
  const history = series.slice(-5, -1).filter((item): item is number => item !== null);
  const baseline = history.length > 0 ? history.reduce((a, b) => a + b, 0) / history.length : null;
  const noiseBand = baseline === null ? null : 0.1;
  const status = statusOf(change, noiseBand, forceAlert);
  const direction = change !== null && change < 0 ? 'fell' : 'rose';
  const belowBaseline = value !== null && baseline ? Math.round((1 - value / baseline) * 100) : 0;
  const reason =
    status === 'ALERT'
      ? `${KPI_LABELS[key]} fell 3 weeks in a row to ${value ?? 0}, ${belowBaseline}% below the 4-week average`
      : status === 'UP' || status === 'DOWN'
        ? `${KPI_LABELS[key]} ${direction} ${Math.round(Math.abs(change ?? 0) * 100)}% week over week`
        : null;

  return { key, value, previous, change, baseline, noiseBand, status, reason, series };
}

function statusOf(change: number | null, band: number | null, forceAlert: boolean): Status {
  if (forceAlert) return 'ALERT';
  if (change === null || band === null) return 'OK';
  if (Math.abs(change) <= band) return 'FLAT';

  return change > 0 ? 'UP' : 'DOWN';
}

function buildSignals(
  level: EntityLevel,
  entity: { id: string; name: string; propertyId: string | null },
  weeks: Metrics[],
  currency: string,
  alertKpi: KpiKey | null = null,
): EntitySignals {
  const kpis = KPI_KEYS.map((key) =>
    buildKpiSignal(
      key,
      weeks.map((week) => kpiValue(week, key, currency)),
      key === alertKpi,
    ),
  );

  return { level, ...entity, kpis };
}

function buildCampaignWeek(
  plan: CampaignPlan,
  property: { id: string; currency: string },
  context: { reportId: string; week: Week; runId: string; generatedAt: string },
): CampaignWeek {
  const metrics = plan.weeks.at(-1) ?? { ...ZERO_METRICS };
  const adsets: AdSetWeek[] = splitMetrics(metrics, plan.adsetWeights).map((part, index) => ({
    adsetId: `${plan.id}${String(index + 1).padStart(2, '0')}`,
    adsetName: `${AUDIENCES[(index + 2) % AUDIENCES.length]} – ad set ${index + 1}`,
    metrics: part,
  }));

  return {
    campaignId: plan.id,
    campaignName: plan.name,
    reportId: context.reportId,
    propertyId: property.id,
    accountId: `act_${1000 + property.id.length}`,
    currency: property.currency,
    weekStart: context.week.start,
    objective: plan.isLeadGen ? 'OUTCOME_LEADS' : 'OUTCOME_AWARENESS',
    isLeadGen: plan.isLeadGen,
    metrics,
    adsets,
    runId: context.runId,
    fetchedAt: context.generatedAt,
  };
}

function buildLeadActivity(campaigns: CampaignWeek[]): LeadActivityCampaign[] {
  return campaigns.map((campaign) => ({
    campaignId: campaign.campaignId,
    campaignName: campaign.campaignName,
    metaLeads: campaign.metrics.leads,
    hubspotLeads: campaign.metrics.hubspotLeads,
    spendMinor: campaign.metrics.spendMinor,
    cplSpendMinor: campaign.metrics.cplSpendMinor,
    landingPageViews: campaign.metrics.landingPageViews,
    adsets: campaign.adsets.map((adset) => ({
      adsetId: adset.adsetId,
      adsetName: adset.adsetName,
      metaLeads: adset.metrics.leads,
      hubspotLeads: adset.metrics.hubspotLeads,
      spendMinor: adset.metrics.spendMinor,
      cplSpendMinor: adset.metrics.cplSpendMinor,
      landingPageViews: adset.metrics.landingPageViews,
    })),
  }));
}

function sumWeeks(plans: CampaignPlan[], weekCount: number): Metrics[] {
  return Array.from({ length: weekCount }, (_, week) =>
    addMetrics(...plans.map((plan) => plan.weeks[week] ?? ZERO_METRICS)),
  );
}

function scaleMetrics(metrics: Metrics, factor: number): Metrics {
  return Object.fromEntries(
    Object.entries(metrics).map(([key, value]) => [key, Math.round(value * factor)]),
  ) as unknown as Metrics;
}

interface BuiltProperty {
  report: PropertyReport;
  weeks: Metrics[];
  alerts: Alert[];
}

function buildProperty(
  propertyIndex: number,
  campaignCount: number,
  settings: Required<Omit<ReportDataOptions, 'campaignNames'>> & {
    random: () => number;
    market: number[];
    names: string[];
    alertBudget: { left: number };
    reportId: string;
    runId: string;
    generatedAt: string;
  },
): BuiltProperty {
  const id = `property-${propertyIndex + 1}`;
  const name = PROPERTY_NAMES[propertyIndex % PROPERTY_NAMES.length] ?? id;
  const currency = settings.mixedCurrencies && propertyIndex === 1 ? 'EUR' : settings.currency;
  const scale = 10 ** currencyDigits(currency);
  const unavailable = propertyIndex >= settings.properties - settings.unavailableProperties;
  const plans = Array.from({ length: campaignCount }, (_, index) =>
    planCampaign(index, propertyIndex, {
      weeks: settings.weeks,
      adsetsPerCampaign: settings.adsetsPerCampaign,
      random: settings.random,
      scale,
      name: settings.names.shift(),
      hubspot: settings.hubspotAvailable,
      market: settings.market,
    }),
  );
  const declining = plans
    .filter((plan) => plan.isLeadGen)
    .sort((a, b) => (b.weeks.at(-1)?.leads ?? 0) - (a.weeks.at(-1)?.leads ?? 0))[1];
  if (!unavailable && declining && settings.alertBudget.left > 0) {
    applyLeadDecline(declining);
    settings.alertBudget.left -= 1;
  }
  if (unavailable)
    return { report: unavailableProperty(id, name, currency), weeks: [], alerts: [] };

  const context = { ...settings, week: settings.week };
  const weeks = sumWeeks(plans, settings.weeks);
  const metrics = weeks.at(-1) ?? { ...ZERO_METRICS };
  const campaigns = plans.map((plan) => ({
    week: buildCampaignWeek(plan, { id, currency }, context),
    signals: buildSignals(
      'campaign',
      { id: plan.id, name: plan.name, propertyId: id },
      plan.weeks,
      currency,
      plan.alert ? 'leads' : null,
    ),
  }));
  const alerts: Alert[] = campaigns.flatMap(({ signals }) =>
    signals.kpis
      .filter((kpi) => kpi.status === 'ALERT')
      .map((kpi) => ({
        level: 'campaign' as const,
        id: signals.id,
        name: signals.name,
        kpi: kpi.key,
        reason: kpi.reason ?? 'Sustained decline',
      })),
  );
  const allTime: AllTimeTotals = {
    propertyId: id,
    metrics: scaleMetrics(metrics, 37.4),
    firstWeek: shiftWeek(settings.week, -36).start,
    lastWeek: settings.week.start,
    weekCount: 37,
  };
  const hubspotLeads = settings.hubspotAvailable ? metrics.hubspotLeads : 0;
  const report: PropertyReport = {
    propertyId: id,
    name,
    currency,
    availability: 'ok',
    unavailableReason: null,
    metrics,
    signals: buildSignals('property', { id, name, propertyId: id }, weeks, currency),
    campaigns,
    leadActivity: buildLeadActivity(campaigns.map((campaign) => campaign.week)),
    unattributedHubspotLeads: settings.hubspotAvailable ? Math.round(hubspotLeads * 0.07) + 1 : 0,
    allTime,
  };

  return { report, weeks, alerts };
}

function unavailableProperty(id: string, name: string, currency: string): PropertyReport {
  return {
    propertyId: id,
    name,
    currency,
    availability: 'unavailable',
    unavailableReason:
      'the Graph API rejected the access token (OAuthException code 190); renew the system user token',
    metrics: null,
    signals: null,
    campaigns: [],
    leadActivity: [],
    unattributedHubspotLeads: 0,
    allTime: null,
  };
}

function buildAnalysis(
  source: 'claude' | 'offline',
  totals: EntitySignals | null,
  alerts: Alert[],
): Analysis {
  const leads = totals?.kpis.find((kpi) => kpi.key === 'leads');
  const change = leads?.change ?? null;
  const movement =
    change === null
      ? 'Leads have no prior week to compare with'
      : `Leads ${change < 0 ? 'fell' : 'rose'} ${Math.abs(Math.round(change * 100))}% to ${(leads?.value ?? 0).toLocaleString('en-US')}`;
  const attention =
    alerts.length === 0
      ? 'nothing needs attention'
      : `${alerts.length} ${alerts.length === 1 ? 'campaign needs' : 'campaigns need'} attention`;

  return {
    headline: `${movement}; ${attention}.`,
    weekSummary: [
      `${movement} while spend stayed inside its normal range.`,
      'Retargeting kept the lowest cost per lead of all campaign types.',
    ],
    trendSummary: [
      'Over four weeks, lead volume is steady; only the flagged campaigns are trending down.',
    ],
    recommendations: {
      marketing: [
        'Refresh the creative of the flagged campaigns before raising their budgets.',
        'Move 10% of the awareness budget to retargeting, which converts best.',
      ],
      digital: ['Check that the lead form on the flagged campaigns still submits to HubSpot.'],
      leadership: ['No budget change needed this week; results are within normal variation.'],
    },
    source,
    model: source === 'claude' ? 'claude-sonnet-5-5' : null,
    fallbackReason: source === 'offline' ? 'the Anthropic API timed out after 90 s' : null,
    droppedClaims: source === 'claude' ? 1 : 0,
    usage: source === 'claude' ? { inputTokens: 18_450, outputTokens: 2_310 } : null,
  };
}

function buildRestatements(properties: PropertyReport[], count: number, week: Week): Restatement[] {
  const available = properties.filter((property) => property.campaigns.length > 0);

  return Array.from({ length: Math.min(count, available.length) }, (_, index) => {
    const property = available[index] as PropertyReport;
    const campaign = property.campaigns[0]?.week;
    const before = Math.max(1, (campaign?.metrics.leads ?? 10) - 3);

    return {
      propertyId: property.propertyId,
      campaignId: campaign?.campaignId ?? null,
      weekStart: shiftWeek(week, -1).start,
      kpi: 'leads' as const,
      before,
      after: before + 4,
    };
  });
}

/** Builds a complete, internally consistent `ReportData`; see `ReportDataOptions` for the knobs. */
export function buildReportData(options: ReportDataOptions = {}): ReportData {
  const settings = {
    campaigns: 30,
    properties: 3,
    weeks: 8,
    seed: 1,
    currency: 'USD',
    mixedCurrencies: false,
    unavailableProperties: 0,
    hubspotAvailable: true,
    analysisSource: 'claude' as const,
    alerts: 2,
    restatements: 1,
    adsetsPerCampaign: 3,
    week: DEFAULT_WEEK,
    ...options,
  };
  const random = createRandom(settings.seed);
  const reportId = 'acme-residential';
  const runId = `run-${settings.week.start}-0700-4f9c2a`;
  const generatedAt = `${shiftWeek(settings.week, 1).start}T12:00:05.000Z`;
  const shared = {
    ...settings,
    random,
    market: Array.from({ length: settings.weeks }, () => 0.85 + random() * 0.3),
    names: [...(options.campaignNames ?? [])],
    alertBudget: { left: settings.alerts },
    reportId,
    runId,
    generatedAt,
  };
  const built = Array.from({ length: settings.properties }, (_, index) => {
    const share = Math.floor(settings.campaigns / settings.properties);
    const extra = index < settings.campaigns % settings.properties ? 1 : 0;

    return buildProperty(index, share + extra, shared);
  });
  const properties = built.map((item) => item.report);
  const singleCurrency = new Set(properties.map((property) => property.currency)).size === 1;
  const currency = singleCurrency ? settings.currency : null;
  const available = built.filter((item) => item.report.availability === 'ok');
  const totalWeeks = Array.from({ length: settings.weeks }, (_, week) =>
    addMetrics(...available.map((item) => item.weeks[week] ?? ZERO_METRICS)),
  );
  const totals =
    currency === null || available.length === 0
      ? null
      : buildSignals(
          'report',
          { id: reportId, name: 'All properties', propertyId: null },
          totalWeeks,
          currency,
        );
  const alerts = built.flatMap((item) => item.alerts);
  const notes = [
    ...(settings.hubspotAvailable
      ? []
      : ['HubSpot data is unavailable this week: the HubSpot API returned 401 Unauthorized.']),
    ...properties
      .filter((property) => property.availability === 'unavailable')
      .map(
        (property) => `Meta data for ${property.name} is unavailable; its figures are left out.`,
      ),
  ];

  return {
    runId,
    reportId,
    reportName: 'Acme Residential weekly ads',
    week: settings.week,
    timeZone: 'America/New_York',
    currency,
    generatedAt,
    totals,
    totalsMetrics: currency === null || available.length === 0 ? null : (totalWeeks.at(-1) ?? null),
    properties,
    alerts,
    restatements: buildRestatements(properties, settings.restatements, settings.week),
    analysis: buildAnalysis(settings.analysisSource, totals, alerts),
    notes,
    hubspotAvailable: settings.hubspotAvailable,
  };
}
