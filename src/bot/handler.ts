import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import { type SecretsProvider, secretsFromSecretsManager } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import { StateStore } from '../storage/state-store.ts';
import { createBotApp } from './app.ts';
import { lambdaDispatch } from './dispatch.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Builds the bot's Lambda handler from the environment the CDK stack sets: config file, secret,
 * state table and worker function. Only the clients the bot uses are created, because every SDK
 * client it imports adds to the cold start that Slack's 3-second ack has to absorb.
 */
export async function createBotHandler(
  env: NodeJS.ProcessEnv = process.env,
  secrets: SecretsProvider = secretsFromSecretsManager(
    new SecretsManagerClient({}),
    requireEnv(env, ENV.secretId),
  ),
): Promise<Handler> {
  const config = await loadConfig(requireEnv(env, ENV.config));
  const initial = await secrets.get();
  const botToken = requireSecret(initial.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN');
  requireSecret(initial.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET');
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  let refreshed = false;
  // The first read uses the secret loaded above; later reads (after a signature failure) refresh it.
  const signingSecret = async () => {
    const current = refreshed ? await secrets.refresh() : initial;
    refreshed = true;

    return requireSecret(current.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET');
  };
  const { handler } = createBotApp({
    signingSecret,
    botToken,
    config,
    dispatch: lambdaDispatch(new LambdaClient({}), requireEnv(env, ENV.workerFunction)),
    state: new StateStore(dynamo, requireEnv(env, ENV.stateTable)),
    slackApiUrl: env[ENV.slackApiUrl] ?? config.slack.apiUrl,
  });

  return handler;
}

let ready: Promise<Handler> | null = null;

/** The bot Lambda entry: config and secrets load once per container, on the first request. */
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

function requireSecret(value: string | undefined, name: string): string {
  if (!value) {
    throw new ConfigError('secret_missing', `The secret has no ${name}`, {
      fix: `add ${name} from the Slack app settings to the secret`,
    });
  }

  return value;
}
