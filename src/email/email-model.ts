/**
 * The email as formatted strings, built once from `ReportData` so that the HTML and the plain-text
 * part carry the same content. Strings here are raw text: the HTML renderer escapes every one.
 */
import type { Status } from '../shared/types.ts';
import type { TrendItemModel } from './group-trend-lines.ts';

/**
 * Heading over the analysis' trend bullets. Each bullet compares recent weeks with a varying number
 * of weeks before them, so the heading names no fixed count.
 */
export const TREND_HEADING = 'Trend against earlier weeks';

/** A trend chart to draw and embed by Content-ID. */
export interface ChartRequest {
  cid: string;
  filename: string;
  alt: string;
  values: Array<number | null>;
  width: number;
  height: number;
}

export interface KpiCardModel {
  label: string;
  value: string;
  /** Week-over-week change, e.g. `+12.3% vs last week`. */
  change: string;
  status: Status;
  chart: ChartRequest | null;
}

export interface KpiGroupModel {
  /** Property name when the report has no single currency and shows KPIs per property. */
  title: string | null;
  cards: KpiCardModel[];
}

export interface AlertModel {
  subject: string;
  reason: string;
}

export interface CampaignRowModel {
  name: string;
  spend: string;
  leads: string;
  cpl: string;
  ctr: string;
  /** Change of the KPI that decides the status, naming it: `−12.0% leads`. */
  change: string;
  status: Status;
}

export interface CampaignTableModel {
  propertyName: string;
  /** Set when the property's Meta data is missing: the table then shows this instead of rows. */
  unavailableReason: string | null;
  rows: CampaignRowModel[];
  /** Summary of the rows left out, e.g. `and 212 more, $8,120 spend, 93 leads`. */
  rest: string | null;
}

export interface LeadRowModel {
  level: 'campaign' | 'adset' | 'summary';
  name: string;
  metaLeads: string;
  hubspotLeads: string;
  cpl: string;
  landingPageViews: string;
  /** Campaign rows only: green when the campaign has leads this week, yellow when none. */
  hasLeads: boolean;
}

export interface LeadTableModel {
  propertyName: string;
  unavailableReason: string | null;
  rows: LeadRowModel[];
  rest: string | null;
  /** e.g. `7 HubSpot leads could not be matched to a campaign`. */
  unattributed: string | null;
}

export interface AllTimeRowModel {
  propertyName: string;
  spend: string;
  leads: string;
  cpl: string;
  hubspotLeads: string;
  since: string;
}

export interface EmailModel {
  subject: string;
  reportName: string;
  weekLabel: string;
  timeZone: string;
  properties: string;
  headline: string;
  kpiGroups: KpiGroupModel[];
  /**
   * Line under the cards, set when some properties have no Meta data. It names the properties
   * that the totals leave out, or the properties without cards.
   */
  kpiCoverage: string | null;
  /** Shown when no KPI group exists, e.g. every property's Meta data is unavailable. */
  kpiEmptyMessage: string | null;
  alerts: AlertModel[];
  weekSummary: string[];
  /** Trend bullets, with the lines about one campaign grouped under its name. */
  trendSummary: TrendItemModel[];
  recommendations: Array<{ department: string; items: string[] }>;
  campaignTables: CampaignTableModel[];
  /** Lines under the campaign tables: what each status means and how CPL is computed. */
  campaignNotes: string[];
  hubspotAvailable: boolean;
  leadTables: LeadTableModel[];
  allTime: AllTimeRowModel[];
  restatements: string[];
  notes: string[];
  footer: string[];
}
