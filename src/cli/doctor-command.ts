import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Command, InvalidArgumentError } from 'commander';
import { ENV } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import { type Secrets, secretsFromEnv, secretsFromSecretsManager } from '../config/secrets.ts';
import { failFromError } from '../doctor/check-result.ts';
import { createDoctorSesClient } from '../doctor/create-ses-client.ts';
import type { DoctorContext } from '../doctor/doctor-context.ts';
import { AWS_REGION_FIX, resolveAwsRegion } from '../doctor/resolve-aws-region.ts';
import { type DoctorReport, formatChecklist, runDoctor } from '../doctor/run-doctor.ts';
import { ConfigError } from '../shared/errors.ts';

export interface DoctorOptions {
  config: string;
  secretId?: string;
  /** Time limit of each request, in seconds. */
  timeout: number;
}

/** The command's environment, output, exit code, HTTP client and clock, which tests replace. */
export interface DoctorIo {
  env: NodeJS.ProcessEnv;
  write: (text: string) => void;
  setExitCode: (code: number) => void;
  fetch: typeof fetch;
  now: () => Date;
}

const processIo: DoctorIo = {
  env: process.env,
  write: (text) => process.stdout.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  fetch: (...args) => fetch(...args),
  now: () => new Date(),
};

/** Registers `adreport doctor`, which exits with code 1 when any check fails. */
export function registerDoctorCommand(program: Command, io: DoctorIo = processIo): void {
  program
    .command('doctor')
    .description(
      'Check every credential and setting against the live services (Meta, HubSpot, Anthropic, ' +
        'Slack, SES) and print a checklist with a fix for each problem',
    )
    .option('--config <file>', 'config file to check', io.env[ENV.config] ?? 'adreport.config.json')
    .option(
      '--secret-id <id>',
      'read the credentials from this Secrets Manager secret (default: $ADREPORT_SECRET_ID); ' +
        'without one they come from environment variables',
      io.env[ENV.secretId],
    )
    .option('--timeout <seconds>', 'time limit of each request, in seconds', parseSeconds, 15)
    .action(async (options: DoctorOptions) => {
      io.setExitCode(await runDoctorCommand(options, io));
    });
}

/** Runs the checks, prints the checklist and returns the exit code: 0 when nothing failed. */
export async function runDoctorCommand(options: DoctorOptions, io: DoctorIo): Promise<number> {
  io.write(`adreport doctor: checking ${options.config} against the live services\n\n`);
  let report: DoctorReport;
  try {
    const context = await buildContext(options, io);
    report = await runDoctor(context);
  } catch (error) {
    const result = failFromError(
      'Config and credentials',
      error,
      'correct the config file or the secret',
    );
    report = { sections: [{ title: 'Setup', results: [result] }], failures: 1, warnings: 0 };
  }
  io.write(formatChecklist(report));

  return report.failures > 0 ? 1 : 0;
}

/**
 * Builds the checks' context. Every AWS client gets the region found up front, because without
 * one the SDK first probes the EC2 instance metadata address and then fails with "Region is
 * missing".
 */
async function buildContext(options: DoctorOptions, io: DoctorIo): Promise<DoctorContext> {
  const config = await loadConfig(options.config);
  const region = await resolveAwsRegion(io.env);
  const timeoutMs = options.timeout * 1000;

  return {
    config,
    secrets: await loadSecrets(options.secretId, io.env, region),
    env: io.env,
    ses: region ? createDoctorSesClient({ region, timeoutMs }) : null,
    fetch: io.fetch,
    now: io.now,
    timeoutMs,
  };
}

function loadSecrets(
  secretId: string | undefined,
  env: NodeJS.ProcessEnv,
  region: string | null,
): Promise<Secrets> {
  if (!secretId) return secretsFromEnv(env).get();
  if (!region) {
    throw new ConfigError(
      'aws_region_missing',
      `No AWS region is set to read secret ${secretId} from Secrets Manager`,
      { fix: AWS_REGION_FIX },
    );
  }
  const client = new SecretsManagerClient({ region });

  return secretsFromSecretsManager(client, secretId).get();
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300) {
    throw new InvalidArgumentError('expected a number of seconds above 0 and at most 300');
  }

  return seconds;
}
