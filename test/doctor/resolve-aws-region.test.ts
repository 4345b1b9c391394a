import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAwsRegion } from '../../src/doctor/resolve-aws-region.ts';

let dir = '';
let configFile = '';
let missingFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adreport-region-'));
  configFile = join(dir, 'config');
  missingFile = join(dir, 'missing');
  await writeFile(
    configFile,
    '[default]\nregion = eu-central-1\n\n[profile reports]\nregion = ap-southeast-2\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveAwsRegion', () => {
  it.each([
    { case: 'AWS_REGION', env: { AWS_REGION: 'eu-west-1' }, region: 'eu-west-1' },
    { case: 'AWS_DEFAULT_REGION', env: { AWS_DEFAULT_REGION: 'us-east-2' }, region: 'us-east-2' },
    {
      case: 'AWS_REGION over the config file',
      env: { AWS_REGION: 'eu-west-1', AWS_CONFIG_FILE: 'CONFIG' },
      region: 'eu-west-1',
    },
    { case: 'the default profile', env: { AWS_CONFIG_FILE: 'CONFIG' }, region: 'eu-central-1' },
    {
      case: 'a named profile',
      env: { AWS_CONFIG_FILE: 'CONFIG', AWS_PROFILE: 'reports' },
      region: 'ap-southeast-2',
    },
  ])('reads the region from $case', async ({ env, region }) => {
    const withFiles = {
      AWS_SHARED_CREDENTIALS_FILE: missingFile,
      ...env,
      AWS_CONFIG_FILE: env.AWS_CONFIG_FILE === 'CONFIG' ? configFile : missingFile,
    };

    const resolved = await resolveAwsRegion(withFiles);

    expect(resolved).toBe(region);
  });

  it.each([
    { case: 'nothing is set', env: {} },
    { case: 'AWS_REGION is blank', env: { AWS_REGION: ' ' } },
    { case: 'the profile has no region', env: { AWS_PROFILE: 'other' } },
  ])('returns null when $case', async ({ env }) => {
    const withFiles = { AWS_SHARED_CREDENTIALS_FILE: missingFile, AWS_CONFIG_FILE: missingFile };

    const resolved = await resolveAwsRegion({ ...withFiles, ...env });

    expect(resolved).toBeNull();
  });
});
