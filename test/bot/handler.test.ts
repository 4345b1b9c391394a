import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedSlashCommandEvent } from '../../src/bot/function-url-event.ts';
import { createBotHandler } from '../../src/bot/handler.ts';
import { ENV } from '../../src/config/env.ts';
import { useLocalBackend } from '../helpers/local-backend.ts';
import { useFake } from '../helpers/use-fake.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';
import { startAwsFakes } from './aws-fakes.ts';
import { CHANNEL, makeBotConfig, SECRET, TEAM, USER } from './bot-fixtures.ts';

const backend = useLocalBackend();
const aws = useFake(startAwsFakes);
const folder = useTempDir('adreport-bot-handler-');
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await writeFile(join(folder(), 'config.json'), JSON.stringify(makeBotConfig()));
});

/** Stores the bot secret with `signingSecret` in the Secrets Manager fake. */
function storeBotSecret(signingSecret: string) {
  aws().secrets.set(
    'adreport/secret',
    JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: signingSecret }),
  );
}

beforeEach(() => {
  storeBotSecret(SECRET);
  aws().invokeStatus = 202;
  aws().secretReads = { api: 0, extension: 0 };
  // The variables Lambda sets; the handler signs its AWS requests with these credentials.
  env = {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: aws().extensionToken,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_LAMBDA: aws().endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws().endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: backend().endpoints.dynamodb,
    [ENV.config]: join(folder(), 'config.json'),
    [ENV.secretId]: 'adreport/secret',
    [ENV.stateTable]: backend().stateTable,
    [ENV.workerFunction]: 'adreport-worker',
    // The bot never reaches this: slash commands need no Web API call before the ack.
    [ENV.slackApiUrl]: 'http://127.0.0.1:9/api/',
  };
});

function command(text: string) {
  return signedSlashCommandEvent(SECRET, {
    text,
    teamId: TEAM,
    channelId: CHANNEL,
    userId: USER,
    responseUrl: 'https://hooks.slack.com/commands/T/1/x',
  });
}

describe('createBotHandler', () => {
  it('acks and invokes the worker asynchronously', async () => {
    const handler = await createBotHandler(env);

    const response = (await handler(command('trend Spring'), {})) as { statusCode: number };
    const invocation = aws().invocations.at(-1);

    expect(response.statusCode).toBe(200);
    expect(invocation?.functionName).toBe('adreport-worker');
    expect(invocation?.invocationType).toBe('Event');
    expect(invocation?.payload).toMatchObject({
      kind: 'bot-job',
      job: { kind: 'trend', query: 'Spring' },
    });
  });

  it('tells the caller when the invoke fails', async () => {
    const handler = await createBotHandler(env);
    aws().invokeStatus = 429;

    const response = (await handler(command('trend Spring'), {})) as { body: string };

    expect(JSON.parse(response.body).text).toContain('worker is unreachable');
  });

  it('picks up a rotated signing secret', async () => {
    storeBotSecret('old-secret-1234');
    const handler = await createBotHandler(env);
    storeBotSecret(SECRET);

    const response = (await handler(command('help'), {})) as { statusCode: number };

    expect(response.statusCode).toBe(200);
  });

  it('names missing AWS credentials', async () => {
    const { AWS_ACCESS_KEY_ID: _omitted, ...withoutKeys } = env;

    const start = createBotHandler(withoutKeys);

    await expect(start).rejects.toMatchObject({ code: 'aws_environment_missing' });
  });

  it('reads the secret through the extension', async () => {
    const withExtension = { ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(aws().port) };

    const handler = await createBotHandler(withExtension);
    const response = (await handler(command('help'), {})) as { statusCode: number };

    expect(response.statusCode).toBe(200);
    expect(aws().secretReads).toEqual({ api: 0, extension: 1 });
  });

  it('refreshes past the extension after rotation', async () => {
    const withExtension = { ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(aws().port) };
    storeBotSecret('old-1234567');
    const handler = await createBotHandler(withExtension);
    storeBotSecret(SECRET);

    const response = (await handler(command('help'), {})) as { statusCode: number };

    expect(response.statusCode).toBe(200);
    expect(aws().secretReads).toEqual({ api: 1, extension: 1 });
  });

  it('names a missing environment variable', async () => {
    const start = createBotHandler({ ...env, [ENV.workerFunction]: undefined });

    await expect(start).rejects.toMatchObject({
      code: 'env_missing',
      message: expect.stringContaining(ENV.workerFunction),
    });
  });

  it('names a missing signing secret', async () => {
    aws().secrets.set('adreport/secret', JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-test-token' }));

    await expect(createBotHandler(env)).rejects.toMatchObject({ code: 'secret_missing' });
  });
});
