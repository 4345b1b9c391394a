import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../cdk/lib/load-stack-config.ts';

const VALID = {
  reports: [
    {
      id: 'acme',
      name: 'Acme',
      timeZone: 'Europe/Berlin',
      recipients: ['marketing@acme.example'],
      properties: [{ id: 'acme-main', name: 'Acme Main', metaAdAccountId: 'act_1001' }],
    },
  ],
  email: { sender: 'reports@acme.example' },
};

let root = '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'adreport-stack-config-'));
  mkdirSync(join(root, 'sample-data'));
  writeFileSync(
    join(root, 'sample-data', 'adreport.config.json'),
    JSON.stringify({ ...VALID, email: { sender: 'sample@example.com' } }),
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadStackConfig', () => {
  it('reads adreport.config.json by default', () => {
    writeFileSync(join(root, 'adreport.config.json'), JSON.stringify(VALID));

    const loaded = loadStackConfig(undefined, root);

    expect(loaded.path).toBe(join(root, 'adreport.config.json'));
    expect(loaded.config.email.sender).toBe('reports@acme.example');
    expect(loaded.fallbackWarning).toBeNull();
  });

  it('falls back to the sample with a warning', () => {
    const loaded = loadStackConfig(undefined, root);

    expect(loaded.path).toBe(join(root, 'sample-data', 'adreport.config.json'));
    expect(loaded.config.email.sender).toBe('sample@example.com');
    expect(loaded.fallbackWarning).toContain('-c configFile=PATH');
  });

  it('resolves a relative configFile from the root', () => {
    writeFileSync(join(root, 'prod.json'), JSON.stringify(VALID));

    const loaded = loadStackConfig('prod.json', root);

    expect(loaded.path).toBe(join(root, 'prod.json'));
  });

  it('rejects a named file that is missing', () => {
    expect(() => loadStackConfig('prod.json', root)).toThrow(
      `Config file not found: ${join(root, 'prod.json')}`,
    );
  });

  it('rejects an invalid config at synth time', () => {
    writeFileSync(join(root, 'adreport.config.json'), JSON.stringify({ ...VALID, reports: [] }));

    expect(() => loadStackConfig(undefined, root)).toThrow('Invalid config');
  });
});
