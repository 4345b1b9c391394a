import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { registerSecret } from '../shared/logger.ts';
import { cachedSecrets } from './cached-secrets.ts';
import { SECRET_KEYS, type SecretKey } from './env.ts';

export type Secrets = Partial<Record<SecretKey, string>>;

/** Supplies credentials; `refresh` drops any cached copy so a rotated token is picked up. */
export interface SecretsProvider {
  get(): Promise<Secrets>;
  refresh(): Promise<Secrets>;
}

/** Reads credentials from the environment (local runs and tests). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): SecretsProvider {
  const read = async (): Promise<Secrets> => {
    const secrets: Secrets = {};
    for (const key of SECRET_KEYS) {
      const value = env[key]?.trim();
      if (value) {
        registerSecret(value);
        secrets[key] = value;
      }
    }

    return secrets;
  };

  return { get: read, refresh: read };
}

/**
 * Reads credentials from one Secrets Manager secret holding a JSON object, cached for `maxAgeMs`
 * so that warm invocations make no call and a rotation is seen within that age.
 */
export function secretsFromSecretsManager(
  client: SecretsManagerClient,
  secretId: string,
  maxAgeMs = 5 * 60_000,
  now: () => number = Date.now,
): SecretsProvider {
  return cachedSecrets({
    secretId,
    maxAgeMs,
    now,
    read: async () =>
      (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString,
  });
}
