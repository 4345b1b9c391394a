import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdreportConfig } from '../config/schema.ts';
import type { SecretsProvider } from '../config/secrets.ts';
import type { ReportData, RunOutcome, Week } from '../shared/types.ts';
import type { DeliveryGate } from './delivery-gate.ts';
import type { LocalCommandOptions } from './describe-ops-commands.ts';

/** The origin of a run. Every trigger delivers at most once per report and week unless forced. */
export type RunTrigger = 'schedule' | 'cli' | 'slack' | 'replay' | 'demo';

export interface RunRequest {
  reportId: string;
  /** The report week; the last complete week in the report's time zone when absent. */
  week?: Week;
  trigger: RunTrigger;
  /** Read payloads from the raw archive instead of calling Meta and HubSpot. */
  replay?: boolean;
  /** Deliver again even when this week's email or Slack post already went out. */
  forceDelivery?: boolean;
  /** Fetch, archive and store only: no statuses, analysis or delivery (history backfill). */
  storeOnly?: boolean;
  /** Deliveries to make, both by default. */
  deliver?: { email: boolean; slack: boolean };
  /**
   * Whether a degraded or failed run sends its ops message (default true). The delivery check
   * turns it off because it sends one message of its own.
   */
  notifyOps?: boolean;
}

export interface RunResult {
  runId: string;
  reportId: string;
  week: Week;
  outcome: RunOutcome;
  report: ReportData | null;
  /** Paths of local output files (the .eml, .html and Slack JSON) when written. */
  outputFiles: string[];
  email: {
    /** `in_progress`: another run has claimed this delivery and not finished it. */
    status: 'sent' | 'skipped' | 'already_sent' | 'in_progress' | 'failed';
    messageId?: string;
    error?: string;
  };
  slack: {
    status: 'posted' | 'skipped' | 'already_posted' | 'in_progress' | 'failed' | 'written';
    ts?: string;
    error?: string;
  };
  notes: string[];
  /**
   * The entries of `notes` that concern earlier weeks the run re-fetched or filled, each with
   * those weeks. Every other note concerns the run's own week. Set by `runReport`.
   */
  earlierWeekNotes?: EarlierWeekNote[];
}

/** A run note about earlier weeks, not about the run's own week. */
export interface EarlierWeekNote {
  /** Start dates (YYYY-MM-DD) of the earlier weeks the note names. */
  weekStarts: string[];
  /** The note, as it appears in the run's notes. */
  note: string;
}

/** Everything a run needs from outside; the CLI, the Lambda handler and tests each build one. */
export interface PipelineDeps {
  config: AdreportConfig;
  secrets: SecretsProvider;
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
  metricsTable: string;
  stateTable: string;
  archiveBucket: string;
  /** Local runs write the email and Slack payloads here as well. */
  outDir: string | null;
  /** Replaces the live Meta and HubSpot fetches (the bundled sample data). */
  sampleDir?: string;
  /**
   * Name of the worker Lambda function, set by the deployed worker. Ops messages then give
   * `aws lambda invoke` commands instead of CLI commands, which read only local data.
   */
  workerFunctionName?: string;
  /**
   * Options of the local CLI run (`--config`, `--data`, `--sample`), which ops messages repeat so
   * that their `adreport` commands read the same config and data.
   */
  localCommand?: LocalCommandOptions;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Set by the CLI, so that Ctrl-C waits for a delivery in progress to be recorded. */
  deliveryGate?: DeliveryGate;
}
