import { RE2JS } from 're2js';
import type { PropertyConfig } from '../../config/schema.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { ContactFilter } from './contact-filter.ts';

/**
 * Maximum number of characters of a contact's campaign name that a name rule reads. The cap
 * bounds matching time on text that a visitor sets through the `utm_campaign` of a landing URL.
 * NOTE: 500 is a chosen bound, not a documented Meta limit on campaign names.
 */
export const MAX_MATCHED_LENGTH = 500;

/** A configured name rule with its pattern compiled. */
export interface CompiledNameRule {
  propertyId: string;
  /** Config path of the rule, for messages, e.g. `spa-north.hubspot.nameRules[2]`. */
  source: string;
  /** The pattern compiled by RE2JS, which matches in time linear in the text's length. */
  pattern: RE2JS;
  campaignId: string;
  adsetId: string | null;
  /** The owning property's contact filter. The rule applies only to contacts it matches. */
  contactFilter: ContactFilter | null;
}

/**
 * Compiles every property's `hubspot.nameRules` into case-insensitive RE2 expressions, in config
 * order. Throws a ConfigError naming the rule when RE2 cannot compile a pattern.
 */
export function compileNameRules(properties: PropertyConfig[]): CompiledNameRule[] {
  return properties.flatMap((property) =>
    property.hubspot.nameRules.map((rule, index) => {
      const source = `${property.id}.hubspot.nameRules[${index}]`;

      return {
        propertyId: property.id,
        source,
        pattern: compileNamePattern(rule.pattern, source, 'name_rule_invalid'),
        campaignId: rule.campaignId,
        adsetId: rule.adsetId ?? null,
        contactFilter: property.hubspot.contactFilter ?? null,
      };
    }),
  );
}

/**
 * Compiles one name-rule pattern with RE2, case-insensitively. Throws a ConfigError with `code`
 * when the pattern is invalid or needs a feature RE2 lacks, such as a backreference or a
 * lookaround. The message starts with `where`, the location of the pattern in the config.
 */
export function compileNamePattern(pattern: string, where: string, code: string): RE2JS {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (cause) {
    const unsupported = unsupportedFeature(pattern);
    const reason = unsupported ? ` (${unsupported} is not supported)` : '';
    throw new ConfigError(code, `${where}: invalid regular expression "${pattern}"${reason}`, {
      fix:
        `correct the pattern (${(cause as Error).message}). Name rules use RE2 syntax, ` +
        'which has no backreferences (\\1) and no lookarounds ((?=, (?!, (?<=, (?<!), so ' +
        'match the text directly, and escape literal characters such as ( ) [ ] . with a backslash',
      cause,
    });
  }
}

/**
 * Returns the name of the first Perl feature in `pattern` that RE2 lacks, or null. RE2JS reports
 * some of them in misleading terms, e.g. "invalid named capture" for a lookbehind.
 */
function unsupportedFeature(pattern: string): string | null {
  const features: [RegExp, string][] = [
    [/\(\?<=/, 'lookbehind'],
    [/\(\?<!/, 'negative lookbehind'],
    [/\(\?=/, 'lookahead'],
    [/\(\?!/, 'negative lookahead'],
    // A backslash before a digit 1-9 or "k<", unless that backslash is itself escaped.
    [/(?<!\\)(?:\\\\)*\\(?:[1-9]|k<)/, 'a backreference'],
    [/\(\?>/, 'an atomic group'],
    // A quantifier followed by "+", such as a++ or a{2}+, unless the first character is escaped.
    [/(?<!\\)[*+?}]\+/, 'a possessive quantifier'],
  ];

  return features.find(([test]) => test.test(pattern))?.[1] ?? null;
}

/** Tests `rule` against the first MAX_MATCHED_LENGTH characters of `text`. */
export function matchesNameRule(rule: CompiledNameRule, text: string): boolean {
  return rule.pattern.test(text.slice(0, MAX_MATCHED_LENGTH));
}
