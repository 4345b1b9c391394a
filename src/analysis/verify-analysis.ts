import type { AnalysisOutput } from './analysis-prompt.ts';
import { type Direction, extractNumbers, type QuotedNumber } from './extract-numbers.ts';
import type { AnalysisFacts, FactEntity } from './facts.ts';

/** Claude's output with unverified claims removed, and the counts the run record stores. */
export interface Verification {
  output: AnalysisOutput;
  /** Claims (sentences) checked, kept and dropped, the headline included. */
  claims: number;
  kept: number;
  dropped: number;
  droppedClaims: string[];
  headlineVerified: boolean;
}

/**
 * Checks every number in Claude's output against the facts. A claim (a sentence of a bullet, or the
 * headline) is dropped when one of its numbers matches no fact within its display rounding.
 * It is also dropped when it states a change in the direction opposite to the fact ("rose 25 %"
 * for a 25 % fall), or when it speaks of an ALERT in a week that has none.
 */
export function verifyAnalysis(output: AnalysisOutput, facts: AnalysisFacts): Verification {
  const known = collectFactNumbers(facts);
  const names = collectNames(facts);
  const droppedClaims: string[] = [];
  let claims = 0;
  const check = (claim: string) => {
    claims += 1;
    const ok = isVerified(claim, known, names, facts.counts.alerts);
    if (!ok) droppedClaims.push(claim);

    return ok;
  };
  const headlineVerified = check(output.headline);
  const filter = (items: string[]) => items.map((item) => keepVerified(item, check)).filter(isText);

  return {
    output: {
      headline: output.headline,
      weekSummary: filter(output.weekSummary),
      trendSummary: filter(output.trendSummary),
      recommendations: {
        marketing: filter(output.recommendations.marketing),
        digital: filter(output.recommendations.digital),
        leadership: filter(output.recommendations.leadership),
      },
    },
    claims,
    kept: claims - droppedClaims.length,
    dropped: droppedClaims.length,
    droppedClaims,
    headlineVerified,
  };
}

/** Keeps the verified sentences of a bullet; null when none is left. */
function keepVerified(bullet: string, check: (claim: string) => boolean): string | null {
  const kept = splitSentences(bullet).filter(check);

  return kept.length > 0 ? kept.join(' ') : null;
}

/** Splits text into sentences at ., ! or ? followed by a space and a capital, digit or quote. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“'([$€£])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

function isVerified(claim: string, known: FactNumbers, names: string[], alerts: number): boolean {
  const text = stripNames(claim, names);
  if (alerts === 0 && claimsAlert(text)) return false;

  return extractNumbers(text).every((quoted) => matchesFact(quoted, known));
}

/** True for a sentence that speaks of an ALERT without denying one ("no ALERTs this week"). */
function claimsAlert(text: string): boolean {
  return /\bALERTS?\b/.test(text) && !/\b(no|none|nothing|zero|without|not)\b/i.test(text);
}

/**
 * A figure of the facts in display units. `direction` is the sign of a change (a week-over-week
 * difference, a change in percent) and 0 for a level (a KPI value, a noise band, a count).
 */
interface FactNumber {
  magnitude: number;
  direction: Direction;
}

/** Fact figures: percentages apart, money and counts together. */
interface FactNumbers {
  percent: FactNumber[];
  plain: FactNumber[];
}

const level = (value: number): FactNumber => ({ magnitude: Math.abs(value), direction: 0 });
const change = (value: number): FactNumber => ({
  magnitude: Math.abs(value),
  direction: Math.sign(value) as Direction,
});

/**
 * Returns true when a fact has the quoted magnitude within its rounding. A number quoted as a
 * change with a direction also needs a fact that is a change in that direction, so a level
 * (a KPI value, a noise band) cannot back "rose 45 %".
 */
function matchesFact(quoted: QuotedNumber, known: FactNumbers): boolean {
  const pools = quoted.percent ? [known.percent] : [known.plain, known.percent];

  return pools.some((pool) =>
    pool.some(
      (fact) =>
        Math.abs(fact.magnitude - quoted.value) <= quoted.tolerance + 1e-9 &&
        (quoted.direction === 0 || fact.direction === quoted.direction),
    ),
  );
}

/**
 * Collects every figure in the facts: KPI values and their differences, percentages, counts,
 * and the numbers written inside reasons and notes.
 */
export function collectFactNumbers(facts: AnalysisFacts): FactNumbers {
  const known: FactNumbers = { percent: [], plain: [] };
  const addText = (text: string) => {
    for (const quoted of extractNumbers(text)) {
      const fact = { magnitude: quoted.value, direction: quoted.direction };
      (quoted.percent ? known.percent : known.plain).push(fact);
    }
  };
  const entities = [facts.totals, ...facts.properties, ...facts.campaigns].filter(isEntity);
  for (const entity of entities) addEntity(entity, known, addText);
  for (const alert of facts.alerts) addText(alert.reason);
  for (const note of facts.notes) addText(note);
  for (const restatement of facts.restatements) {
    known.plain.push(level(restatement.before), level(restatement.after));
    known.plain.push(change(restatement.after - restatement.before));
    if (restatement.changePct !== null) known.percent.push(change(restatement.changePct));
  }
  const others = facts.otherCampaigns;
  const { counts } = facts;
  const levels = [
    ...(others ? [others.count, others.leads, others.withMoves, others.spend ?? 0] : []),
    ...[counts.properties, counts.campaigns, counts.campaignsInDetail, counts.alerts],
    ...[facts.alerts.length, facts.moreAlerts, facts.restatements.length],
  ];
  known.plain.push(...levels.map(level));
  addText(facts.week.label);

  return known;
}

function addEntity(entity: FactEntity, known: FactNumbers, addText: (text: string) => void) {
  for (const kpi of entity.kpis) {
    const pool = kpi.unit === 'percent' ? known.percent : known.plain;
    for (const value of [kpi.value, kpi.previous, kpi.baseline]) {
      if (value !== null) pool.push(level(value));
    }
    if (kpi.value !== null && kpi.previous !== null) pool.push(change(kpi.value - kpi.previous));
    if (kpi.value !== null && kpi.baseline !== null) pool.push(change(kpi.value - kpi.baseline));
    for (const percent of [kpi.changePct, kpi.vsBaselinePct]) {
      if (percent !== null) known.percent.push(change(percent));
    }
    if (kpi.noiseBandPct !== null) known.percent.push(level(kpi.noiseBandPct));
    if (kpi.reason) addText(kpi.reason);
  }
}

/** Returns every name in the facts, longest first, so the longest match is removed first. */
function collectNames(facts: AnalysisFacts): string[] {
  const names = [
    facts.reportName,
    ...[facts.totals, ...facts.properties, ...facts.campaigns]
      .filter(isEntity)
      .flatMap((entity) => [entity.name, entity.propertyName ?? '']),
    ...facts.alerts.map((alert) => alert.name),
    ...facts.restatements.flatMap((restatement) => [
      restatement.property,
      restatement.campaign ?? '',
    ]),
  ];

  return [...new Set(names.filter((name) => name.length > 0))].sort((a, b) => b.length - a.length);
}

function stripNames(text: string, names: string[]): string {
  let rest = text;
  for (const name of names) {
    rest = rest.replace(new RegExp(escapeRegExp(name), 'gi'), ' ');
  }

  return rest;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isEntity(entity: FactEntity | null): entity is FactEntity {
  return entity !== null;
}

function isText(value: string | null): value is string {
  return value !== null;
}
