import type { AnalysisOutput } from './analysis-prompt.ts';
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

/** A number quoted in a claim, with the rounding its written form allows. */
export interface QuotedNumber {
  text: string;
  value: number;
  percent: boolean;
  tolerance: number;
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
/** Date and duration phrases whose digits are not figures: "23–29 Nov 2026", "4-week", "3 weeks". */
const NOT_FIGURES = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  new RegExp(`\\b\\d{1,2}(?:\\s*[–-]\\s*\\d{1,2})?\\s+${MONTH}(?:\\s+\\d{4})?`, 'gi'),
  new RegExp(
    `\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:\\s*[–-]\\s*\\d{1,2})?(?:,?\\s+\\d{4})?`,
    'gi',
  ),
  /\b\d{1,2}(?:-|\s)(?:weeks?|days?|months?)\b/gi,
  /\b\d{1,2}(?:st|nd|rd|th)\b/gi,
];

const NUMBER =
  /(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:(%)|\s?(percent|per cent|pp|percentage points?)\b|(k|K|m|M|bn)\b)?/g;
const MULTIPLIERS: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, bn: 1e9 };

/**
 * Checks every number in Claude's output against the facts. A claim (a sentence of a bullet, or the
 * headline) is dropped when one of its numbers matches no fact within its display rounding,
 * or when it speaks of an ALERT in a week that has none.
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

/** Returns the figures quoted in a text, leaving out dates and durations. */
export function extractNumbers(text: string): QuotedNumber[] {
  let rest = text;
  for (const pattern of NOT_FIGURES) rest = rest.replace(pattern, ' ');
  const quoted: QuotedNumber[] = [];
  for (const match of rest.matchAll(NUMBER)) {
    const [whole, integer = '0', fraction = '', percentSign, percentWord, suffix] = match;
    const multiplier = suffix ? (MULTIPLIERS[suffix] ?? 1) : 1;
    const digits = integer.replace(/,/g, '');
    // Shown precision: "12.3k" is good to 50, "12,300" to 50, "12,345.67" to half a cent.
    // Trailing zeros count as rounding from 1,000 up only, so "10 leads" must be exact.
    const roundedZeros = fraction || digits.length < 4 ? 0 : (/0+$/.exec(digits)?.[0].length ?? 0);
    const unit = fraction
      ? 10 ** -fraction.length
      : 10 ** Math.min(roundedZeros, digits.length - 1);
    quoted.push({
      text: whole.trim(),
      value: Number(`${digits}.${fraction || '0'}`) * multiplier,
      percent: Boolean(percentSign || percentWord),
      tolerance: 0.5 * unit * multiplier,
    });
  }

  return quoted;
}

/** Fact values in display units: percentages apart, money and counts together. */
interface FactNumbers {
  percent: number[];
  plain: number[];
}

// TODO: signs are compared as magnitudes, so "rose 25 %" passes for a 25 % fall; direction
// words are not checked yet.
function matchesFact(quoted: QuotedNumber, known: FactNumbers): boolean {
  const pools = quoted.percent ? [known.percent] : [known.plain, known.percent];

  return pools.some((pool) =>
    pool.some((fact) => {
      return Math.abs(Math.abs(fact) - quoted.value) <= quoted.tolerance + 1e-9;
    }),
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
      (quoted.percent ? known.percent : known.plain).push(quoted.value);
    }
  };
  const entities = [facts.totals, ...facts.properties, ...facts.campaigns].filter(isEntity);
  for (const entity of entities) addEntity(entity, known, addText);
  for (const alert of facts.alerts) addText(alert.reason);
  for (const note of facts.notes) addText(note);
  for (const restatement of facts.restatements) {
    known.plain.push(restatement.before, restatement.after, restatement.after - restatement.before);
    if (restatement.changePct !== null) known.percent.push(restatement.changePct);
  }
  const others = facts.otherCampaigns;
  if (others) known.plain.push(others.count, others.leads, others.withMoves, others.spend ?? 0);
  const { counts } = facts;
  known.plain.push(counts.properties, counts.campaigns, counts.campaignsInDetail, counts.alerts);
  known.plain.push(facts.alerts.length, facts.moreAlerts, facts.restatements.length);
  addText(facts.week.label);

  return known;
}

function addEntity(entity: FactEntity, known: FactNumbers, addText: (text: string) => void) {
  for (const kpi of entity.kpis) {
    const pool = kpi.unit === 'percent' ? known.percent : known.plain;
    for (const value of [kpi.value, kpi.previous, kpi.baseline]) {
      if (value !== null) pool.push(value);
    }
    if (kpi.value !== null && kpi.previous !== null) pool.push(kpi.value - kpi.previous);
    if (kpi.value !== null && kpi.baseline !== null) pool.push(kpi.value - kpi.baseline);
    for (const percent of [kpi.changePct, kpi.vsBaselinePct, kpi.noiseBandPct]) {
      if (percent !== null) known.percent.push(percent);
    }
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
