import { ConfigError } from '../shared/errors.ts';
import { registerSecret } from '../shared/logger.ts';
import { SECRET_KEYS } from './env.ts';
import type { Secrets } from './secrets.ts';

/**
 * Parses a secret's JSON text, registering each value with the logger so that it is masked. It
 * imports no AWS SDK code, so the bot can use it without bundling a Secrets Manager client.
 *
 * @throws ConfigError `secret_invalid` when the text is not JSON.
 */
export function parseSecretValue(text: string | undefined, secretId: string): Secrets {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    throw new ConfigError('secret_invalid', `Secret ${secretId} is not a JSON object`, {
      fix: `store the credentials as JSON with the keys ${SECRET_KEYS.join(', ')}`,
    });
  }
  const secrets: Secrets = {};
  for (const key of SECRET_KEYS) {
    const value = (json as Record<string, unknown>)?.[key];
    if (typeof value === 'string' && value.trim()) {
      registerSecret(value.trim());
      secrets[key] = value.trim();
    }
  }

  return secrets;
}
