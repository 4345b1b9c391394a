import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  METRICS_KEYS,
  PROPERTY_WEEK_ATTRIBUTE,
  STATE_KEYS,
} from '../../src/storage/table-definitions.ts';

/** Days after which S3 deletes a raw payload from the archive. */
export const ARCHIVE_RETENTION_DAYS = 90;

/** Prefix of every archive key (`raw/<source>/<account>/<weekStart>/<runId>/<name>.json`). */
export const ARCHIVE_PREFIX = 'raw/';

/**
 * Initial value of the credentials secret: every key the code reads, empty, so the console shows
 * what to fill in. CloudFormation writes SecretString again whenever this value changes, which
 * would erase the stored tokens, so keep it fixed once deployed.
 */
export const SECRET_TEMPLATE = {
  META_ACCESS_TOKEN: '',
  HUBSPOT_ACCESS_TOKEN: '',
  ANTHROPIC_API_KEY: '',
  SLACK_BOT_TOKEN: '',
  SLACK_SIGNING_SECRET: '',
} as const;

/** The metrics and state tables, the raw archive bucket and the credentials secret. */
export class DataStores extends Construct {
  readonly metricsTable: Table;
  readonly stateTable: Table;
  readonly archiveBucket: Bucket;
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Campaign-weeks and aggregates; the index lists all campaigns of a property for one week.
    this.metricsTable = new Table(this, 'MetricsTable', {
      partitionKey: { name: METRICS_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: METRICS_KEYS.sortKey, type: AttributeType.STRING },
      ...durableTableSettings(),
    });
    this.metricsTable.addGlobalSecondaryIndex({
      indexName: METRICS_KEYS.propertyWeekIndex,
      partitionKey: { name: PROPERTY_WEEK_ATTRIBUTE, type: AttributeType.STRING },
      sortKey: { name: METRICS_KEYS.partitionKey, type: AttributeType.STRING },
    });

    // Runs, delivery claims, Slack event claims and conversations; claims expire through TTL.
    this.stateTable = new Table(this, 'StateTable', {
      partitionKey: { name: STATE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_KEYS.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: STATE_KEYS.ttlAttribute,
      ...durableTableSettings(),
    });

    this.archiveBucket = createArchiveBucket(this);
    this.secret = createCredentialsSecret(this);
  }
}

function durableTableSettings() {
  return {
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

function createArchiveBucket(scope: Construct): Bucket {
  const bucket = new Bucket(scope, 'ArchiveBucket', {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    // Unversioned, so the expiry below deletes the data instead of leaving noncurrent versions.
    versioned: false,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'expire-raw-payloads',
        expiration: Duration.days(ARCHIVE_RETENTION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Only the worker role can read or write the archive, and its payloads expire after 90 days; ' +
      'CloudTrail data events are the place to audit object access if that is ever required.',
  });

  return bucket;
}

function createCredentialsSecret(scope: Construct): Secret {
  const secret = new Secret(scope, 'CredentialsSecret', {
    description: 'adreport API credentials as one JSON object; fill the empty values after deploy',
    secretObjectValue: Object.fromEntries(
      Object.entries(SECRET_TEMPLATE).map(([key, value]) => [
        key,
        SecretValue.unsafePlainText(value),
      ]),
    ),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The values are tokens issued by Meta, HubSpot, Anthropic and Slack, which Secrets Manager ' +
      'cannot rotate; they are replaced by hand when the issuer rotates them.',
  });

  return secret;
}
