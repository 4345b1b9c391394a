import { ConfigError } from '../shared/errors.ts';
import { compileNamePattern } from '../sources/hubspot/name-rules.ts';
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
 * Compiles each name rule with RE2 now, so a bad pattern stops the command before any fetch.
 * RE2 matches in time linear in the text's length, so no pattern can hang a run on a crafted
 * campaign name. It rejects backreferences and lookarounds, which need backtracking.
 */
export function checkNameRules(config: AdreportConfig, source: string): void {
  config.reports.forEach((report, reportIndex) => {
    report.properties.forEach((property, propertyIndex) => {
      property.hubspot.nameRules.forEach((rule, ruleIndex) => {
        const path = `reports[${reportIndex}].properties[${propertyIndex}].hubspot.nameRules[${ruleIndex}].pattern`;
        compileNamePattern(rule.pattern, `Invalid config in ${source}: ${path}`, 'config_invalid');
      });
    });
  });
}
