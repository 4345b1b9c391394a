import type { Thresholds } from '../config/schema.ts';
import { InputError } from '../shared/errors.ts';
import { KPI_LABELS } from '../shared/kpi-labels.ts';
import { METRIC_KEYS } from '../shared/metrics.ts';
import { currencyDigits } from '../shared/money.ts';
import type {
  Alert,
  EntityLevel,
  EntitySignals,
  KpiKey,
  KpiSignal,
  Metrics,
  Status,
} from '../shared/types.ts';
import { checkHardRules, type RuleHit } from './hard-rules.ts';
import { KPI_DEFINITIONS, type KpiDefinition, meanMetrics, pooledValue } from './kpis.ts';
import { noiseBandWidth } from './noise-band.ts';
import { describeMove, describeRuleHit, describeSustainedMove } from './signal-reasons.ts';
import { detectSustainedMove } from './sustained-move.ts';

export { detectRestatements } from './restatements.ts';

/** One week of an entity's series; `metrics` is null when there is no data that week. */
export interface SeriesPoint {
  weekStart: string;
  metrics: Metrics | null;
  /** True when no HubSpot search covered the week, so its HubSpot leads are missing, not zero. */
  hubspotUnknown?: boolean;
}

/** Most weeks of history a series may carry (charts and the history spread use them all). */
export const MAX_SERIES_WEEKS = 12;

/** KPIs about leads: a brand (not lead-generating) entity never alerts on them. */
const LEAD_KPIS = new Set<KpiKey>(['leads', 'cpl', 'hubspotLeads']);

const LEVEL_ORDER: Record<EntityLevel, number> = { report: 0, property: 1, campaign: 2, adset: 3 };

interface EntityContext {
  points: Array<Metrics | null>;
  scale: number;
  currency: string | null;
  isLeadGen: boolean;
  thresholds: Thresholds;
}

/**
 * Computes every KPI's value, change, baseline, noise band and status for one entity.
 * KPIs that do not apply are left out: CPL of an entity that is not lead-generating, and money
 * KPIs when `currency` is null (totals across currencies).
 * @throws InputError when the series is empty, out of order or contains a non-finite figure.
 */
export function computeEntitySignals(input: {
  level: EntityLevel;
  id: string;
  name: string;
  propertyId: string | null;
  currency: string | null;
  isLeadGen: boolean;
  series: SeriesPoint[];
  thresholds: Thresholds;
}): EntitySignals {
  validateSeries(input.series, input.id);
  const context: EntityContext = {
    points: input.series.slice(-MAX_SERIES_WEEKS).map((point) => point.metrics),
    scale: minorUnitScale(input.currency),
    currency: input.currency,
    isLeadGen: input.isLeadGen,
    thresholds: input.thresholds,
  };
  const definitions = KPI_DEFINITIONS.filter(
    (definition) =>
      (input.isLeadGen || !definition.leadGenOnly) &&
      (input.currency !== null || !definition.money),
  );
  const hubspotContext: EntityContext = {
    ...context,
    points: input.series
      .slice(-MAX_SERIES_WEEKS)
      .map((point) => (point.hubspotUnknown ? null : point.metrics)),
  };
  const kpis = definitions.map((definition) =>
    computeKpiSignal(definition, definition.key === 'hubspotLeads' ? hubspotContext : context),
  );
  // The spend rule compares spend with a minimum in major units, so it needs a currency.
  const hit =
    input.currency === null
      ? null
      : checkHardRules({
          level: input.level,
          isLeadGen: input.isLeadGen,
          points: context.points,
          scale: context.scale,
          thresholds: input.thresholds,
        });
  if (hit) applyRuleHit(kpis, hit, input.currency);

  return { level: input.level, id: input.id, name: input.name, propertyId: input.propertyId, kpis };
}

/** Lists every ALERT: report first, then properties, campaigns and ad sets; rules first. */
export function collectAlerts(entities: EntitySignals[]): Alert[] {
  const alerts = entities.flatMap((entity) =>
    entity.kpis
      .filter((kpi) => kpi.status === 'ALERT')
      .map((kpi) => ({
        level: entity.level,
        id: entity.id,
        name: entity.name,
        kpi: kpi.rule ? ('rule' as const) : kpi.key,
        reason: kpi.reason ?? `${KPI_LABELS[kpi.key]} in ALERT`,
      })),
  );

  return alerts.sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      Number(b.kpi === 'rule') - Number(a.kpi === 'rule') ||
      a.name.localeCompare(b.name),
  );
}

function computeKpiSignal(definition: KpiDefinition, context: EntityContext): KpiSignal {
  const { points, scale, thresholds } = context;
  const series = points.map((point) => (point ? definition.value(point, scale) : null));
  const value = series.at(-1) ?? null;
  const previous = series.length > 1 ? (series.at(-2) ?? null) : null;
  const baselinePoints = present(points.slice(0, -1).slice(-thresholds.baselineWeeks));
  const baseline = pooledValue(definition, baselinePoints, scale);
  const volume = meanMetrics(baselinePoints);
  const band = noiseBandWidth({
    definition,
    baseline,
    baselineWeeks: baselinePoints.length,
    volume,
    history: series.slice(0, -1),
    thresholds,
  });
  const signal: KpiSignal = {
    key: definition.key,
    value,
    previous,
    change: relativeChange(value, previous),
    baseline,
    noiseBand: band !== null && baseline ? band / baseline : null,
    status: 'FLAT',
    reason: null,
    series,
  };
  const canAlert = context.isLeadGen || !LEAD_KPIS.has(definition.key);
  const move = canAlert ? detectSustainedMove({ definition, points, scale, thresholds }) : null;
  if (move) {
    return {
      ...signal,
      status: 'ALERT',
      reason: describeSustainedMove(definition, move, context.currency),
    };
  }
  if (value === null || baseline === null || band === null) return signal;
  if (Math.abs(value - baseline) > band) {
    const status: Status = value > baseline ? 'UP' : 'DOWN';
    const reason = describeMove({
      key: definition.key,
      value,
      baseline,
      baselineWeeks: baselinePoints.length,
      noiseBand: signal.noiseBand,
      currency: context.currency,
    });

    return { ...signal, status, reason };
  }
  const steady =
    baselinePoints.length === thresholds.baselineWeeks &&
    definition.hasVolume(volume, thresholds, scale);

  return { ...signal, status: steady ? 'OK' : 'FLAT' };
}

function applyRuleHit(kpis: KpiSignal[], hit: RuleHit, currency: string | null): void {
  const leads = kpis.find((kpi) => kpi.key === 'leads');
  if (!leads) return;
  leads.status = 'ALERT';
  leads.reason = describeRuleHit(hit, currency);
  leads.rule = hit.rule;
}

const scales = new Map<string, number>();

/** Minor units per major unit (100 for USD), cached because Intl lookups are slow. */
function minorUnitScale(currency: string | null): number {
  if (currency === null) return 1;
  let scale = scales.get(currency);
  if (scale === undefined) {
    scale = 10 ** currencyDigits(currency);
    scales.set(currency, scale);
  }

  return scale;
}

function relativeChange(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;

  return (value - previous) / previous;
}

function present(points: Array<Metrics | null>): Metrics[] {
  return points.filter((point): point is Metrics => point !== null);
}

function validateSeries(series: SeriesPoint[], id: string): void {
  if (series.length === 0) {
    throw new InputError('empty_series', `No weeks given for entity "${id}"`, {
      fix: 'pass at least the report week; use metrics: null for a week without data',
    });
  }
  series.forEach((point, index) => {
    const earlier = series[index - 1];
    if (earlier && earlier.weekStart >= point.weekStart) {
      throw new InputError(
        'unordered_series',
        `Weeks of entity "${id}" are out of order at ${point.weekStart}`,
        {
          fix: 'order the series oldest first, one point per week',
        },
      );
    }
    const bad = point.metrics
      ? METRIC_KEYS.find((key) => !isCount(point.metrics?.[key]))
      : undefined;
    if (bad) {
      throw new InputError(
        'invalid_metrics',
        `Invalid ${bad} for entity "${id}" in week ${point.weekStart}`,
        {
          fix: 'metrics must be finite, non-negative numbers; check the transform step for this week',
        },
      );
    }
  });
}

function isCount(value: number | undefined): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
