import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DEFAULT_ENV } from '../../cdk/lib/build-app.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

let dir = '';
let configFile = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adreport-build-app-'));
  configFile = join(dir, 'adreport.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
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
    }),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Builds the app without bundling, which these tests do not look at. */
function build(context: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  return buildApp({
    rootDir: ROOT,
    context: { configFile, ...context },
    env,
    appProps: { outdir: join(dir, 'cdk.out'), context: { 'aws:cdk:bundling-stacks': [] } },
  });
}

describe('buildApp', () => {
  it('uses the fixed environment by default', () => {
    const { stack } = build();

    expect(stack.account).toBe(DEFAULT_ENV.account);
    expect(stack.region).toBe(DEFAULT_ENV.region);
  });

  it('takes the CLI environment over the default', () => {
    const { stack } = build(
      {},
      { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' },
    );

    expect(stack.account).toBe('210987654321');
    expect(stack.region).toBe('eu-west-1');
  });

  it('takes context over the CLI environment', () => {
    const { stack } = build(
      { account: '111122223333', region: 'eu-central-1' },
      { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' },
    );

    expect(stack.account).toBe('111122223333');
    expect(stack.region).toBe('eu-central-1');
  });

  it('skips the sender identity when it exists', () => {
    const { stack } = build({ senderIdentity: 'existing' });

    Template.fromStack(stack).resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('rejects an unknown senderIdentity value', () => {
    expect(() => build({ senderIdentity: 'maybe' })).toThrow(
      'Invalid senderIdentity context value "maybe"',
    );
  });

  it('rejects a config file that does not exist', () => {
    expect(() => build({ configFile: join(dir, 'missing.json') })).toThrow('Config file not found');
  });

  it('reads the feature flags from cdk.json', () => {
    const { app } = build();

    expect(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBe(true);
  });
});
