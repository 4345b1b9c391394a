import { request } from 'node:http';
import { parseSecretValue } from '../config/parse-secret-value.ts';
import type { SecretsProvider } from '../config/secrets.ts';
import { logger } from '../shared/logger.ts';

/** Port and SSRF token of the AWS Parameters and Secrets Lambda Extension. */
export interface ExtensionSettings {
  port: number;
  /** The function's `AWS_SESSION_TOKEN`, which the extension expects in every request. */
  token: string;
}

export interface ExtensionSecretsOptions {
  secretId: string;
  settings: ExtensionSettings;
  /** The provider used for `refresh` and when the extension fails: Secrets Manager itself. */
  fallback: SecretsProvider;
  timeoutMs?: number;
}

/**
 * Reads the extension settings from the environment. CDK's `paramsAndSecrets` prop sets
 * `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` along with the layer. Returns null when it is unset
 * (local runs, tests, a layer added without it) or when there is no session token to send.
 */
export function extensionSettingsFromEnv(env: NodeJS.ProcessEnv): ExtensionSettings | null {
  const port = Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT);
  const token = env.AWS_SESSION_TOKEN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535 || !token) return null;

  return { port, token };
}

/**
 * Reads credentials from the Parameters and Secrets Lambda Extension, a local HTTP cache of
 * Secrets Manager, so the cold start loads no AWS SDK client. `get` returns the extension's
 * cached copy, which can be up to `SECRETS_MANAGER_TTL` old (300 s by default). `refresh` reads
 * through `fallback` because layer version 1.0.103 has no request that bypasses that cache.
 * A failed extension request is logged and `get` then reads through `fallback` as well.
 */
export function secretsFromExtension(options: ExtensionSecretsOptions): SecretsProvider {
  return {
    get: async () => {
      let text: string | undefined;
      try {
        text = await requestSecret(options);
      } catch (error) {
        logger.warn(
          'Reading the secret from the Lambda extension failed; calling Secrets Manager',
          {
            secretId: options.secretId,
            error,
          },
        );

        return options.fallback.get();
      }

      const secrets = parseSecretValue(text, options.secretId);
      logger.info('Loaded secrets', {
        secretId: options.secretId,
        keys: Object.keys(secrets),
        source: 'extension',
      });

      return secrets;
    },
    refresh: () => options.fallback.refresh(),
  };
}

/**
 * Sends `GET /secretsmanager/get` to the extension and returns the secret's `SecretString`.
 * NOTE: tested against a loopback fake only, so the real layer's error statuses are unchecked.
 */
function requestSecret(options: ExtensionSecretsOptions): Promise<string | undefined> {
  const { settings, secretId } = options;
  const timeoutMs = options.timeoutMs ?? 2_000;

  return new Promise((resolve, reject) => {
    const call = request(
      {
        // AWS documents the extension's endpoint as localhost, on the configured port.
        hostname: 'localhost',
        port: settings.port,
        path: `/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`,
        headers: { 'X-Aws-Parameters-Secrets-Token': settings.token },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            reject(new Error(`Extension returned ${response.statusCode}: ${body.slice(0, 200)}`));
            return;
          }
          try {
            resolve(secretStringOf(body));
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    call.setTimeout(timeoutMs, () =>
      call.destroy(new Error(`Extension request timed out after ${timeoutMs} ms`)),
    );
    call.on('error', reject);
    call.end();
  });
}

/** Reads `SecretString` from the extension's body, the JSON of a `GetSecretValue` response. */
function secretStringOf(body: string): string | undefined {
  const parsed = JSON.parse(body) as { SecretString?: unknown };

  return typeof parsed.SecretString === 'string' ? parsed.SecretString : undefined;
}
