import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdreportStack } from '../../cdk/lib/adreport-stack.ts';
import { buildApp } from '../../cdk/lib/build-app.ts';
import { SECRET_TEMPLATE } from '../../cdk/lib/data-stores.ts';
import { ENV, SECRET_KEYS } from '../../src/config/env.ts';
import { configSchema } from '../../src/config/schema.ts';
import {
  METRICS_KEYS,
  PROPERTY_WEEK_ATTRIBUTE,
  STATE_KEYS,
} from '../../src/storage/table-definitions.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

const CONFIG = {
  reports: [
    {
      id: 'acme',
      name: 'Acme',
      timeZone: 'Europe/Berlin',
      recipients: ['marketing@acme.example', 'lead@partner.example'],
      slackChannel: 'C0ACME0001',
      properties: [{ id: 'acme-main', name: 'Acme Main', metaAdAccountId: 'act_1001' }],
    },
    {
      id: 'globex',
      name: 'Globex',
      timeZone: 'America/New_York',
      recipients: ['team@globex.example'],
      properties: [{ id: 'globex-main', name: 'Globex', metaAdAccountId: 'act_2001' }],
    },
  ],
  email: { sender: 'reports@acme.example', opsRecipients: ['ops@acme.example'] },
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let dir = '';
let template: Template;
let resources: Resources;
let assemblyDir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adreport-cdk-'));
  const configFile = join(dir, 'adreport.config.json');
  writeFileSync(configFile, JSON.stringify(CONFIG));
  assemblyDir = join(dir, 'cdk.out');
  const { app, stack } = buildApp({
    rootDir: ROOT,
    context: { configFile },
    env: {},
    appProps: { outdir: assemblyDir },
  });
  // Synthesis throws when cdk-nag finds an AwsSolutions violation that is not acknowledged.
  app.synth();
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ofType(type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function functionByDescription(prefix: string) {
  const found = ofType('AWS::Lambda::Function').find(([, resource]) =>
    String(resource.Properties.Description).startsWith(prefix),
  );
  if (!found) throw new Error(`No function described as ${prefix}`);

  return { logicalId: found[0], properties: found[1].Properties };
}

function policyStatementsOfRole(roleLogicalIdPrefix: string) {
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as Array<{ Ref: string }>).some((role) =>
        role.Ref.startsWith(roleLogicalIdPrefix),
      ),
    )
    .flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe('AdreportStack schedules', () => {
  it.each([
    ['acme', 'Europe/Berlin'],
    ['globex', 'America/New_York'],
  ])('runs %s at 07:00 Monday in %s', (reportId, zone) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 ? * MON *)',
      ScheduleExpressionTimezone: zone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Input: JSON.stringify({
          kind: 'schedule',
          reportId,
          scheduledTime: '<aws.scheduler.scheduled-time>',
        }),
      }),
    });
  });

  it.each([
    ['acme', 'Europe/Berlin'],
    ['globex', 'America/New_York'],
  ])('checks delivery of %s at 09:00 in %s', (reportId, zone) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: zone,
      Target: Match.objectLike({
        Input: Match.stringLikeRegexp(`"kind":"delivery-check","reportId":"${reportId}"`),
      }),
    });
  });

  it('creates two schedules per report', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 4);
  });

  it('sets retries and the dead-letter queue', () => {
    const queue = ofType('AWS::SQS::Queue')[0]?.[0];

    for (const [, schedule] of ofType('AWS::Scheduler::Schedule')) {
      const target = schedule.Properties.Target as Record<string, unknown>;
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: 5,
        MaximumEventAgeInSeconds: 3600,
      });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } });
    }
  });

  it('lets Scheduler invoke only the unqualified worker', () => {
    const worker = functionByDescription('adreport worker');

    const statements = policyStatementsOfRole('SchedulesInvokeRole');

    const invoke = statements.filter((statement) =>
      actionsOf(statement).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Resource).toEqual({ 'Fn::GetAtt': [worker.logicalId, 'Arn'] });
  });
});

describe('AdreportStack function URL', () => {
  it('has auth type NONE', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
  });

  it('grants InvokeFunctionUrl to everyone', () => {
    const bot = functionByDescription('adreport Slack bot');

    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: { 'Fn::GetAtt': [bot.logicalId, 'Arn'] },
      FunctionUrlAuthType: 'NONE',
      Principal: '*',
    });
  });

  it('grants InvokeFunction through the URL only', () => {
    const bot = functionByDescription('adreport Slack bot');

    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [bot.logicalId, 'Arn'] },
      InvokedViaFunctionUrl: true,
      Principal: '*',
    });
  });

  it('has no other public permission', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  it('is an output for the Slack manifest', () => {
    template.hasOutput('SlackRequestUrl', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BotFunctionFunctionUrl'), 'FunctionUrl'] },
    });
  });
});

describe('AdreportStack IAM', () => {
  it('uses * only for the X-Ray actions', () => {
    const wildcard = ofType('AWS::IAM::Policy')
      .flatMap(
        ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Resource).includes('"*"'));

    expect(wildcard.flatMap(actionsOf).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
      'xray:PutTraceSegments',
    ]);
  });

  it('attaches no managed policies', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets the bot invoke only the worker', () => {
    const worker = functionByDescription('adreport worker');

    const invoke = policyStatementsOfRole('BotRole').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('lambda:')),
    );

    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Resource).toEqual({ 'Fn::GetAtt': [worker.logicalId, 'Arn'] });
  });

  it('gives the bot no S3 or SES access', () => {
    const actions = policyStatementsOfRole('BotRole').flatMap(actionsOf);

    expect(actions.filter((action) => /^(s3|ses):/.test(action))).toEqual([]);
  });

  it('limits object access to the raw prefix', () => {
    const bucketId = ofType('AWS::S3::Bucket')[0]?.[0];

    const s3 = policyStatementsOfRole('WorkerRole').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    const objects = s3.find((statement) => actionsOf(statement).includes('s3:GetObject'));
    expect(actionsOf(objects as Statement).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(objects?.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/raw/*']],
    });
  });

  it('lets the worker list the archive bucket only', () => {
    const bucketId = ofType('AWS::S3::Bucket')[0]?.[0];

    const list = policyStatementsOfRole('WorkerRole').find((statement) =>
      actionsOf(statement).includes('s3:ListBucket'),
    );

    expect(list?.Resource).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  });

  it('limits sending to the configured identities', () => {
    const ses = policyStatementsOfRole('WorkerRole').find((statement) =>
      actionsOf(statement).includes('ses:SendRawEmail'),
    );

    expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'reports@acme.example' } });
    expect(ses?.Resource).toContain(
      'arn:aws:ses:us-east-1:123456789012:identity/reports@acme.example',
    );
    expect(ses?.Resource).toContain('arn:aws:ses:us-east-1:123456789012:identity/acme.example');
    expect(ses?.Resource).toContain(
      'arn:aws:ses:us-east-1:123456789012:identity/team@globex.example',
    );
  });

  it.each(['WorkerRole', 'BotRole'])('lets %s read the secret only', (role) => {
    const secretId = ofType('AWS::SecretsManager::Secret')[0]?.[0];

    const statements = policyStatementsOfRole(role).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
    );

    expect(statements).toHaveLength(1);
    expect(statements[0]?.Resource).toEqual({ Ref: secretId });
    expect(actionsOf(statements[0] as Statement).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('lets the bot use the state table only', () => {
    const tables = policyStatementsOfRole('BotRole').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );

    expect(JSON.stringify(tables.map((statement) => statement.Resource))).not.toContain(
      'MetricsTable',
    );
  });
});

describe('AdreportStack storage', () => {
  it.each(['MetricsTable', 'StateTable'])('makes %s durable', (name) => {
    const [, table] = ofType('AWS::DynamoDB::Table').find(([id]) => id.includes(name)) ?? [];

    expect(table?.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(table?.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table?.Properties.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('retains both tables when the stack is deleted', () => {
    template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('keys the metrics table as the code does', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: METRICS_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: METRICS_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: METRICS_KEYS.propertyWeekIndex,
          KeySchema: [
            { AttributeName: PROPERTY_WEEK_ATTRIBUTE, KeyType: 'HASH' },
            { AttributeName: METRICS_KEYS.partitionKey, KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });

  it('expires state items through TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: STATE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: STATE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: STATE_KEYS.ttlAttribute, Enabled: true },
    });
  });

  it('deletes archived payloads after 90 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-raw-payloads',
            Status: 'Enabled',
            ExpirationInDays: 90,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });

  it('leaves the archive unversioned so expiry deletes', () => {
    const [, bucket] = ofType('AWS::S3::Bucket')[0] ?? [];

    expect(bucket?.Properties.VersioningConfiguration).toBeUndefined();
  });

  it('blocks public access and encrypts the archive', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
    });
  });

  it.each([
    ['AWS::S3::BucketPolicy', 'PolicyDocument'],
    ['AWS::SQS::QueuePolicy', 'PolicyDocument'],
    ['AWS::SNS::TopicPolicy', 'PolicyDocument'],
  ])('%s denies requests without TLS', (type, property) => {
    template.hasResourceProperties(type, {
      [property]: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('encrypts the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('creates the secret with every key empty', () => {
    const [, secret] = ofType('AWS::SecretsManager::Secret')[0] ?? [];

    const value = JSON.parse(String(secret?.Properties.SecretString));

    expect(Object.keys(value).sort()).toEqual([...SECRET_KEYS].sort());
    expect(Object.values(value).every((entry) => entry === '')).toBe(true);
  });

  it('keeps the secret template in step with the code', () => {
    expect(Object.keys(SECRET_TEMPLATE).sort()).toEqual([...SECRET_KEYS].sort());
  });

  it('creates the sender identity', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'reports@acme.example',
    });
  });
});

describe('AdreportStack functions', () => {
  it.each([
    ['adreport worker', 900],
    ['adreport Slack bot', 10],
  ])('configures %s with a %i s timeout', (description, timeout) => {
    const fn = functionByDescription(description).properties;

    expect(fn.Timeout).toBe(timeout);
    expect(fn.Runtime).toBe('nodejs26.x');
    expect(fn.Architectures).toEqual(['x86_64']);
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('keeps logs for 90 days', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('sets only environment names the code reads', () => {
    const known = new Set<string>(Object.values(ENV));

    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const names = Object.keys((fn.Properties.Environment as { Variables: object }).Variables);
      const ours = names.filter((name) => name.startsWith('ADREPORT_'));
      expect(ours.filter((name) => !known.has(name))).toEqual([]);
    }
  });

  it.each([
    [
      'adreport worker',
      [ENV.config, ENV.metricsTable, ENV.stateTable, ENV.archiveBucket, ENV.secretId],
    ],
    ['adreport Slack bot', [ENV.config, ENV.stateTable, ENV.secretId, ENV.workerFunction]],
  ])('gives %s the variables it needs', (description, names) => {
    const variables = (
      functionByDescription(description).properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(Object.keys(variables)).toEqual(expect.arrayContaining(names));
    expect(variables[ENV.config]).toBe('/var/task/adreport.config.json');
    expect(variables.POWERTOOLS_SERVICE_NAME).toMatch(/^adreport-/);
  });

  it('gives the bot the secrets extension', () => {
    const bot = functionByDescription('adreport Slack bot').properties;
    const variables = (bot.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(bot.Layers).toHaveLength(1);
    expect(JSON.stringify(bot.Layers)).toContain(
      ':layer:AWS-Parameters-and-Secrets-Lambda-Extension:',
    );
    expect(variables.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBe('2773');
    expect(variables.PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED).toBe('true');
  });

  it('leaves the extension off the worker', () => {
    const worker = functionByDescription('adreport worker').properties;

    expect(worker.Layers).toBeUndefined();
  });

  it('retries failed worker runs deliberately', () => {
    const queue = ofType('AWS::SQS::Queue')[0]?.[0];

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });
});

describe('AdreportStack alarms', () => {
  it('counts the not-delivered log line', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.level = "ERROR") && ($.message = "Report not delivered") }',
      MetricTransformations: [
        { MetricNamespace: 'adreport', MetricName: 'ReportNotDelivered', MetricValue: '1' },
      ],
    });
  });

  it.each([
    ['Errors', 'AWS/Lambda'],
    ['ApproximateNumberOfMessagesVisible', 'AWS/SQS'],
    ['ReportNotDelivered', 'adreport'],
  ])('alarms on %s', (metricName, namespace) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metricName,
      Namespace: namespace,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('alarms on errors of both functions', () => {
    expect(
      ofType('AWS::CloudWatch::Alarm').filter(
        ([, alarm]) => alarm.Properties.MetricName === 'Errors',
      ),
    ).toHaveLength(2);
  });

  it('subscribes the ops recipients', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme.example',
    });
  });
});

describe('AdreportStack outputs', () => {
  it.each([
    'SlackRequestUrl',
    'SecretName',
    'ArchiveBucketName',
    'MetricsTableName',
    'StateTableName',
  ])('outputs %s', (name) => {
    template.hasOutput(name, {});
  });
});

describe('AdreportStack bundles', () => {
  function assetDirOf(description: string): string {
    const code = functionByDescription(description).properties.Code as { S3Key: string };
    const hash = code.S3Key.replace(/\.zip$/, '');

    return join(assemblyDir, `asset.${hash}`);
  }

  it('builds an ESM handler with a require shim', () => {
    const handler = readFileSync(join(assetDirOf('adreport worker'), 'index.mjs'), 'utf8');

    expect(
      handler.startsWith("import { createRequire as __adreportCreateRequire } from 'node:module';"),
    ).toBe(true);
  });

  it.each(['adreport worker', 'adreport Slack bot'])(
    'bundles the config with %s',
    (description) => {
      const bundled = readFileSync(join(assetDirOf(description), 'adreport.config.json'), 'utf8');

      expect(JSON.parse(bundled)).toEqual(CONFIG);
    },
  );

  it('ships resvg and its x64 binary with the worker', () => {
    const dir = join(assetDirOf('adreport worker'), 'node_modules', '@resvg');

    expect(existsSync(join(dir, 'resvg-js', 'index.js'))).toBe(true);
    expect(readdirSync(join(dir, 'resvg-js-linux-x64-gnu'))).toContain(
      'resvgjs.linux-x64-gnu.node',
    );
  });

  it('ships the chart font with the worker', () => {
    expect(
      existsSync(join(assetDirOf('adreport worker'), 'assets', 'fonts', 'DejaVuSans.ttf')),
    ).toBe(true);
  });

  // Loading proves the ESM bundle, its require shim and every external module resolve in Node.
  it.each(['adreport worker', 'adreport Slack bot'])(
    'loads the bundled %s in Node',
    (description) => {
      const entry = join(assetDirOf(description), 'index.mjs');
      const script = `const m = await import(${JSON.stringify(entry)}); if (typeof m.handler !== 'function') process.exit(3);`;

      const load = () =>
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });

      expect(load).not.toThrow();
    },
  );

  it('leaves resvg out of the bot', () => {
    expect(existsSync(join(assetDirOf('adreport Slack bot'), 'node_modules'))).toBe(false);
  });

  it.each([
    ['adreport worker', true],
    ['adreport Slack bot', false],
  ])('ships source maps with %s: %s', (description, shipped) => {
    const variables = (
      functionByDescription(description).properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(existsSync(join(assetDirOf(description), 'index.mjs.map'))).toBe(shipped);
    expect(variables.NODE_OPTIONS === '--enable-source-maps').toBe(shipped);
  });
});

describe('AdreportStack warnings', () => {
  /** Builds the stack alone, without bundling or cdk-nag, from an in-memory config. */
  function stackWith(fallbackWarning: string | null, opsRecipients: string[]) {
    const config = configSchema.parse({ ...CONFIG, email: { ...CONFIG.email, opsRecipients } });
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });

    return new AdreportStack(app, 'Warnings', {
      rootDir: ROOT,
      stackConfig: {
        path: join(ROOT, 'sample-data', 'adreport.config.json'),
        config,
        fallbackWarning,
      },
      senderIdentity: 'create',
    });
  }

  it('warns when the sample config stands in', () => {
    const stack = stackWith('bundles the demo config', ['ops@acme.example']);

    Annotations.fromStack(stack).hasWarning(
      '/Warnings',
      Match.stringLikeRegexp('bundles the demo config'),
    );
  });

  it('warns when no one receives alarms', () => {
    const stack = stackWith(null, []);

    Annotations.fromStack(stack).hasWarning(
      '/Warnings',
      Match.stringLikeRegexp('opsRecipients is empty'),
    );
  });

  it('stays quiet with a real config', () => {
    const stack = stackWith(null, ['ops@acme.example']);

    Annotations.fromStack(stack).hasNoWarning('/Warnings', Match.anyValue());
  });
});
