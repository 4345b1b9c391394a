import type { Analysis, KpiKey } from '../shared/types.ts';
import type { AnalysisFacts, FactAlert, FactEntity, FactKpi } from './facts.ts';
import { formatMoneyMajor, formatNumber, formatPercent } from './format.ts';

/** Most bullets the offline narrative writes in one section. */
const MAX_BULLETS = 5;
const HEADLINE_KPIS: KpiKey[] = ['spend', 'leads', 'cpl'];

/**
 * Writes the analysis from the facts alone, with the same sections as Claude's: deterministic,
 * so the same facts always give the same text. Used when Claude is not configured or failed.
 * `fallbackReason` gives the reason, which the report shows.
 */
export function writeOfflineNarrative(
  facts: AnalysisFacts,
  fallbackReason: string | null,
): Analysis {
  return {
    headline: headline(facts),
    weekSummary: weekSummary(facts),
    trendSummary: trendSummary(facts),
    recommendations: {
      marketing: marketingActions(facts),
      digital: digitalActions(facts),
      leadership: leadershipActions(facts),
    },
    source: 'offline',
    model: null,
    fallbackReason,
    droppedClaims: 0,
    usage: null,
  };
}

function headline(facts: AnalysisFacts): string {
  const [first] = groupAlerts(facts.alerts);
  if (first) {
    // Counts alerts, not entities, so the figure matches the report's alert list. The total is
    // among the facts that verifyAnalysis checks numbers against, and "N more" is not.
    const total = facts.counts.alerts;
    const rest = total > 1 ? ` ${total} alerts in all need attention.` : '';

    return `ALERT on ${first.name}: ${lowerFirst(first.reasons[0] ?? '')}.${rest}`;
  }
  const summary = facts.totals ? kpiSummary(facts.totals, HEADLINE_KPIS) : '';

  return summary
    ? `No alerts for ${facts.week.label}: ${summary}.`
    : `No alerts for ${facts.week.label}.`;
}

function weekSummary(facts: AnalysisFacts): string[] {
  const bullets: string[] = [];
  if (facts.totals) {
    bullets.push(
      `${facts.reportName}, ${facts.week.label}: ${kpiSummary(facts.totals, ['spend', 'leads', 'cpl', 'hubspotLeads', 'ctr'])}.`,
    );
  }
  for (const property of facts.properties.slice(0, 3)) {
    bullets.push(`${property.name}: ${kpiSummary(property, HEADLINE_KPIS)}.`);
  }
  for (const note of facts.notes.slice(0, 2)) bullets.push(note);

  return bullets.slice(0, MAX_BULLETS);
}

function trendSummary(facts: AnalysisFacts): string[] {
  const bullets: string[] = [];
  const moves = movedKpis(facts);
  for (const { entity, kpi } of moves.slice(0, 3)) {
    bullets.push(`${entity.name} [${kpi.status}]: ${kpi.reason}.`);
  }
  if (moves.length === 0) {
    bullets.push(
      'Every KPI is within its normal week-to-week range (FLAT or OK): no moves to report.',
    );
  }
  for (const restatement of facts.restatements.slice(0, 2)) {
    const where = restatement.campaign
      ? `${restatement.campaign} (${restatement.property})`
      : restatement.property;
    bullets.push(
      `Restated: ${restatement.kpi} of ${where} for the week of ${restatement.weekStart} moved ` +
        `from ${formatNumber(restatement.before)} to ${formatNumber(restatement.after)}.`,
    );
  }

  return bullets.slice(0, MAX_BULLETS);
}

function marketingActions(facts: AnalysisFacts): string[] {
  const sustained = groupAlerts(facts.alerts).filter((group) => !group.rule);
  if (sustained.length > 0) {
    return sustained
      .slice(0, 3)
      .map(
        (group) =>
          `Review budget, audience and creative of ${group.name}: ${lowerFirst(group.reasons[0] ?? '')}.`,
      );
  }
  const first = movedKpis(facts)[0];
  if (first) {
    return [
      `No change needed yet; watch ${first.entity.name} next week (${first.kpi.label} ${first.kpi.status}).`,
    ];
  }

  return ['No budget or creative changes are needed on this week’s figures.'];
}

function digitalActions(facts: AnalysisFacts): string[] {
  const rules = groupAlerts(facts.alerts).filter((group) => group.rule);
  const actions = rules
    .slice(0, 3)
    .map(
      (group) =>
        `Check tracking, the lead form and the ad delivery of ${group.name}: ${lowerFirst(group.reasons[0] ?? '')}.`,
    );
  if (facts.notes.length > 0)
    actions.push(`Resolve the data gaps noted in this report: ${facts.notes[0]}`);

  return actions.length > 0
    ? actions.slice(0, 3)
    : ['No tracking or delivery problems are indicated.'];
}

function leadershipActions(facts: AnalysisFacts): string[] {
  const groups = groupAlerts(facts.alerts);
  if (groups.length === 0) {
    return [
      'No decision needed: every change this week is within normal variance or a one-week move.',
    ];
  }
  const names = groups
    .slice(0, 3)
    .map((group) => group.name)
    .join(', ');
  const count = groups.length;
  const noun = count === 1 ? 'item needs' : 'items need';

  return [`${count} ${noun} a decision this week (${names}); the other figures need no action.`];
}

interface AlertGroup {
  name: string;
  /** True when a hard rule (spend without leads, stopped delivery) raised one of the alerts. */
  rule: boolean;
  reasons: string[];
}

/** Most specific first: campaigns are what people act on, the report total last. */
const LEVEL_PRIORITY: Record<FactAlert['level'], number> = {
  campaign: 0,
  adset: 1,
  property: 2,
  report: 3,
};

/** Groups alerts by entity, rules first within a group, campaigns first across groups. */
function groupAlerts(alerts: FactAlert[]): AlertGroup[] {
  const ordered = [...alerts].sort(
    (a, b) =>
      LEVEL_PRIORITY[a.level] - LEVEL_PRIORITY[b.level] ||
      Number(b.kpi === 'rule') - Number(a.kpi === 'rule'),
  );
  const groups = new Map<string, AlertGroup>();
  for (const alert of ordered) {
    const key = `${alert.level}:${alert.name}`;
    const group = groups.get(key) ?? { name: alert.name, rule: false, reasons: [] };
    group.rule ||= alert.kpi === 'rule';
    group.reasons.push(alert.reason);
    groups.set(key, group);
  }

  return [...groups.values()];
}

/** KPIs outside the band or in ALERT, ALERTs first, across totals, properties and campaigns. */
function movedKpis(facts: AnalysisFacts): Array<{ entity: FactEntity; kpi: FactKpi }> {
  const entities = [facts.totals, ...facts.properties, ...facts.campaigns].filter(
    (entity): entity is FactEntity => entity !== null,
  );
  const moved = entities.flatMap((entity) =>
    entity.kpis
      .filter((kpi) => kpi.reason !== null && kpi.status !== 'FLAT' && kpi.status !== 'OK')
      .map((kpi) => ({ entity, kpi })),
  );

  return moved.sort((a, b) => Number(b.kpi.status === 'ALERT') - Number(a.kpi.status === 'ALERT'));
}

function kpiSummary(entity: FactEntity, keys: KpiKey[]): string {
  return keys
    .map((key) => entity.kpis.find((kpi) => kpi.kpi === key))
    .filter((kpi): kpi is FactKpi => kpi !== undefined)
    .map((kpi) => `${kpi.label} ${formatFact(kpi, entity.currency)} [${kpi.status}]`)
    .join(', ');
}

function formatFact(kpi: FactKpi, currency: string | null): string {
  if (kpi.unit === 'money') return formatMoneyMajor(kpi.value, currency);
  if (kpi.unit === 'percent') return kpi.value === null ? '—' : formatPercent(kpi.value / 100, 2);

  return formatNumber(kpi.value, 1);
}

/** Lowers the first word when it is an ordinary capitalised word ("Leads", not "CPL" or "HubSpot"). */
function lowerFirst(text: string): string {
  const [first = ''] = text.split(' ', 1);

  return /^[A-Z][a-z]+$/.test(first) ? first.toLowerCase() + text.slice(first.length) : text;
}
