/**
 * Bad config: every field set to a wrong value gets a ConfigError that names the field and a fix.
 * Random wrong types go into every leaf of a valid config, and hand-picked wrong values of the
 * right type go into the fields whose rules are more than a type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/shared/errors.ts';

const VALID = {
  reports: [
    {
      id: 'weekly',
      name: 'Weekly ads',
      timeZone: 'Europe/Berlin',
      recipients: ['team@example.com'],
      slackChannel: 'C0123456789',
      properties: [
        {
          id: 'home',
          name: 'Home',
          metaAdAccountId: 'act_1001',
          hubspot: {
            contactFilter: { propertyName: 'client', operator: 'EQ', value: 'home' },
            nameRules: [{ pattern: 'spring', campaignId: '111', adsetId: '1111' }],
          },
        },
      ],
      thresholds: { minLeads: 5 },
    },
  ],
  email: { sender: 'reports@example.com', opsRecipients: ['ops@example.com'] },
  meta: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v27.0', restatementWeeks: 4 },
  hubspot: { baseUrl: 'https://api.hubapi.com', timeoutMs: 30_000 },
  anthropic: { model: 'claude-sonnet-5-5', effort: 'medium', timeoutMs: 90_000 },
  slack: { teamId: 'T0123456789', opsChannel: 'C0OPS000001', retries: 3 },
  thresholds: { bandFloor: 0.1, sustainedWeeks: 3 },
};

type Path = Array<string | number>;

/** Paths of every string, number and boolean in `value`. */
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]));
  }

  return [path];
}

function withValue(path: Path, replacement: unknown): unknown {
  const copy = structuredClone(VALID) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1) as string | number] = replacement;

  return copy;
}

/** Returns the field path as the error message writes it, e.g. `reports[0].properties[0].id`. */
function fieldName(path: Path): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`,
    )
    .join('');
}

function parseError(config: unknown): ConfigError {
  try {
    parseConfig(JSON.stringify(config), 'adreport.config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`Expected a ConfigError, got ${String(error)}`);
  }
  throw new Error('Expected the config to be rejected');
}

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
);

/** Wrong values of the right type, for fields whose rules go beyond the type. */
const WRONG_VALUES: Array<[Path, unknown]> = [
  [['reports', 0, 'id'], 'Weekly Report!'],
  [['reports', 0, 'name'], ''],
  [['reports', 0, 'timeZone'], 'Mars/Olympus_Mons'],
  [['reports', 0, 'recipients'], []],
  [['reports', 0, 'recipients', 0], 'not-an-address'],
  [['reports', 0, 'slackChannel'], '#marketing'],
  [['reports', 0, 'properties'], []],
  [['reports', 0, 'properties', 0, 'id'], 'Home Office'],
  [['reports', 0, 'properties', 0, 'metaAdAccountId'], '1001'],
  [['reports', 0, 'properties', 0, 'hubspot', 'contactFilter', 'operator'], 'LIKE'],
  [['reports', 0, 'properties', 0, 'hubspot', 'nameRules', 0, 'campaignId'], 'spring-promo'],
  [['reports', 0, 'thresholds', 'minLeads'], -1],
  [['email', 'sender'], 'reports at example.com'],
  [['email', 'opsRecipients', 0], 'ops'],
  [['meta', 'baseUrl'], 'graph.facebook.com'],
  [['meta', 'apiVersion'], '27'],
  [['meta', 'restatementWeeks'], 0],
  [['meta', 'restatementWeeks'], 2.5],
  [['hubspot', 'timeoutMs'], 10],
  [['anthropic', 'effort'], 'extreme'],
  [['anthropic', 'timeoutMs'], 999_999_999],
  [['slack', 'teamId'], 'acme'],
  [['slack', 'opsChannel'], 'ops'],
  [['slack', 'retries'], -1],
  [['thresholds', 'bandFloor'], 1.5],
  [['thresholds', 'sustainedWeeks'], 1],
];

describe('parseConfig on bad input', () => {
  it('accepts the valid base config', () => {
    const config = parseConfig(JSON.stringify(VALID), 'adreport.config.json');

    expect(config.reports[0]?.id).toBe('weekly');
  });

  it('names any leaf given a wrong type', () => {
    const leaves = leafPaths(VALID);
    const wrongType = fc
      .tuple(fc.constantFrom(...leaves), anyJson)
      .filter(([path, value]) => typeOf(value) !== typeOf(valueAt(path)));

    fc.assert(
      fc.property(wrongType, ([path, value]) => {
        const error = parseError(withValue(path, value));

        expect(error.code).toBe('config_invalid');
        expect(error.message).toContain(`${fieldName(path)}: `);
        expect(error.fix).toMatch(/correct the named fields/);
      }),
      { numRuns: 300 },
    );
  });

  it.each(WRONG_VALUES)('names %j given %j', (path, value) => {
    const error = parseError(withValue(path, value));

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(`${fieldName(path)}: `);
    expect(error.fix).not.toBeNull();
  });

  it('names an unknown field', () => {
    const error = parseError({ ...VALID, emails: VALID.email });

    expect(error.message).toMatch(/Unrecognized key.*"emails"/);
  });

  it('names a repeated property id', () => {
    const report = VALID.reports[0] as (typeof VALID.reports)[number];
    const twice = {
      ...VALID,
      reports: [{ ...report, properties: [...report.properties, ...report.properties] }],
    };

    const error = parseError(twice);

    expect(error.message).toContain('reports[0] repeats property home');
  });

  it('names the file for text that is not JSON', () => {
    const text = JSON.stringify(VALID);

    fc.assert(
      fc.property(fc.integer({ min: 1, max: text.length - 1 }), (cut) => {
        let error: unknown;
        try {
          parseConfig(text.slice(0, cut), 'adreport.config.json');
        } catch (caught) {
          error = caught;
        }

        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).code).toBe('config_invalid_json');
        expect((error as ConfigError).message).toContain('adreport.config.json');
      }),
      { numRuns: 100 },
    );
  });
});

function valueAt(path: Path): unknown {
  let value: unknown = VALID;
  for (const key of path) value = (value as Record<string | number, unknown>)[key];

  return value;
}
