import { ENV } from '../config/env.ts';
import type { SecretsProvider } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import { createBotApp, type EventClaims } from './app.ts';
import { type Dispatch, signedLambdaDispatch } from './dispatch.ts';
import { lambdaTargetFromEnv } from './invoke-lambda-event.ts';
import { readBotConfig } from './read-bot-config.ts';
import { extensionSettingsFromEnv, secretsFromExtension } from './secrets-from-extension.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Builds the bot's Lambda handler from the environment the CDK stack sets: config file, secret,
 * state table and worker function. A slash command's cold start loads no AWS SDK client, because
 * each one adds tens of milliseconds before the ack that Slack expects within 3 seconds: the
 * secret comes from the Lambda extension and the worker invoke is signed without the SDK. The
 * SDK clients load on demand where those paths do not apply (see `botSecrets`, `workerDispatch`).
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
    dispatch: workerDispatch(env, requireEnv(env, ENV.workerFunction)),
    state: lazyEventClaims(requireEnv(env, ENV.stateTable)),
    slackApiUrl: env[ENV.slackApiUrl] ?? config.slack.apiUrl,
  });

  return handler;
}

/**
 * Reads the secret through the Parameters and Secrets Lambda Extension when the function has it,
 * else from Secrets Manager through the SDK. The extension cannot bypass its cache, so a refresh
 * after a signature failure always reads through the SDK.
 */
function botSecrets(env: NodeJS.ProcessEnv): SecretsProvider {
  const secretId = requireEnv(env, ENV.secretId);
  const settings = extensionSettingsFromEnv(env);
  const sdk = once(async () => (await import('./open-sdk-clients.ts')).sdkSecrets(secretId));
  if (settings) return secretsFromExtension({ secretId, settings, fallback: sdk });

  return {
    get: async () => (await sdk()).get(),
    refresh: async () => (await sdk()).refresh(),
  };
}

/**
 * Invokes the worker with a request signed here when the environment holds the credentials and
 * region, as Lambda's does. Otherwise the SDK's Lambda client, with its full credential chain,
 * loads on the first dispatch.
 */
function workerDispatch(env: NodeJS.ProcessEnv, functionName: string): Dispatch {
  const target = lambdaTargetFromEnv(env);
  if (target) return signedLambdaDispatch(target, functionName);

  const sdk = once(async () =>
    (await import('./lambda-sdk-dispatch.ts')).defaultLambdaDispatch(functionName),
  );

  return async (job) => (await sdk())(job);
}

/** Wraps `load` so that it runs on the first call only. A failed load runs again next time. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;

  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    });

    return loaded;
  };
}

/**
 * Opens the state table on the first Slack event. Slash commands never touch it, so their cold
 * start does not load the DynamoDB client.
 */
function lazyEventClaims(tableName: string): EventClaims {
  let store: Promise<EventClaims> | null = null;
  const open = async (): Promise<EventClaims> =>
    (await import('./open-sdk-clients.ts')).openStateStore(tableName);

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
