import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { thrownError } from '../helpers/thrown-error.ts';

const EXAMPLE = 'config/example.config.json';

async function example(): Promise<Record<string, any>> {
  return JSON.parse(await readFile(EXAMPLE, 'utf8'));
}

function errorOf(run: () => unknown): ConfigError {
  return thrownError(run, ConfigError);
}

describe('loadConfig', () => {
  it('accepts the example config', async () => {
    const config = await loadConfig(EXAMPLE);

    expect(config.reports[0]?.properties).toHaveLength(2);
    expect(config.meta.restatementWeeks).toBe(4);
  });

  it('names a missing file and the fix', async () => {
    await expect(loadConfig('/nonexistent/adreport.config.json')).rejects.toThrow(
      /adreport\.config\.json not found\. Fix: pass --config FILE/,
    );
  });

  it('says when the path is a folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'adreport-config-'));

    await expect(loadConfig(folder)).rejects.toThrow(/is a folder, not a file/);
  });

  it('reads a file saved with a byte-order mark', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'adreport-config-'));
    const path = join(folder, 'bom.json');
    await writeFile(path, `\uFEFF${await readFile(EXAMPLE, 'utf8')}`);

    const config = await loadConfig(path);

    expect(config.reports).toHaveLength(1);
  });
});

describe('parseConfig', () => {
  it('rejects invalid JSON with the parser message', () => {
    const error = errorOf(() => parseConfig('{"reports": [', 'broken.json'));

    expect(error.code).toBe('config_invalid_json');
    expect(error.message).toMatch(/broken\.json is not valid JSON/);
  });

  it('gives the line and column of a syntax error', () => {
    const text = '{\n  "reports": [],\n  "email": { "sender": x }\n}';

    const error = errorOf(() => parseConfig(text, 'broken.json'));

    expect(error.message).toContain(
      "Config file broken.json is not valid JSON at line 3, column 24: Unexpected token 'x'",
    );
    expect(error.fix).toBe('correct the syntax at line 3, column 24');
  });

  it('calls an absent required field missing', async () => {
    const json = await example();
    delete json.email.sender;

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toContain('email.sender: required but missing');
    expect(error.message).not.toContain('received undefined');
  });

  it('writes the time zone with its IANA capitals', async () => {
    const json = await example();
    json.reports[0].timeZone = 'america/new_york';

    const config = parseConfig(JSON.stringify(json), 'adreport.config.json');

    expect(config.reports[0]?.timeZone).toBe('America/New_York');
  });

  it('rejects a fixed-offset time zone', async () => {
    const json = await example();
    json.reports[0].timeZone = 'EST';

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toContain('reports[0].timeZone "EST" is a fixed UTC offset');
    expect(error.fix).toContain('America/New_York');
  });

  it('rejects a recipient listed twice', async () => {
    const json = await example();
    json.reports[0].recipients.push('Marketing@example.com');

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toContain('reports[0].recipients lists Marketing@example.com twice');
  });

  it.each([
    {
      case: 'account id without act_',
      path: ['reports', 0, 'properties', 0, 'metaAdAccountId'],
      value: '1234',
      field: 'reports[0].properties[0].metaAdAccountId',
    },
    {
      case: 'unknown time zone',
      path: ['reports', 0, 'timeZone'],
      value: 'Mars/Base',
      field: 'reports[0].timeZone',
    },
    {
      case: 'bad recipient',
      path: ['reports', 0, 'recipients'],
      value: ['not-an-email'],
      field: 'reports[0].recipients[0]',
    },
    {
      case: 'no recipients',
      path: ['reports', 0, 'recipients'],
      value: [],
      field: 'reports[0].recipients',
    },
    {
      case: 'bad channel id',
      path: ['reports', 0, 'slackChannel'],
      value: '#ads',
      field: 'reports[0].slackChannel',
    },
    { case: 'bad sender', path: ['email', 'sender'], value: 'reports', field: 'email.sender' },
    {
      case: 'bad Graph version',
      path: ['meta', 'apiVersion'],
      value: '27',
      field: 'meta.apiVersion',
    },
    {
      case: 'negative threshold',
      path: ['thresholds', 'minLeads'],
      value: -1,
      field: 'thresholds.minLeads',
    },
    {
      case: 'unknown effort',
      path: ['anthropic', 'effort'],
      value: 'extreme',
      field: 'anthropic.effort',
    },
    { case: 'unknown field', path: ['reports', 0, 'colour'], value: 'blue', field: 'reports[0]' },
  ])('names the field for $case', async ({ path, value, field }) => {
    const json = await example();
    setPath(json, path, value);

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(field);
    expect(error.fix).toMatch(/example\.config\.json/);
  });

  it('rejects an ad account used twice', async () => {
    const json = await example();
    json.reports[0].properties[1].metaAdAccountId = json.reports[0].properties[0].metaAdAccountId;

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toMatch(/repeats ad account act_1234567890/);
  });

  it('lets two reports share an ad account', async () => {
    const json = await example();
    const second = structuredClone(json.reports[0]);
    second.id = 'leadership';
    second.properties = second.properties.map((p: { id: string }) => ({ ...p, id: `${p.id}-2` }));
    json.reports.push(second);

    const config = parseConfig(JSON.stringify(json), 'adreport.config.json');

    expect(config.reports).toHaveLength(2);
  });

  it('rejects a property id used by two reports', async () => {
    const json = await example();
    json.reports.push({ ...structuredClone(json.reports[0]), id: 'leadership' });

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toMatch(/reports\[1\] repeats property harbor-view/);
  });

  it('rejects a name rule that is not a regular expression', async () => {
    const json = await example();
    json.reports[0].properties[0].hubspot.nameRules[0].pattern = '([';

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toContain('reports[0].properties[0].hubspot.nameRules[0].pattern');
    expect(error.message).toContain('invalid regular expression "(["');
  });

  it('rejects a name rule RE2 cannot run', async () => {
    const json = await example();
    json.reports[0].properties[0].hubspot.nameRules[0].pattern = 'spring(?=_promo)';

    const error = errorOf(() => parseConfig(JSON.stringify(json), 'adreport.config.json'));

    expect(error.message).toContain(
      'nameRules[0].pattern: invalid regular expression "spring(?=_promo)"',
    );
    expect(error.fix).toContain('RE2 syntax');
  });
});

function setPath(target: Record<string, any>, path: Array<string | number>, value: unknown) {
  const parent = path.slice(0, -1).reduce((node, key) => node[key], target);
  parent[path.at(-1) as string | number] = value;
}
