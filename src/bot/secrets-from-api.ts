import { cachedSecrets } from '../config/cached-secrets.ts';
import type { SecretsProvider } from '../config/secrets.ts';
import { ConfigError } from '../shared/errors.ts';
import {
  type AwsTarget,
  type RequestOptions,
  SERVICES,
  sendAwsRequest,
} from './send-aws-request.ts';

export interface ApiSecretsOptions {
  /** How long `get` returns the cached copy, in milliseconds; 5 minutes by default. */
  maxAgeMs?: number;
  now?: () => number;
  request?: RequestOptions;
}

/**
 * Reads credentials from one Secrets Manager secret holding a JSON object, like
 * `secretsFromSecretsManager`, but sends `GetSecretValue` signed here instead of through the SDK
 * client. The copy is cached for `maxAgeMs`; `refresh` always reads the secret again.
 */
export function secretsFromApi(
  target: AwsTarget,
  secretId: string,
  options: ApiSecretsOptions = {},
): SecretsProvider {
  return cachedSecrets({
    secretId,
    maxAgeMs: options.maxAgeMs ?? 5 * 60_000,
    now: options.now ?? Date.now,
    source: 'api',
    read: () => getSecretString(target, secretId, options),
  });
}

async function getSecretString(
  target: AwsTarget,
  secretId: string,
  options: ApiSecretsOptions,
): Promise<string | undefined> {
  let body: string;
  try {
    ({ body } = await sendAwsRequest(
      target,
      {
        api: 'Secrets Manager GetSecretValue',
        service: SERVICES.secretsManager.service,
        method: 'POST',
        path: '/',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'secretsmanager.GetSecretValue',
        },
        body: JSON.stringify({ SecretId: secretId }),
      },
      options.request,
    ));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError('secret_unreadable', `Reading secret ${secretId} failed: ${reason}`, {
      fix: 'check the secret name and that the function role may call secretsmanager:GetSecretValue',
      cause,
    });
  }
  const { SecretString } = JSON.parse(body) as { SecretString?: unknown };

  return typeof SecretString === 'string' ? SecretString : undefined;
}
