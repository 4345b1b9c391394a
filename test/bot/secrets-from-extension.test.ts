import { beforeEach, describe, expect, it } from 'vitest';
import { secretsFromApi } from '../../src/bot/secrets-from-api.ts';
import {
  type ExtensionSecretsOptions,
  extensionSettingsFromEnv,
  secretsFromExtension,
} from '../../src/bot/secrets-from-extension.ts';
import { useFake } from '../helpers/use-fake.ts';
import { startAwsFakes } from './aws-fakes.ts';

const SECRET_ID = 'adreport/secret';
const aws = useFake(startAwsFakes);

beforeEach(() => {
  aws().secrets.set(
    SECRET_ID,
    JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-extension', SLACK_SIGNING_SECRET: 'signing-1234' }),
  );
  aws().extensionStatus = 200;
  aws().secretReads = { api: 0, extension: 0 };
});

function options(overrides: Partial<ExtensionSecretsOptions> = {}): ExtensionSecretsOptions {
  const target = {
    endpoint: new URL(aws().endpoint),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };

  return {
    secretId: SECRET_ID,
    settings: { port: aws().port, token: aws().extensionToken },
    fallback: secretsFromApi(target, SECRET_ID),
    ...overrides,
  };
}

describe('secretsFromExtension', () => {
  it('reads the secret from the extension', async () => {
    const secrets = await secretsFromExtension(options()).get();

    expect(secrets.SLACK_SIGNING_SECRET).toBe('signing-1234');
    expect(aws().secretReads).toEqual({ api: 0, extension: 1 });
  });

  it('refreshes through the fallback', async () => {
    const provider = secretsFromExtension(options());
    await provider.get();
    aws().secrets.set(SECRET_ID, JSON.stringify({ SLACK_SIGNING_SECRET: 'signing-5678' }));

    const secrets = await provider.refresh();

    expect(secrets.SLACK_SIGNING_SECRET).toBe('signing-5678');
    expect(aws().secretReads.api).toBe(1);
  });

  it('falls back when the token is rejected', async () => {
    const settings = { port: aws().port, token: 'not-the-session-token' };

    const secrets = await secretsFromExtension(options({ settings })).get();

    expect(secrets.SLACK_SIGNING_SECRET).toBe('signing-1234');
    expect(aws().secretReads).toEqual({ api: 1, extension: 0 });
  });

  it('falls back when the extension fails', async () => {
    aws().extensionStatus = 500;

    const secrets = await secretsFromExtension(options()).get();

    expect(secrets.SLACK_BOT_TOKEN).toBe('xoxb-extension');
    expect(aws().secretReads.api).toBe(1);
  });

  it('falls back when nothing listens', async () => {
    const closed = await startAwsFakes();
    await closed.close();
    const settings = { port: closed.port, token: aws().extensionToken };

    const secrets = await secretsFromExtension(options({ settings })).get();

    expect(secrets.SLACK_BOT_TOKEN).toBe('xoxb-extension');
    expect(aws().secretReads.api).toBe(1);
  });

  it('rejects a secret that is not JSON', async () => {
    aws().secrets.set(SECRET_ID, 'not json');

    const read = secretsFromExtension(options()).get();

    await expect(read).rejects.toMatchObject({ code: 'secret_invalid' });
  });
});

describe('extensionSettingsFromEnv', () => {
  it('reads the port and session token', () => {
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773', AWS_SESSION_TOKEN: 'token' };

    expect(extensionSettingsFromEnv(env)).toEqual({ port: 2773, token: 'token' });
  });

  it.each([
    ['no port', { AWS_SESSION_TOKEN: 'token' }],
    ['an empty port', { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '', AWS_SESSION_TOKEN: 'token' }],
    ['port 0', { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '0', AWS_SESSION_TOKEN: 'token' }],
    ['port 65536', { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '65536', AWS_SESSION_TOKEN: 'token' }],
    [
      'a named port',
      { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: 'http', AWS_SESSION_TOKEN: 'token' },
    ],
    ['no session token', { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773' }],
  ])('returns null for %s', (_name, env) => {
    expect(extensionSettingsFromEnv(env)).toBeNull();
  });
});
