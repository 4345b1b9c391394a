import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DoctorIo, registerDoctorCommand } from '../../src/cli/doctor-command.ts';
import { ACME_REPORT, NOW } from '../doctor/doctor-test-context.ts';
import { startAnthropicFake } from '../doctor/fakes/anthropic-fake.ts';
import { startGraphFake } from '../doctor/fakes/graph-fake.ts';
import { startHubSpotFake } from '../doctor/fakes/hubspot-fake.ts';
import {
  type LoopbackServer,
  startLoopbackServer,
  startSilentServer,
} from '../doctor/fakes/loopback-server.ts';
import { startSesFake } from '../doctor/fakes/ses-fake.ts';
import { startSlackFake } from '../doctor/fakes/slack-fake.ts';

const SECRETS = {
  META_ACCESS_TOKEN: 'EAAtesttokenvalue',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-test-token',
  ANTHROPIC_API_KEY: 'sk-ant-test-key',
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
};

/** The app credentials let doctor read the token expiry with debug_token. */
const ENV = { ...SECRETS, META_APP_ID: '100000000000001', META_APP_SECRET: 'appsecret123' };

/** An environment without a region: no variable, and shared config files that do not exist. */
const NO_REGION = {
  AWS_REGION: '',
  AWS_CONFIG_FILE: join(tmpdir(), 'adreport-no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'adreport-no-such-aws-credentials'),
};

const servers: LoopbackServer[] = [];
let dir = '';
let configPath = '';
let secretsManager: LoopbackServer;

beforeAll(async () => {
  const graph = await startGraphFake({
    token: SECRETS.META_ACCESS_TOKEN,
    appToken: `${ENV.META_APP_ID}|${ENV.META_APP_SECRET}`,
    permissions: [{ permission: 'ads_read', status: 'granted' }],
    accounts: {
      act_1001: {
        name: 'Acme',
        currency: 'EUR',
        timezone_name: 'Europe/Berlin',
        account_status: 1,
      },
    },
  });
  const hubspot = await startHubSpotFake({ token: SECRETS.HUBSPOT_ACCESS_TOKEN, total: 3 });
  const anthropic = await startAnthropicFake({
    apiKey: SECRETS.ANTHROPIC_API_KEY,
    models: { 'claude-sonnet-5-5': { lifecycle: 'active' } },
  });
  const slack = await startSlackFake({
    token: SECRETS.SLACK_BOT_TOKEN,
    scopes: ['chat:write', 'commands', 'app_mentions:read', 'files:write', 'channels:read'],
    channels: { C0ACME0001: { name: 'acme-reports', isMember: true } },
  });
  const ses = await startSesFake({
    max24HourSend: 50_000,
    identities: { 'acme.example': 'Success' },
  });
  secretsManager = await startLoopbackServer((request) => {
    const { SecretId } = JSON.parse(request.body) as { SecretId: string };

    return {
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: {
        ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SecretId}`,
        Name: SecretId,
        SecretString: JSON.stringify(SECRETS),
      },
    };
  });
  servers.push(graph, hubspot, anthropic, slack, ses, secretsManager);

  dir = await mkdtemp(join(tmpdir(), 'adreport-doctor-'));
  configPath = await writeConfig('adreport.config.json', {
    meta: graph.origin,
    hubspot: hubspot.origin,
    anthropic: anthropic.origin,
    slack: slack.apiUrl,
  });
  // The SDK reads endpoint and credentials from process.env; all of them point at loopback fakes.
  vi.stubEnv('AWS_ENDPOINT_URL_SES', ses.origin);
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secretsManager.origin);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  secretsManager.requests.length = 0;
});

/**
 * Writes a config file with one report, whose Meta, HubSpot, Anthropic and Slack requests go to
 * `baseUrls`, into the test folder, and returns its path.
 */
async function writeConfig(
  name: string,
  baseUrls: { meta: string; hubspot: string; anthropic: string; slack: string },
): Promise<string> {
  const path = join(dir, name);
  const config = {
    reports: [ACME_REPORT],
    email: { sender: 'reports@acme.example' },
    meta: { baseUrl: baseUrls.meta },
    hubspot: { baseUrl: baseUrls.hubspot },
    anthropic: { baseUrl: baseUrls.anthropic },
    slack: { apiUrl: baseUrls.slack },
  };
  await writeFile(path, JSON.stringify(config));

  return path;
}

/** Runs `adreport doctor ARGS` and returns what it printed and the exit code it set. */
async function runDoctor(args: string[], env: Record<string, string> = ENV) {
  let output = '';
  let exitCode: number | null = null;
  const io: DoctorIo = {
    env: { AWS_REGION: 'eu-west-1', ...env },
    write: (text) => {
      output += text;
    },
    setExitCode: (code) => {
      exitCode = code;
    },
    fetch: (...fetchArgs) => fetch(...fetchArgs),
    now: () => NOW,
  };
  const program = new Command('adreport').exitOverride();
  registerDoctorCommand(program, io);
  await program.parseAsync(['node', 'adreport', 'doctor', ...args]);

  return { output, exitCode };
}

describe('registerDoctorCommand', () => {
  it('exits 0 when every check passes', async () => {
    const { output, exitCode } = await runDoctor(['--config', configPath]);

    expect(output).toContain('All checks passed (0 warnings).');
    expect(exitCode).toBe(0);
  });

  it('prints one line per check', async () => {
    const { output } = await runDoctor(['--config', configPath]);

    expect(output).toContain('✓ Ad account act_1001: "Acme", EUR, Europe/Berlin, active');
    expect(output).toContain('✓ Sender reports@acme.example: verified');
    expect(output).toContain('• Report acme: next run Mon 7 Dec 2026, 07:00');
  });

  it('exits 1 and prints the fix when a check fails', async () => {
    const { output, exitCode } = await runDoctor(['--config', configPath], {
      ...ENV,
      SLACK_BOT_TOKEN: 'xoxb-revoked',
    });

    expect(output).toContain('✗ Bot token: Slack returned invalid_auth');
    expect(output).toContain('Fix: copy the Bot User OAuth Token');
    expect(exitCode).toBe(1);
  });

  it('exits 1 when the config file is missing', async () => {
    const { output, exitCode } = await runDoctor(['--config', join(dir, 'missing.json')]);

    expect(output).toContain(
      `✗ Config and credentials: Config file ${join(dir, 'missing.json')} not found`,
    );
    expect(exitCode).toBe(1);
  });

  it('reads the credentials from Secrets Manager', async () => {
    const { exitCode } = await runDoctor(
      ['--config', configPath, '--secret-id', 'adreport/creds'],
      {},
    );

    expect(secretsManager.requests[0]?.headers['x-amz-target']).toBe(
      'secretsmanager.GetSecretValue',
    );
    expect(exitCode).toBe(0);
  });

  it('skips SES without an AWS region', async () => {
    const ses = servers[4] as LoopbackServer;
    ses.requests.length = 0;

    const { output, exitCode } = await runDoctor(['--config', configPath], {
      ...ENV,
      ...NO_REGION,
    });

    expect(output).toContain('✗ AWS region: not set, so SES was not checked');
    expect(output).toContain('Fix: export AWS_REGION=');
    expect(ses.requests).toHaveLength(0);
    expect(exitCode).toBe(1);
  });

  it('reads no secret without an AWS region', async () => {
    const { output, exitCode } = await runDoctor(
      ['--config', configPath, '--secret-id', 'adreport/creds'],
      NO_REGION,
    );

    expect(output).toContain(
      '✗ Config and credentials: No AWS region is set to read secret adreport/creds',
    );
    expect(secretsManager.requests).toHaveLength(0);
    expect(exitCode).toBe(1);
  });

  it('never prints a secret', async () => {
    const { output } = await runDoctor(['--config', configPath]);

    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });

  it.each(['0', '-1', 'ten', '301'])('rejects --timeout %s', async (value) => {
    const run = runDoctor(['--config', configPath, '--timeout', value]);

    await expect(run).rejects.toThrow('seconds');
  });

  it('ends every check on a silent server', async () => {
    const silent = await startSilentServer();
    const silentConfig = await writeConfig('silent.config.json', {
      meta: silent.origin,
      hubspot: silent.origin,
      anthropic: silent.origin,
      slack: `${silent.origin}/api/`,
    });
    vi.stubEnv('AWS_ENDPOINT_URL_SES', silent.origin);

    const { output, exitCode } = await runDoctor(['--config', silentConfig, '--timeout', '0.3'], {
      ...ENV,
      AWS_ENDPOINT_URL_SES: silent.origin,
    });
    vi.stubEnv('AWS_ENDPOINT_URL_SES', servers[4]?.origin ?? '');
    await silent.close();

    expect(output).toContain(`✗ Contacts search: request to ${silent.origin}`);
    expect(output).toContain(`✗ SES: request to ${silent.origin} timed out after 0.3 s`);
    expect(output).toContain('5 checks failed');
    expect(exitCode).toBe(1);
  }, 10_000);
});
