import { Annotations, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FunctionUrlAuthType,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../src/config/env.ts';
import { METRICS_KEYS } from '../../src/storage/table-definitions.ts';
import { AdreportFunction } from './adreport-function.ts';
import { ARCHIVE_PREFIX, DataStores } from './data-stores.ts';
import { createSenderIdentity, grantSendEmail, type SenderIdentityMode } from './email-sending.ts';
import type { StackConfig } from './load-stack-config.ts';
import { OpsAlarms } from './ops-alarms.ts';
import { ReportSchedules } from './report-schedules.ts';

/** Handler modules of the two functions, relative to the repository root. */
export const WORKER_ENTRY = 'src/pipeline/handler.ts';
export const BOT_ENTRY = 'src/bot/handler.ts';

/**
 * Lambda's retries of a failed asynchronous worker invocation (after about 1 and 2 minutes).
 * Delivery claims make a retry finish only what the failed attempt left undone.
 */
export const WORKER_ASYNC_RETRIES = 2;

/** Age after which Lambda drops a queued worker event into the failed-invocations queue. */
export const WORKER_MAX_EVENT_AGE = Duration.hours(1);

export interface AdreportStackProps extends StackProps {
  /** Repository root, where the handler entries, the lockfile and `node_modules` live. */
  rootDir: string;
  stackConfig: StackConfig;
  senderIdentity: SenderIdentityMode;
}

/** Everything adreport runs on: functions, schedules, storage, secret, email and alarms. */
export class AdreportStack extends Stack {
  constructor(scope: Construct, id: string, props: AdreportStackProps) {
    super(scope, id, props);
    const { config, fallbackWarning } = props.stackConfig;
    if (fallbackWarning)
      Annotations.of(this).addWarningV2('adreport:sampleConfig', fallbackWarning);

    // Storage and credentials
    const stores = new DataStores(this, 'Data');

    // Events that Scheduler could not hand over, and worker runs that failed every retry
    const failedInvocations = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules and the worker.',
    });

    // Worker: the report pipeline, scheduled runs, delivery checks and jobs handed off by the bot
    const worker = new AdreportFunction(this, 'Worker', {
      rootDir: props.rootDir,
      entry: WORKER_ENTRY,
      description: 'adreport worker: weekly report pipeline and Slack jobs',
      // Meta rate-limit pauses and the Claude call can take minutes; Lambda allows 15 at most.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      configPath: props.stackConfig.path,
      serviceName: 'adreport-worker',
      logRetention: RetentionDays.THREE_MONTHS,
      chartRendering: true,
    });
    // No reserved concurrency: a new account's limit of 10 leaves none to reserve, and duplicate
    // runs are harmless because delivery claims allow one email and one Slack post per week.
    worker.function.configureAsyncInvoke({
      retryAttempts: WORKER_ASYNC_RETRIES,
      maxEventAge: WORKER_MAX_EVENT_AGE,
      onFailure: new SqsDestination(failedInvocations),
    });
    worker.bindTable(stores.metricsTable, ENV.metricsTable, 'readWrite', [
      METRICS_KEYS.propertyWeekIndex,
    ]);
    worker.bindTable(stores.stateTable, ENV.stateTable, 'readWrite');
    bindArchive(worker, stores);
    worker.setEnvironment(ENV.secretId, stores.secret.secretName);
    stores.secret.grantRead(worker.role);
    grantSendEmail(worker.role, this, config);
    createSenderIdentity(this, config, props.senderIdentity);

    // Bot: the Slack app behind a public function URL; Slack's request signature is the guard
    const bot = new AdreportFunction(this, 'Bot', {
      rootDir: props.rootDir,
      entry: BOT_ENTRY,
      description: 'adreport Slack bot: verifies, acknowledges and hands off /adreport commands',
      // Slack waits 3 seconds for the acknowledgement; anything longer has already failed.
      timeout: Duration.seconds(10),
      memorySize: 1024,
      configPath: props.stackConfig.path,
      serviceName: 'adreport-bot',
      logRetention: RetentionDays.THREE_MONTHS,
      chartRendering: false,
      // Reading the source map took about 37 ms (20 %) of the bundle's import in a measured cold
      // start, time that Slack's 3-second ack has to absorb.
      sourceMaps: false,
      // The bot reads its signing secret from this extension's local HTTP cache of Secrets Manager.
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(
        ParamsAndSecretsVersions.V1_0_103,
        { logLevel: ParamsAndSecretsLogLevel.WARN },
      ),
    });
    bot.bindTable(stores.stateTable, ENV.stateTable, 'readWrite');
    bot.setEnvironment(ENV.secretId, stores.secret.secretName);
    stores.secret.grantRead(bot.role);
    bot.setEnvironment(ENV.workerFunction, worker.function.functionName);
    bot.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [worker.function.functionArn],
      }),
    );
    const botUrl = bot.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    // Weekly runs and delivery checks, in each report's time zone
    new ReportSchedules(this, 'Schedules', {
      reports: config.reports,
      worker: worker.function,
      deadLetterQueue: failedInvocations,
    });

    // Alarms to the ops recipients
    const alarms = new OpsAlarms(this, 'Alarms', {
      worker: worker.function,
      workerLogGroup: worker.logGroup,
      bot: bot.function,
      failedInvocations,
      recipients: config.email.opsRecipients,
    });
    if (config.email.opsRecipients.length === 0) {
      Annotations.of(this).addWarningV2(
        'adreport:noOpsRecipients',
        'email.opsRecipients is empty, so alarms reach nobody until someone subscribes to the alarm topic',
      );
    }

    new CfnOutput(this, 'SlackRequestUrl', {
      description: 'Request URL for the slash command, events and interactivity in the Slack app',
      value: botUrl.url,
    });
    new CfnOutput(this, 'SecretName', {
      description: 'Secrets Manager secret to fill with the API credentials',
      value: stores.secret.secretName,
    });
    new CfnOutput(this, 'WorkerFunctionName', { value: worker.function.functionName });
    new CfnOutput(this, 'ArchiveBucketName', { value: stores.archiveBucket.bucketName });
    new CfnOutput(this, 'MetricsTableName', { value: stores.metricsTable.tableName });
    new CfnOutput(this, 'StateTableName', { value: stores.stateTable.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}

/** Lets the worker write and read objects under the archive prefix and list the bucket. */
function bindArchive(worker: AdreportFunction, stores: DataStores): void {
  const bucket = stores.archiveBucket;
  worker.setEnvironment(ENV.archiveBucket, bucket.bucketName);
  worker.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: [bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
    }),
  );
  // S3 returns NoSuchKey (404) for a missing key, which the archive reader expects, only to a
  // caller that may list the bucket, and AccessDenied (403) to any other. The bucket contains only
  // the archive, so listing all of it grants no more than the prefix would.
  worker.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  );
  Validations.of(worker.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as never)}.Arn>/${ARCHIVE_PREFIX}*]`,
    reason: 'Archive keys name the run, so the worker needs every key under the raw/ prefix.',
  });
}
