import isSafeRegex from 'safe-regex2';
import { ConfigError } from '../shared/errors.ts';
import { canonicalTimeZone } from './canonical-time-zone.ts';
import type { AdreportConfig } from './schema.ts';

/**
 * Replaces each report's time zone with its canonical IANA id, so `america/new_york` prints as
 * `America/New_York`. Throws a ConfigError for fixed offsets and deprecated aliases.
 */
export function normaliseTimeZones(config: AdreportConfig, source: string): void {
  for (const [index, report] of config.reports.entries()) {
    const checked = canonicalTimeZone(report.timeZone);
    if ('problem' in checked) {
      throw new ConfigError(
        'config_invalid',
        `Invalid config in ${source}: reports[${index}].timeZone "${report.timeZone}" ${checked.problem}`,
        { fix: checked.fix },
      );
    }
    report.timeZone = checked.zone;
  }
}

/** Rejects an address listed twice in one list, which would send that reader two copies. */
export function checkUniqueRecipients(config: AdreportConfig, source: string): void {
  const lists: Array<[string, string[]]> = config.reports.map((report, index) => [
    `reports[${index}].recipients`,
    report.recipients,
  ]);
  lists.push(['email.opsRecipients', config.email.opsRecipients]);
  for (const [path, addresses] of lists) {
    // Mailbox names are case-insensitive in practice, so A@x.com and a@x.com are one reader.
    const lower = addresses.map((address) => address.toLowerCase());
    const repeated = lower.findIndex((address, position) => lower.indexOf(address) !== position);
    if (repeated !== -1) {
      throw new ConfigError(
        'config_invalid',
        `Invalid config in ${source}: ${path} lists ${addresses[repeated]} twice`,
        { fix: `remove the second ${addresses[repeated]} from ${path}` },
      );
    }
  }
}

/**
 * Compiles each name rule now, so a bad pattern stops the command before any fetch. Patterns
 * with nested quantifiers, such as `^(a+)+$`, are rejected too, because on some campaign names
 * they backtrack for a time exponential in the name's length.
 */
export function checkNameRules(config: AdreportConfig, source: string): void {
  config.reports.forEach((report, reportIndex) => {
    report.properties.forEach((property, propertyIndex) => {
      property.hubspot.nameRules.forEach((rule, ruleIndex) => {
        const path = `reports[${reportIndex}].properties[${propertyIndex}].hubspot.nameRules[${ruleIndex}].pattern`;
        checkPattern(rule.pattern, `Invalid config in ${source}: ${path}`);
      });
    });
  });
}

function checkPattern(pattern: string, where: string): void {
  try {
    new RegExp(pattern, 'i');
  } catch (cause) {
    throw new ConfigError('config_invalid', `${where}: invalid regular expression "${pattern}"`, {
      fix: `correct the pattern (${(cause as Error).message})`,
      cause,
    });
  }
  if (!isSafeRegex(pattern)) {
    throw new ConfigError(
      'config_invalid',
      `${where}: regular expression "${pattern}" nests one repeat inside another, which can take exponential time`,
      {
        fix: 'remove the inner repeat, e.g. write ^a+$ in place of ^(a+)+$',
      },
    );
  }
}
