import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('cdk.json', () => {
  it('turns off CLI telemetry', async () => {
    // The CDK CLI sends usage data to a public endpoint unless this key is false, and
    // `npm run synth` must work on a machine with no internet access.
    const json = JSON.parse(await readFile(join(import.meta.dirname, '../../cdk.json'), 'utf8'));

    expect(json.context['cli-telemetry']).toBe(false);
  });
});
