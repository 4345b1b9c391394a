/**
 * Domain types shared by the pipeline, the email, the bot and the store.
 * Money is kept in integer minor units of the ad account's currency (cents for USD, yen for JPY)
 * so that sums are exact; ratios are derived when shown and are null when undefined.
 */

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** A reporting week: Monday to Sunday inclusive, in the ad account's or report's time zone. */
export interface Week {
  start: IsoDate;
  end: IsoDate;
}

/** Additive weekly totals. Every field is a finite, non-negative integer. */
export interface Metrics {
  spendMinor: number;
  impressions: number;
  clicks: number;
  /** Meta leads, counted from one action type per row (never a sum of overlapping types). */
  leads: number;
  landingPageViews: number;
  /** HubSpot contacts attributed to this campaign or ad set. */
  hubspotLeads: number;
  /** Spend of lead-generating campaigns only: the numerator of CPL. */
  cplSpendMinor: number;
  /** Leads of lead-generating campaigns only: the denominator of CPL. */
  cplLeads: number;
}

export interface AdSetWeek {
  adsetId: string;
  adsetName: string;
  metrics: Metrics;
}

/** One campaign's totals for one week, with its ad-set breakdown: one item in the metrics table. */
export interface CampaignWeek {
  campaignId: string;
  campaignName: string;
  reportId: string;
  propertyId: string;
  accountId: string;
  currency: string;
  weekStart: IsoDate;
  objective: string | null;
  isLeadGen: boolean;
  metrics: Metrics;
  adsets: AdSetWeek[];
  /**
   * False when no HubSpot search has covered this week yet, so `hubspotLeads` is unknown rather
   * than zero. Absent on items stored before the flag existed, which count as covered.
   */
  hubspotCounted?: boolean;
  runId: string;
  fetchedAt: string;
}

/** A property's totals for one week: an aggregate item, so trends never read every campaign. */
export interface PropertyWeek {
  reportId: string;
  propertyId: string;
  weekStart: IsoDate;
  currency: string;
  metrics: Metrics;
  campaignCount: number;
  unattributedHubspotLeads: number;
  /**
   * Every campaign stored for this property and week, so a run can read their items by key
   * without knowing the campaigns first. Absent on items stored before the list existed.
   */
  campaignIds?: string[];
  /** False when no HubSpot search has covered this week yet; see `CampaignWeek.hubspotCounted`. */
  hubspotCounted?: boolean;
  runId: string;
  fetchedAt: string;
}

export interface AllTimeTotals {
  propertyId: string;
  metrics: Metrics;
  firstWeek: IsoDate | null;
  lastWeek: IsoDate | null;
  weekCount: number;
}

/** The origin of a raw payload. The archive key is built from these parts. */
export interface RawPayloadKey {
  source: 'meta' | 'hubspot';
  /** Meta ad account id (`act_…`) or the HubSpot scope (report id). */
  account: string;
  weekStart: IsoDate;
  runId: string;
  /** Payload name inside the run folder, without extension: `account`, `insights` or `contacts`. */
  name: string;
}

/** A raw API response as received, kept byte-for-byte in meaning (parsed JSON of each page). */
export interface RawPayload {
  key: RawPayloadKey;
  fetchedAt: string;
  request: { url: string; params: Record<string, string> };
  pages: unknown[];
}

export type Status = 'UP' | 'DOWN' | 'FLAT' | 'ALERT' | 'OK';

export type KpiKey =
  | 'spend'
  | 'impressions'
  | 'clicks'
  | 'ctr'
  | 'cpc'
  | 'leads'
  | 'cpl'
  | 'landingPageViews'
  | 'hubspotLeads';

/** One KPI of one entity (report, property, campaign or ad set) for the report week. */
export interface KpiSignal {
  key: KpiKey;
  /** Display value: money in major units, ratios as fractions (CTR 0.0155 = 1.55 %). */
  value: number | null;
  previous: number | null;
  /** Week-over-week change as a fraction (0.12 = +12 %), null when undefined. */
  change: number | null;
  /** Mean of the 4 weeks before the report week, null with no history. */
  baseline: number | null;
  /** Half-width of the noise band as a fraction of the baseline. */
  noiseBand: number | null;
  status: Status;
  /** One line a reader understands, set for ALERT and for moves outside the band. */
  reason: string | null;
  /** Values of the last weeks, oldest first, ending with the report week (for charts). */
  series: Array<number | null>;
  /** The hard rule behind an ALERT; absent when the ALERT (if any) is a sustained move. */
  rule?: HardRule;
}

/** Rules that raise an ALERT whatever the noise band says. */
export type HardRule = 'spend_without_leads' | 'stopped_delivering';

export type EntityLevel = 'report' | 'property' | 'campaign' | 'adset';

export interface EntitySignals {
  level: EntityLevel;
  id: string;
  name: string;
  propertyId: string | null;
  kpis: KpiSignal[];
}

export interface Alert {
  level: EntityLevel;
  id: string;
  name: string;
  kpi: KpiKey | 'rule';
  reason: string;
}

/** An earlier week whose figures moved beyond the noise band since they were last stored. */
export interface Restatement {
  propertyId: string;
  campaignId: string | null;
  weekStart: IsoDate;
  kpi: KpiKey;
  before: number;
  after: number;
}

export type Department = 'marketing' | 'digital' | 'leadership';

export interface Analysis {
  headline: string;
  weekSummary: string[];
  trendSummary: string[];
  recommendations: Record<Department, string[]>;
  source: 'claude' | 'offline';
  model: string | null;
  /** The reason the offline narrative was used, shown in the report footer. */
  fallbackReason: string | null;
  droppedClaims: number;
  usage: { inputTokens: number; outputTokens: number } | null;
}

export interface LeadActivityAdSet {
  adsetId: string;
  adsetName: string;
  metaLeads: number;
  hubspotLeads: number;
  spendMinor: number;
  cplSpendMinor: number;
  landingPageViews: number;
}

export interface LeadActivityCampaign {
  campaignId: string;
  campaignName: string;
  metaLeads: number;
  hubspotLeads: number;
  spendMinor: number;
  cplSpendMinor: number;
  landingPageViews: number;
  adsets: LeadActivityAdSet[];
}

export interface PropertyReport {
  propertyId: string;
  name: string;
  currency: string;
  /** `unavailable` when the Meta fetch failed: figures are absent, never zero. */
  availability: 'ok' | 'unavailable';
  unavailableReason: string | null;
  metrics: Metrics | null;
  signals: EntitySignals | null;
  campaigns: Array<{ week: CampaignWeek; signals: EntitySignals }>;
  leadActivity: LeadActivityCampaign[];
  unattributedHubspotLeads: number;
  allTime: AllTimeTotals | null;
}

/** Everything the renderers need; pure data, no clients. */
export interface ReportData {
  runId: string;
  reportId: string;
  reportName: string;
  week: Week;
  timeZone: string;
  /** Report currency when all properties share one, otherwise null (totals then per property). */
  currency: string | null;
  generatedAt: string;
  totals: EntitySignals | null;
  totalsMetrics: Metrics | null;
  properties: PropertyReport[];
  alerts: Alert[];
  restatements: Restatement[];
  analysis: Analysis;
  /** Degradations a reader must see (HubSpot unavailable, charts missing, …). */
  notes: string[];
  hubspotAvailable: boolean;
}

/** Stored weeks before the report week, loaded without scans; lists are oldest first. */
export interface History {
  campaigns: Map<string, CampaignWeek[]>;
  properties: Map<string, PropertyWeek[]>;
  allTime: Map<string, AllTimeTotals>;
}

/** A campaign-week or property-week value as it was before this run overwrote it. */
export interface ReplacedValue {
  kind: 'campaign' | 'property';
  id: string;
  propertyId: string;
  weekStart: IsoDate;
  metrics: Metrics;
}

/**
 * Outcome of a run. `not_sent`: it was asked to deliver nothing. `already_delivered`: an earlier
 * run had delivered everything asked for. `in_progress`: another run has claimed a delivery and not finished it.
 */
export type RunOutcome =
  | 'delivered'
  | 'degraded'
  | 'failed'
  | 'stored'
  | 'not_sent'
  | 'already_delivered'
  | 'in_progress';
