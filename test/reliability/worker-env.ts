/**
 * The environment the worker Lambda reads, pointed at the local backend and loopback fakes, as the
 * CDK stack sets it in AWS: the config file, table and bucket names, the secret id, and
 * `AWS_ENDPOINT_URL_*` for each AWS service.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS, type LocalBackend } from '../../src/local/emulators.ts';

export async function workerEnvironment(input: {
  backend: LocalBackend;
  config: unknown;
  secretId: string;
  secretsManagerUrl: string;
  slackApiUrl?: string;
}): Promise<Record<string, string>> {
  const directory = await mkdtemp(join(tmpdir(), 'adreport-worker-'));
  const configPath = join(directory, 'adreport.config.json');
  await writeFile(configPath, JSON.stringify(input.config), 'utf8');
  const { backend } = input;

  return {
    ADREPORT_CONFIG: configPath,
    ADREPORT_METRICS_TABLE: backend.metricsTable,
    ADREPORT_STATE_TABLE: backend.stateTable,
    ADREPORT_ARCHIVE_BUCKET: backend.bucket,
    ADREPORT_SECRET_ID: input.secretId,
    ...(input.slackApiUrl ? { ADREPORT_SLACK_API_URL: input.slackApiUrl } : {}),
    AWS_ENDPOINT_URL_DYNAMODB: backend.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: backend.endpoints.s3,
    AWS_ENDPOINT_URL_SES: backend.endpoints.ses,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: input.secretsManagerUrl,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}

/** Sets `values` in `process.env` and returns a function that restores the previous values. */
export function setEnvironment(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);

  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
