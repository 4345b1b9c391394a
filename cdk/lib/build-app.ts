import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../../src/shared/errors.ts';
import { AdreportStack } from './adreport-stack.ts';
import type { SenderIdentityMode } from './email-sending.ts';
import { loadStackConfig } from './load-stack-config.ts';

/** Account and region used when neither context nor the CDK CLI supplies them (offline synth). */
export const DEFAULT_ENV = { account: '123456789012', region: 'us-east-1' } as const;

export const STACK_NAME = 'Adreport';

export interface BuildAppOptions {
  /** Repository root; relative config paths and the handler entries are resolved from here. */
  rootDir: string;
  /** Context values, as `-c key=value` would set them (`configFile`, `account`, `region`, `senderIdentity`). */
  context?: Record<string, string>;
  /** Environment to read `CDK_DEFAULT_ACCOUNT` and `CDK_DEFAULT_REGION` from. */
  env?: NodeJS.ProcessEnv;
  /** Passed to `App`, e.g. an `outdir` for tests. */
  appProps?: AppProps;
}

/**
 * Builds the CDK app: the adreport stack with the validated config and the AwsSolutions checks
 * of cdk-nag, which make synthesis fail on any finding that is not acknowledged with a reason.
 */
export function buildApp(options: BuildAppOptions): { app: App; stack: AdreportStack } {
  assertEsbuildInstalled(options.rootDir);
  const app = new App({
    ...options.appProps,
    context: {
      ...cdkJsonContext(options.rootDir),
      ...options.appProps?.context,
      ...options.context,
    },
  });
  const env = options.env ?? process.env;
  const context = (key: string): string | undefined => app.node.tryGetContext(key) ?? undefined;

  const stack = new AdreportStack(app, STACK_NAME, {
    env: {
      account: context('account') ?? env.CDK_DEFAULT_ACCOUNT ?? DEFAULT_ENV.account,
      region: context('region') ?? env.CDK_DEFAULT_REGION ?? DEFAULT_ENV.region,
    },
    description: 'adreport: weekly Meta Ads and HubSpot report by email and Slack',
    rootDir: options.rootDir,
    stackConfig: loadStackConfig(context('configFile'), options.rootDir),
    senderIdentity: parseSenderIdentity(context('senderIdentity')),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, stack };
}

/**
 * Reads the feature flags from cdk.json, so that an app built outside the CDK CLI (the tests)
 * synthesises the same template as `cdk synth`.
 */
function cdkJsonContext(rootDir: string): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(rootDir, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };

  return cdkJson.context ?? {};
}

function parseSenderIdentity(value: string | undefined): SenderIdentityMode {
  if (value === undefined || value === 'create' || value === 'existing') return value ?? 'create';

  throw new ConfigError('invalid_context', `Invalid senderIdentity context value "${value}"`, {
    fix: 'pass -c senderIdentity=create (the default) or -c senderIdentity=existing',
  });
}

/**
 * Fails fast when esbuild is missing: NodejsFunction would otherwise fall back to Docker bundling
 * and fail with the unhelpful "spawnSync docker ENOENT".
 */
function assertEsbuildInstalled(rootDir: string): void {
  try {
    createRequire(`${rootDir}/package.json`).resolve('esbuild');
  } catch (cause) {
    throw new ConfigError(
      'esbuild_missing',
      'esbuild is not installed, so the functions cannot be bundled',
      {
        fix: 'run npm ci (esbuild is a devDependency); Docker bundling is not supported',
        cause,
      },
    );
  }
}
