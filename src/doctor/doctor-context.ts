import type { SESClient } from '@aws-sdk/client-ses';
import { ENV } from '../config/env.ts';
import type { AdreportConfig } from '../config/schema.ts';
import type { Secrets } from '../config/secrets.ts';

/** Everything the checks need; the CLI builds it from the real environment, tests from fakes. */
export interface DoctorContext {
  config: AdreportConfig;
  secrets: Secrets;
  /** Read for `META_APP_ID`, `META_APP_SECRET` and the base URL overrides in `ENV`. */
  env: NodeJS.ProcessEnv;
  /** Null when no AWS region is set, so that no SES request is attempted. */
  ses: SESClient | null;
  fetch: typeof fetch;
  now: () => Date;
  /** Time limit of each request in milliseconds. */
  timeoutMs: number;
}

/** Base URLs of the external APIs: the `ENV` override when set, otherwise the config value. */
export interface BaseUrls {
  meta: string;
  hubspot: string;
  slack: string;
  /** Null leaves the Anthropic SDK on its default (which also reads `ANTHROPIC_BASE_URL`). */
  anthropic: string | null;
}

export function resolveBaseUrls(config: AdreportConfig, env: NodeJS.ProcessEnv): BaseUrls {
  return {
    meta: env[ENV.metaBaseUrl] || config.meta.baseUrl,
    hubspot: env[ENV.hubspotBaseUrl] || config.hubspot.baseUrl,
    slack: env[ENV.slackApiUrl] || config.slack.apiUrl,
    anthropic: config.anthropic.baseUrl ?? (env[ENV.anthropicBaseUrl] || null),
  };
}
