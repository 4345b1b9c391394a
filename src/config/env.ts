/**
 * Names of the environment variables the code reads. The CDK stack sets the same names, and its
 * tests check them against this list.
 */
export const ENV = {
  /** Path of the JSON config file. */
  config: 'ADREPORT_CONFIG',
  /** DynamoDB table of campaign-weeks and aggregates. */
  metricsTable: 'ADREPORT_METRICS_TABLE',
  /** DynamoDB table of runs, delivery claims, Slack event claims and conversations. */
  stateTable: 'ADREPORT_STATE_TABLE',
  /** S3 bucket of the raw archive. */
  archiveBucket: 'ADREPORT_ARCHIVE_BUCKET',
  /** Secrets Manager secret id holding the API credentials as one JSON object. */
  secretId: 'ADREPORT_SECRET_ID',
  /** Worker function that runs pipeline jobs handed off by the bot. */
  workerFunction: 'ADREPORT_WORKER_FUNCTION',
  /** Base URL overrides, so the same code runs against loopback servers. */
  metaBaseUrl: 'ADREPORT_META_BASE_URL',
  hubspotBaseUrl: 'ADREPORT_HUBSPOT_BASE_URL',
  slackApiUrl: 'ADREPORT_SLACK_API_URL',
  anthropicBaseUrl: 'ANTHROPIC_BASE_URL',
} as const;

/** Keys of the secret JSON object, and the environment variables that hold them locally. */
export const SECRET_KEYS = [
  'META_ACCESS_TOKEN',
  'HUBSPOT_ACCESS_TOKEN',
  'ANTHROPIC_API_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];
