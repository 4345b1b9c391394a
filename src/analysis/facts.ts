import type { SignalSet } from '../pipeline/compute-signals.ts';
import { flattenText } from '../shared/display-text.ts';
import type {
  CampaignWeek,
  EntityLevel,
  EntitySignals,
  KpiKey,
  KpiSignal,
  Status,
  Week,
} from '../shared/types.ts';
import { formatWeek } from '../shared/week.ts';
import { isMoneyKpi, KPI_LABELS } from './format.ts';

/** One KPI as sent to the model: display units, rounded the way the report shows them. */
export interface FactKpi {
  kpi: KpiKey;
  label: string;
  /** `money` in the entity's currency (major units), `percent` as a number of percent. */
  unit: 'money' | 'percent' | 'count';
  value: number | null;
  previous: number | null;
  /** Week-over-week change in percent. */
  changePct: number | null;
  /** Average of the weeks before the report week (4 by default). */
  baseline: number | null;
  /** Change against the baseline in percent. */
  vsBaselinePct: number | null;
  /** Half-width of the normal range in percent of the baseline. */
  noiseBandPct: number | null;
  status: Status;
  reason: string | null;
}

export interface FactEntity {
  level: EntityLevel;
  id: string;
  name: string;
  propertyName: string | null;
  currency: string | null;
  kpis: FactKpi[];
}

export interface FactAlert {
  level: EntityLevel;
  name: string;
  kpi: string;
  reason: string;
}

export interface FactRestatement {
  property: string;
  campaign: string | null;
  weekStart: string;
  kpi: KpiKey;
  before: number;
  after: number;
  changePct: number | null;
}

/** Campaigns not shown in detail, summed. */
export interface OtherCampaigns {
  count: number;
  /** Summed spend; null when the campaigns use more than one currency. */
  spend: number | null;
  leads: number;
  /** How many of them have a KPI outside its noise band (UP or DOWN). */
  withMoves: number;
}

/**
 * The computed facts and statuses the analysis is written from, bounded in size: the largest
 * campaigns and every campaign with a signal in detail, the rest summed.
 */
export interface AnalysisFacts {
  reportName: string;
  week: { start: string; end: string; label: string };
  currency: string | null;
  totals: FactEntity | null;
  properties: FactEntity[];
  campaigns: FactEntity[];
  otherCampaigns: OtherCampaigns | null;
  alerts: FactAlert[];
  /** Alerts left out of `alerts` to bound the size. */
  moreAlerts: number;
  restatements: FactRestatement[];
  notes: string[];
  counts: { properties: number; campaigns: number; campaignsInDetail: number; alerts: number };
}

/** Largest campaigns by spend always shown in detail. */
export const TOP_CAMPAIGNS = 8;
/** Most campaigns shown in detail, the largest plus those with signals. */
export const MAX_DETAILED_CAMPAIGNS = 20;
export const MAX_ALERTS = 15;
export const MAX_RESTATEMENTS = 10;
export const MAX_NOTES = 10;
/** Maximum length of a name passed to the model; longer names are cut with an ellipsis. */
export const MAX_NAME_LENGTH = 120;

const CAMPAIGN_KPIS = new Set<KpiKey>([
  'spend',
  'clicks',
  'ctr',
  'cpc',
  'leads',
  'cpl',
  'hubspotLeads',
]);
const STATUS_RANK: Record<Status, number> = { ALERT: 0, DOWN: 1, UP: 1, FLAT: 2, OK: 2 };

/** Builds the facts for the analysis from the signals of the report week. */
export function buildFacts(input: {
  reportName: string;
  week: Week;
  currency: string | null;
  signals: SignalSet;
  campaignWeeks: CampaignWeek[];
  propertyNames: Map<string, string>;
  notes: string[];
}): AnalysisFacts {
  const { signals } = input;
  const propertyName = (id: string | null) => (id ? (input.propertyNames.get(id) ?? id) : null);
  const currencyOf = currencyLookup(input);
  const campaigns = rankCampaigns([...signals.campaigns.values()], input.campaignWeeks);
  const detailed = campaigns.slice(0, MAX_DETAILED_CAMPAIGNS);
  const others = campaigns.slice(MAX_DETAILED_CAMPAIGNS);

  return {
    reportName: cleanName(input.reportName),
    week: { start: input.week.start, end: input.week.end, label: formatWeek(input.week) },
    currency: input.currency,
    totals: toFactEntity(signals.totals, null, input.currency, null),
    properties: [...signals.properties.values()].map((entity) =>
      toFactEntity(
        { ...entity, name: propertyName(entity.id) ?? entity.name },
        null,
        currencyOf(entity),
        null,
      ),
    ),
    campaigns: detailed.map((entity) =>
      toFactEntity(entity, propertyName(entity.propertyId), currencyOf(entity), CAMPAIGN_KPIS),
    ),
    otherCampaigns: others.length > 0 ? sumOthers(others, currencyOf) : null,
    alerts: signals.alerts.slice(0, MAX_ALERTS).map((alert) => ({
      level: alert.level,
      name: cleanName(
        alert.level === 'property' ? (propertyName(alert.id) ?? alert.name) : alert.name,
      ),
      kpi: alert.kpi,
      reason: alert.reason,
    })),
    moreAlerts: Math.max(0, signals.alerts.length - MAX_ALERTS),
    restatements: signals.restatements.slice(0, MAX_RESTATEMENTS).map((restatement) => ({
      property: cleanName(propertyName(restatement.propertyId) ?? restatement.propertyId),
      campaign: restatement.campaignId
        ? cleanName(signals.campaigns.get(restatement.campaignId)?.name ?? restatement.campaignId)
        : null,
      weekStart: restatement.weekStart,
      kpi: restatement.kpi,
      before: restatement.before,
      after: restatement.after,
      changePct: restatement.before
        ? round(((restatement.after - restatement.before) / restatement.before) * 100, 1)
        : null,
    })),
    notes: input.notes.slice(0, MAX_NOTES).map((note) => cleanText(note, 300)),
    counts: {
      properties: signals.properties.size,
      campaigns: signals.campaigns.size,
      campaignsInDetail: detailed.length,
      alerts: signals.alerts.length,
    },
  };
}

/**
 * Orders campaigns for the detail list: the `TOP_CAMPAIGNS` largest by spend first, then the
 * others with an ALERT, then with UP or DOWN, each group by spend.
 */
function rankCampaigns(campaigns: EntitySignals[], weeks: CampaignWeek[]): EntitySignals[] {
  const spend = new Map(weeks.map((week) => [week.campaignId, week.metrics.spendMinor]));
  const bySpend = [...campaigns].sort(
    (a, b) => (spend.get(b.id) ?? 0) - (spend.get(a.id) ?? 0) || a.name.localeCompare(b.name),
  );
  const top = bySpend.slice(0, TOP_CAMPAIGNS);
  const rest = bySpend.slice(TOP_CAMPAIGNS).sort((a, b) => signalRank(a) - signalRank(b));

  return [...top, ...rest];
}

function signalRank(entity: EntitySignals): number {
  return Math.min(...entity.kpis.map((kpi) => STATUS_RANK[kpi.status]));
}

function currencyLookup(input: { campaignWeeks: CampaignWeek[]; currency: string | null }) {
  const byProperty = new Map(input.campaignWeeks.map((week) => [week.propertyId, week.currency]));
  const byCampaign = new Map(input.campaignWeeks.map((week) => [week.campaignId, week.currency]));

  return (entity: EntitySignals): string | null =>
    byCampaign.get(entity.id) ??
    (entity.propertyId ? byProperty.get(entity.propertyId) : undefined) ??
    input.currency;
}

function toFactEntity(
  entity: EntitySignals,
  propertyName: string | null,
  currency: string | null,
  only: Set<KpiKey> | null,
): FactEntity {
  const kpis = entity.kpis.filter(
    (kpi) =>
      !only ||
      only.has(kpi.key) ||
      kpi.status === 'ALERT' ||
      kpi.status === 'UP' ||
      kpi.status === 'DOWN',
  );

  return {
    level: entity.level,
    id: entity.id,
    name: cleanName(entity.name),
    propertyName: propertyName === null ? null : cleanName(propertyName),
    currency,
    kpis: kpis.map(toFactKpi),
  };
}

/** Rounds a KPI the way the report shows it, so quoted figures can be checked exactly. */
export function toFactKpi(kpi: KpiSignal): FactKpi {
  const unit = factUnit(kpi.key);
  const display = (value: number | null) => {
    if (value === null) return null;

    return unit === 'percent' ? round(value * 100, 2) : round(value, 2);
  };
  const value = display(kpi.value);
  const baseline = display(kpi.baseline);
  const vsBaseline =
    kpi.value !== null && kpi.baseline ? (kpi.value - kpi.baseline) / kpi.baseline : null;

  return {
    kpi: kpi.key,
    label: KPI_LABELS[kpi.key],
    unit,
    value,
    previous: display(kpi.previous),
    changePct: kpi.change === null ? null : round(kpi.change * 100, 1),
    baseline,
    vsBaselinePct: vsBaseline === null ? null : round(vsBaseline * 100, 1),
    noiseBandPct: kpi.noiseBand === null ? null : round(kpi.noiseBand * 100, 1),
    status: kpi.status,
    reason: kpi.reason,
  };
}

function factUnit(key: KpiKey): FactKpi['unit'] {
  if (isMoneyKpi(key)) return 'money';

  return key === 'ctr' ? 'percent' : 'count';
}

function sumOthers(
  others: EntitySignals[],
  currencyOf: (entity: EntitySignals) => string | null,
): OtherCampaigns {
  const currencies = new Set(others.map(currencyOf));
  const kpiValue = (entity: EntitySignals, key: KpiKey) =>
    entity.kpis.find((kpi) => kpi.key === key)?.value ?? 0;
  const spend = others.reduce((sum, entity) => sum + kpiValue(entity, 'spend'), 0);

  return {
    count: others.length,
    spend: currencies.size === 1 ? round(spend, 2) : null,
    leads: round(
      others.reduce((sum, entity) => sum + kpiValue(entity, 'leads'), 0),
      2,
    ),
    withMoves: others.filter((entity) =>
      entity.kpis.some((kpi) => kpi.status === 'UP' || kpi.status === 'DOWN'),
    ).length,
  };
}

/** Removes control characters and cuts long names; names are data written by other people. */
export function cleanName(name: string): string {
  return cleanText(name, MAX_NAME_LENGTH);
}

function cleanText(text: string, maxLength: number): string {
  const visible = flattenText(text);

  return visible.length > maxLength ? `${visible.slice(0, maxLength - 1)}…` : visible;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;

  return Math.round(value * factor) / factor;
}
