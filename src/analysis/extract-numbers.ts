/** Direction a text gives a number: 1 for a rise, −1 for a fall, 0 when it states none. */
export type Direction = -1 | 0 | 1;

/** A number quoted in a text, with the rounding its written form allows. */
export interface QuotedNumber {
  text: string;
  value: number;
  percent: boolean;
  tolerance: number;
  /** Direction the text gives this number as a change ("rose 25 %", "−38%", "a 12 % drop"). */
  direction: Direction;
}

/** A month name or its abbreviation, as a whole word: "declined 25" is no date. */
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|' +
  'sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\b\\.?';
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
  /(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(%)|\s?(percent|per cent|pp|percentage points?)\b|(k|K|m|M|bn)\b)?/g;
const MULTIPLIERS: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, bn: 1e9 };

const RISE_VERBS =
  'rose|rise|rises|rising|risen|increased?|increases|increasing|up|grew|grows|grow';
const FALL_VERBS =
  'fell|falls?|falling|fallen|dropped|drops?|dropping|down|declined?|declines|declining|' +
  'decreased?|decreases|decreasing|slipped|dipped|shrank';
const FILLERS = '(?:(?:by|about|around|roughly|nearly|almost|some|just|only|over|another)\\s+)*';
/**
 * A verb of change right before the number, with only filler words between: "rose 25 %",
 * "fell by about 38 %". "rose to 412" and "up to 412" quote a level, not a change, so they do
 * not match. A negation before the verb ("did not fall") cancels the direction.
 */
const VERB_BEFORE = new RegExp(
  `(?:\\b(not|never|no)\\s+|n't\\s+)?\\b(?:(${RISE_VERBS})|(${FALL_VERBS}))\\s+${FILLERS}[$€£¥]?\\s*$`,
  'i',
);
/** A plus or minus sign stuck to the number: "+12%", "(−38%)", "-$40". */
const SIGN_BEFORE = /(?:^|[\s([])([+\-−])[$€£¥]?$/;
/** Nouns of change right after a percentage: "a 38 % drop", "a 12 % increase". */
const NOUN_AFTER =
  /^\s+(?:(increase|rise|jump|gain|growth|climb)|(drop|fall|decline|decrease|dip))\b/i;
/** Comparatives right after the number ("25 % lower", "$40 above"), read by `directionAfter`. */
const COMPARATIVE_AFTER =
  /^\s+(?:(higher|above|more)|(lower|below|fewer|less))\b(?:(?:\s+\w+){0,3}\s+than\b)?/i;

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
    const percent = Boolean(percentSign || percentWord);
    const start = match.index;
    const end = start + whole.length;
    quoted.push({
      text: whole.trim(),
      value: Number(`${digits}.${fraction || '0'}`) * multiplier,
      percent,
      tolerance: 0.5 * unit * multiplier,
      direction: directionOf(rest.slice(0, start), rest.slice(end), percent),
    });
  }

  return quoted;
}

/**
 * Reads the direction of the number between `before` and `after`: a sign stuck to it, a verb
 * of change before it, or a noun or comparative after it. A number followed by "of" ("down 3
 * of the last 4 weeks") counts things, so it has no direction.
 */
function directionOf(before: string, after: string, percent: boolean): Direction {
  if (/^\s*(?:out\s+)?of\b/i.test(after)) return 0;
  const sign = SIGN_BEFORE.exec(before);
  if (sign) return sign[1] === '+' ? 1 : -1;
  const verb = VERB_BEFORE.exec(before);
  if (verb) {
    if (verb[1] || verb[0].toLowerCase().startsWith("n't")) return 0;

    return verb[2] ? 1 : -1;
  }

  return directionAfter(after, percent);
}

/**
 * Reads a noun or comparative right after the number. "More", "fewer" and "less" after a plain
 * count need a "than" ("14 more leads than last week"), because "2 more campaigns" adds items
 * and states no change.
 */
function directionAfter(after: string, percent: boolean): Direction {
  if (percent) {
    const noun = NOUN_AFTER.exec(after);
    if (noun) return noun[1] ? 1 : -1;
  }
  const comparative = COMPARATIVE_AFTER.exec(after);
  if (!comparative) return 0;
  const word = (comparative[1] ?? comparative[2] ?? '').toLowerCase();
  const needsThan = !percent && (word === 'more' || word === 'fewer' || word === 'less');
  if (needsThan && !/\bthan$/i.test(comparative[0])) return 0;

  return comparative[1] ? 1 : -1;
}
