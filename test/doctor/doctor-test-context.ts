import { SESClient } from '@aws-sdk/client-ses';
import { type AdreportConfig, configSchema } from '../../src/config/schema.ts';
import type { DoctorContext } from '../../src/doctor/doctor-context.ts';

/** 2026-12-02, a Wednesday, 10:00 UTC. */
export const NOW = new Date('2026-12-02T10:00:00Z');

/** The Acme report of the doctor tests as config JSON, with only its main property. */
export const ACME_REPORT = {
  id: 'acme',
  name: 'Acme',
  timeZone: 'Europe/Berlin',
  recipients: ['marketing@acme.example'],
  slackChannel: 'C0ACME0001',
  properties: [{ id: 'acme-main', name: 'Acme Main', metaAdAccountId: 'act_1001' }],
};

/** A valid config with two reports; `overrides` replace top-level sections. */
export function testConfig(overrides: Record<string, unknown> = {}): AdreportConfig {
  return configSchema.parse({
    reports: [
      {
        ...ACME_REPORT,
        properties: [
          ...ACME_REPORT.properties,
          { id: 'acme-outlet', name: 'Acme Outlet', metaAdAccountId: 'act_1002' },
        ],
      },
      {
        id: 'globex',
        name: 'Globex',
        timeZone: 'America/New_York',
        recipients: ['team@globex.example'],
        properties: [{ id: 'globex-main', name: 'Globex', metaAdAccountId: 'act_1001' }],
      },
    ],
    email: { sender: 'reports@acme.example', opsRecipients: ['ops@acme.example'] },
    ...overrides,
  });
}

/** An SES v1 client aimed at a loopback endpoint with throwaway credentials. */
export function sesClientFor(origin: string): SESClient {
  return new SESClient({
    region: 'eu-west-1',
    endpoint: origin,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
}

/**
 * A doctor context for tests: every service address must be given through `env` or `config`,
 * and an SES client that nobody set up points at a closed port, so no test reaches a real API.
 */
export function testContext(overrides: Partial<DoctorContext> = {}): DoctorContext {
  return {
    config: testConfig(),
    secrets: {},
    env: {},
    ses: sesClientFor('http://127.0.0.1:9'),
    fetch: (...args) => fetch(...args),
    now: () => NOW,
    timeoutMs: 5_000,
    ...overrides,
  };
}
