import type { PropertyConfig } from '../../config/schema.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { ContactFilter } from './contact-filter.ts';

/** A configured name rule with its pattern compiled. */
export interface CompiledNameRule {
  propertyId: string;
  /** Config path of the rule, for messages, e.g. `spa-north.hubspot.nameRules[2]`. */
  source: string;
  pattern: RegExp;
  campaignId: string;
  adsetId: string | null;
  /** The owning property's contact filter. The rule applies only to contacts it matches. */
  contactFilter: ContactFilter | null;
}

/**
 * Compiles every property's `hubspot.nameRules` into case-insensitive regular expressions, in
 * config order. Throws a ConfigError naming the rule when a pattern is not a valid expression.
 */
export function compileNameRules(properties: PropertyConfig[]): CompiledNameRule[] {
  return properties.flatMap((property) =>
    property.hubspot.nameRules.map((rule, index) => {
      const source = `${property.id}.hubspot.nameRules[${index}]`;

      return {
        propertyId: property.id,
        source,
        pattern: compilePattern(rule.pattern, source),
        campaignId: rule.campaignId,
        adsetId: rule.adsetId ?? null,
        contactFilter: property.hubspot.contactFilter ?? null,
      };
    }),
  );
}

function compilePattern(pattern: string, source: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (cause) {
    throw new ConfigError(
      'name_rule_invalid',
      `Invalid regular expression in ${source}: "${pattern}"`,
      {
        fix: `correct the pattern (${(cause as Error).message}) and escape literal characters such as ( ) [ ] . with a backslash`,
        cause,
      },
    );
  }
}
