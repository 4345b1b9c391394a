import { logger } from '../shared/logger.ts';
import { parseSecretValue } from './parse-secret-value.ts';
import type { Secrets, SecretsProvider } from './secrets.ts';

/**
 * Builds a provider that reads a secret's JSON text with `read` and caches the parsed value for
 * `maxAgeMs`, so that warm invocations make no call and a rotation is seen within that age.
 * `refresh` always reads again. It imports no AWS SDK code, so the bot can use it too.
 */
export function cachedSecrets(options: {
  secretId: string;
  read: () => Promise<string | undefined>;
  maxAgeMs: number;
  now: () => number;
  /** Logged with each load, to tell apart the ways a secret is read. */
  source?: string;
}): SecretsProvider {
  const { secretId, maxAgeMs, now } = options;
  let cached: { value: Secrets; at: number } | null = null;

  const load = async (): Promise<Secrets> => {
    const value = parseSecretValue(await options.read(), secretId);
    cached = { value, at: now() };
    logger.info('Loaded secrets', {
      secretId,
      keys: Object.keys(value),
      ...(options.source ? { source: options.source } : {}),
    });

    return value;
  };

  return {
    get: async () => (cached && now() - cached.at < maxAgeMs ? cached.value : load()),
    refresh: load,
  };
}
