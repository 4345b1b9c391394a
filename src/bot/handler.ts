import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../config/env.ts';
import { type SecretsProvider, secretsFromSecretsManager } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import { createBotApp, type EventClaims } from './app.ts';
import { lambdaDispatch } from './dispatch.ts';
import { readBotConfig } from './read-bot-config.ts';

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
    dispatch: lambdaDispatch(new LambdaClient({}), requireEnv(env, ENV.workerFunction)),
    state: lazyEventClaims(requireEnv(env, ENV.stateTable)),
    slackApiUrl: env[ENV.slackApiUrl] ?? config.slack.apiUrl,
  });

  return handler;
}

/**
 * Opens the state table on the first Slack event. Slash commands never touch it, so their cold
 * start does not load the DynamoDB client.
 */
function lazyEventClaims(tableName: string): EventClaims {
  let store: Promise<EventClaims> | null = null;
  const open = async (): Promise<EventClaims> => {
    const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { StateStore }] = await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/lib-dynamodb'),
      import('../storage/state-store.ts'),
    ]);
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });

    return new StateStore(dynamo, tableName);
  };

  return {
    claimEvent: async (eventKey, ttlSeconds) => {
      store ??= open();

      return (await store).claimEvent(eventKey, ttlSeconds);
    },
  };
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

function requireSecret(value: string | undefined, name: string): string {
  if (!value) {
    throw new ConfigError('secret_missing', `The secret has no ${name}`, {
      fix: `add ${name} from the Slack app settings to the secret`,
    });
  }

  return value;
}
