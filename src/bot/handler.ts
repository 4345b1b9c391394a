import { ENV } from '../config/env.ts';
import type { SecretsProvider } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import { createBotApp } from './app.ts';
import { dynamoEventClaims } from './claim-events.ts';
import { signedLambdaDispatch } from './dispatch.ts';
import { readBotConfig } from './read-bot-config.ts';
import { secretsFromApi } from './secrets-from-api.ts';
import { extensionSettingsFromEnv, secretsFromExtension } from './secrets-from-extension.ts';
import { type AwsService, type AwsTarget, awsTargetFromEnv, SERVICES } from './send-aws-request.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Builds the bot's Lambda handler from the environment the CDK stack and Lambda set: config file,
 * secret, state table, worker function and the function's AWS credentials. The bot bundles no
 * AWS SDK client, because the SDK's code alone, parsed at every cold start, adds tens of
 * milliseconds before the ack that Slack expects within 3 seconds. It signs its few AWS requests
 * itself (see `sendAwsRequest`) and reads the secret from the Lambda extension when present.
 */
export async function createBotHandler(
  env: NodeJS.ProcessEnv = process.env,
  secrets: SecretsProvider = botSecrets(env),
): Promise<Handler> {
  const config = await readBotConfig(requireEnv(env, ENV.config));
  const initial = await secrets.get();
  const botToken = requireSecret(initial.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN');
  requireSecret(initial.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET');
  let refreshed = false;
  // The first read uses the secret loaded above. Later reads, after a signature failure, refresh it.
  const signingSecret = async () => {
    const current = refreshed ? await secrets.refresh() : initial;
    refreshed = true;

    return requireSecret(current.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET');
  };
  const { handler } = createBotApp({
    signingSecret,
    botToken,
    config,
    dispatch: signedLambdaDispatch(
      requireAwsTarget(env, SERVICES.lambda),
      requireEnv(env, ENV.workerFunction),
    ),
    // Only Slack events claim items in the state table, so slash commands never call DynamoDB.
    state: dynamoEventClaims(
      requireAwsTarget(env, SERVICES.dynamodb),
      requireEnv(env, ENV.stateTable),
    ),
    slackApiUrl: env[ENV.slackApiUrl] ?? config.slack.apiUrl,
  });

  return handler;
}

/**
 * Reads the secret through the Parameters and Secrets Lambda Extension when the function has it,
 * else from the Secrets Manager API. The extension cannot bypass its cache, so a refresh after a
 * signature failure always calls the API.
 */
function botSecrets(env: NodeJS.ProcessEnv): SecretsProvider {
  const secretId = requireEnv(env, ENV.secretId);
  const api = secretsFromApi(requireAwsTarget(env, SERVICES.secretsManager), secretId);
  const settings = extensionSettingsFromEnv(env);

  return settings ? secretsFromExtension({ secretId, settings, fallback: api }) : api;
}

let ready: Promise<Handler> | null = null;

/** Handles one bot Lambda invocation. Config and secrets load once per container, on first use. */
export const handler: Handler = async (event, context) => {
  // A failed start is not kept, so the next request tries again (after a secret fix, say).
  ready ??= createBotHandler().catch((error: unknown) => {
    ready = null;
    throw error;
  });

  return (await ready)(event, context);
};

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    throw new ConfigError('env_missing', `Environment variable ${name} is not set`, {
      fix: 'deploy with the CDK stack, which sets it, or set it by hand',
    });
  }

  return value;
}

/** Reads a service's target from the variables Lambda sets, as the SDK would. */
function requireAwsTarget(env: NodeJS.ProcessEnv, service: AwsService): AwsTarget {
  const target = awsTargetFromEnv(env, service);
  if (!target) {
    throw new ConfigError(
      'aws_environment_missing',
      `No AWS credentials, region or supported endpoint in the environment for ${service.service}`,
      {
        fix: 'run the bot on Lambda, which sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, or set them by hand; FIPS and dual-stack endpoints are not supported',
      },
    );
  }

  return target;
}

function requireSecret(value: string | undefined, name: string): string {
  if (!value) {
    throw new ConfigError('secret_missing', `The secret has no ${name}`, {
      fix: `add ${name} from the Slack app settings to the secret`,
    });
  }

  return value;
}
