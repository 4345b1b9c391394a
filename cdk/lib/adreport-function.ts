import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type ParamsAndSecretsLayerVersion,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../src/config/env.ts';
import { ConfigError } from '../../src/shared/errors.ts';

/** Path of the bundled config file in the deployed function; `LAMBDA_TASK_ROOT` is `/var/task`. */
export const BUNDLED_CONFIG_PATH = '/var/task/adreport.config.json';

/**
 * Lambda runtime of both functions: the newest Node.js runtime aws-cdk-lib 2.278 knows, which
 * cdk-nag's AwsSolutions-L1 check requires.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_26_X;

/** The resvg native package that matches the x86_64 Lambda architecture (Amazon Linux, glibc). */
export const RESVG_BINARY_PACKAGE = '@resvg/resvg-js-linux-x64-gnu';

type EnvName = (typeof ENV)[keyof typeof ENV];

export interface AdreportFunctionProps {
  /** Repository root: the lockfile, `node_modules` and `assets/fonts` are found from here. */
  rootDir: string;
  /** Handler module, relative to `rootDir`; it must export `handler`. */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Absolute path of the validated config file copied into the bundle. */
  configPath: string;
  /** `POWERTOOLS_SERVICE_NAME`, which tags every log line of the function. */
  serviceName: string;
  logRetention: RetentionDays;
  /** Ships `@resvg/resvg-js` with its native binary and the chart fonts. */
  chartRendering: boolean;
  /**
   * The AWS Parameters and Secrets Lambda Extension layer to add, a local HTTP cache of Secrets
   * Manager. CDK also sets the environment variables the extension reads.
   */
  paramsAndSecrets?: ParamsAndSecretsLayerVersion;
  /**
   * Ships a source map and sets `--enable-source-maps`, so stack traces name source lines (true by
   * default). Node reads the map at every cold start.
   */
  sourceMaps?: boolean;
}

/**
 * A Node.js Lambda function with the settings every adreport function shares. The ESM bundle is
 * built locally by esbuild and contains the config file. The function logs to its own log group
 * with retention and traces with X-Ray. Its role may only write those logs until a `bind…` call or
 * a policy statement grants more.
 */
export class AdreportFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AdreportFunctionProps) {
    super(scope, id);
    if (props.chartRendering) assertChartFilesPresent(props.rootDir);

    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    // An inline grant on this log group replaces AWSLambdaBasicExecutionRole, which allows every log group.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(props.rootDir, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      // x86_64 because the resvg binary in node_modules is the linux-x64 build (see RESVG_BINARY_PACKAGE).
      architecture: Architecture.X86_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: props.rootDir,
      depsLockFilePath: join(props.rootDir, 'package-lock.json'),
      environment: {
        [ENV.config]: BUNDLED_CONFIG_PATH,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(props.sourceMaps === false ? {} : { NODE_OPTIONS: '--enable-source-maps' }),
      },
      bundling: bundlingOptions(props),
      ...(props.paramsAndSecrets ? { paramsAndSecrets: props.paramsAndSecrets } : {}),
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** Sets one of the environment variables listed in `ENV`. */
  setEnvironment(name: EnvName, value: string): void {
    this.function.addEnvironment(name, value);
  }

  /**
   * Points `envName` at `table` and grants the item actions that `access` needs on the table and
   * on the named indexes only.
   */
  bindTable(table: ITable, envName: EnvName, access: 'read' | 'readWrite', indexes: string[] = []) {
    this.setEnvironment(envName, table.tableName);
    const resources = [table.tableArn, ...indexes.map((name) => `${table.tableArn}/index/${name}`)];
    const actions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
    if (access === 'readWrite') {
      actions.push(
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      );
    }
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions, resources }),
    );
  }
}

function bundlingOptions(props: AdreportFunctionProps) {
  return {
    format: OutputFormat.ESM,
    // Bundled CommonJS dependencies call require(); ESM output has none unless the banner makes one.
    banner:
      "import { createRequire as __adreportCreateRequire } from 'node:module';" +
      'const require = __adreportCreateRequire(import.meta.url);',
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: props.sourceMaps !== false,
    // The SDK is bundled so that Lambda runs the SDK version the tests ran, not the runtime's copy.
    bundleAwsSDK: true,
    // A native addon cannot be bundled; afterBundling copies the package and its binary instead.
    externalModules: ['@resvg/resvg-js'],
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) =>
        afterBundlingCommands(props, outputDir),
    },
  };
}

function afterBundlingCommands(props: AdreportFunctionProps, outputDir: string): string[] {
  const commands = [
    `cp ${quote(props.configPath)} ${quote(join(outputDir, 'adreport.config.json'))}`,
  ];
  if (!props.chartRendering) return commands;

  const modules = join(props.rootDir, 'node_modules', '@resvg');
  const target = join(outputDir, 'node_modules', '@resvg');
  commands.push(
    `mkdir -p ${quote(target)} ${quote(join(outputDir, 'assets'))}`,
    `cp -R ${quote(join(modules, 'resvg-js'))} ${quote(join(modules, 'resvg-js-linux-x64-gnu'))} ${quote(target)}`,
    `cp -R ${quote(join(props.rootDir, 'assets', 'fonts'))} ${quote(join(outputDir, 'assets'))}`,
  );

  return commands;
}

/** Fails at synth time, with the fix, when a file the chart renderer needs on Lambda is missing. */
function assertChartFilesPresent(rootDir: string): void {
  const fontsDir = join(rootDir, 'assets', 'fonts');
  if (!existsSync(fontsDir)) {
    throw new ConfigError('fonts_missing', `Chart fonts folder not found: ${fontsDir}`, {
      fix: 'restore assets/fonts from the repository; Lambda has no system fonts',
    });
  }
  if (existsSync(join(rootDir, 'node_modules', RESVG_BINARY_PACKAGE))) return;

  const manifest = join(rootDir, 'node_modules', '@resvg', 'resvg-js', 'package.json');
  const version = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    : 'latest';
  throw new ConfigError(
    'resvg_binary_missing',
    `${RESVG_BINARY_PACKAGE} is not installed, so the worker bundle would have no chart renderer for Lambda`,
    {
      fix: `run: npm install --no-save --os=linux --cpu=x64 --libc=glibc ${RESVG_BINARY_PACKAGE}@${version}`,
    },
  );
}

/** Quotes a path for the POSIX shell that runs the bundling commands. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
