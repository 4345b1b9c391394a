import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  checkNameRules,
  checkUniqueRecipients,
  normaliseTimeZones,
} from '../../src/config/check-config-values.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { AdreportConfig } from '../../src/config/schema.ts';

async function exampleConfig(): Promise<AdreportConfig> {
  return parseConfig(await readFile('config/example.config.json', 'utf8'), 'example.json');
}

function firstReport(config: AdreportConfig) {
  const report = config.reports[0];
  if (!report) throw new Error('the example config has no report');

  return report;
}

function firstNameRule(config: AdreportConfig) {
  const rule = firstReport(config).properties[0]?.hubspot.nameRules[0];
  if (!rule) throw new Error('the example config has no name rule');

  return rule;
}

describe('normaliseTimeZones', () => {
  it('replaces a lowercase zone with its IANA id', async () => {
    const config = await exampleConfig();
    firstReport(config).timeZone = 'europe/berlin';

    normaliseTimeZones(config, 'example.json');

    expect(config.reports[0]?.timeZone).toBe('Europe/Berlin');
  });

  it('rejects a deprecated alias naming its region', async () => {
    const config = await exampleConfig();
    firstReport(config).timeZone = 'US/Eastern';

    expect(() => normaliseTimeZones(config, 'example.json')).toThrow(
      /reports\[0\]\.timeZone "US\/Eastern" is a deprecated alias.*Fix: use the region id America\/New_York/,
    );
  });
});

describe('checkUniqueRecipients', () => {
  it('rejects an ops recipient listed twice', async () => {
    const config = await exampleConfig();
    config.email.opsRecipients = ['ops@example.com', 'OPS@example.com'];

    expect(() => checkUniqueRecipients(config, 'example.json')).toThrow(
      /email\.opsRecipients lists OPS@example\.com twice/,
    );
  });

  it('accepts one address in two lists', async () => {
    const config = await exampleConfig();
    config.email.opsRecipients = [firstReport(config).recipients[0] ?? ''];

    expect(() => checkUniqueRecipients(config, 'example.json')).not.toThrow();
  });
});

describe('checkNameRules', () => {
  it.each(['(hv)_\\1', 'spring(?=_promo)', '(?<!fb_)spring'])(
    'rejects the backtracking-only syntax in %s',
    async (pattern) => {
      const config = await exampleConfig();
      firstNameRule(config).pattern = pattern;

      expect(() => checkNameRules(config, 'example.json')).toThrow(
        `nameRules[0].pattern: invalid regular expression "${pattern}"`,
      );
    },
  );

  it('names RE2 syntax in the fix', async () => {
    const config = await exampleConfig();
    firstNameRule(config).pattern = 'spring(?=_promo)';

    expect(() => checkNameRules(config, 'example.json')).toThrow(/Fix: .*RE2 syntax/);
  });

  it.each(['^open ?house', '^hv[ _-]?students?[ _-]?q4', 'spring.*promo', '^(a+)+$', '^(a|a)+$'])(
    'accepts the RE2 pattern %s',
    async (pattern) => {
      const config = await exampleConfig();
      firstNameRule(config).pattern = pattern;

      expect(() => checkNameRules(config, 'example.json')).not.toThrow();
    },
  );
});
