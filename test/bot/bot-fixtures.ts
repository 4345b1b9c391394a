import { createBotApp } from '../../src/bot/app.ts';
import type { BotJob } from '../../src/bot/job-types.ts';
import { type AdreportConfig, configSchema } from '../../src/config/schema.ts';
import type { StateStore } from '../../src/storage/state-store.ts';

export const SECRET = 'test-signing-secret-0123456789';
export const TEAM = 'T0TESTTEAM';
export const CHANNEL = 'C0REPORTS1';
export const ADMIN = 'U0ADMIN001';
export const USER = 'U0USER0001';
export const BOT_USER = 'U0TESTBOT1';

/**
 * Builds a valid config with one report posting to CHANNEL. `slack` fields can be overridden,
 * `reports` are added after the first, and `ids` renames the first report and its property.
 */
export function makeBotConfig(
  slack: Record<string, unknown> = {},
  reports: unknown[] = [],
  ids: { reportId?: string; propertyId?: string } = {},
): AdreportConfig {
  return configSchema.parse({
    reports: [
      {
        id: ids.reportId ?? 'acme',
        name: 'Acme paid social',
        timeZone: 'Europe/Berlin',
        recipients: ['team@example.com'],
        slackChannel: CHANNEL,
        properties: [
          { id: ids.propertyId ?? 'main', name: 'Main site', metaAdAccountId: 'act_1234567890' },
        ],
      },
      ...reports,
    ],
    email: { sender: 'reports@example.com' },
    slack: { teamId: TEAM, adminUsers: [ADMIN], ...slack },
  });
}

/** Creates a dispatcher that records jobs; the first `failures` calls throw. */
export function recordingDispatch(failures = 0) {
  const jobs: BotJob[] = [];
  let remaining = failures;
  const dispatch = async (job: BotJob) => {
    if (remaining > 0) {
      remaining -= 1;
      throw new Error('Lambda invoke failed');
    }
    jobs.push(job);
  };

  return Object.assign(dispatch, { jobs });
}

/** Builds the bot with a recording dispatcher and a fixed clock (Monday 2026-11-30 09:00 UTC). */
export function makeBot(options: {
  state: StateStore;
  config?: AdreportConfig;
  signingSecret?: string | (() => Promise<string>);
  dispatch?: ReturnType<typeof recordingDispatch>;
  slackApiUrl?: string;
}) {
  const dispatch = options.dispatch ?? recordingDispatch();
  const bot = createBotApp({
    signingSecret: options.signingSecret ?? SECRET,
    botToken: 'xoxb-test-token',
    config: options.config ?? makeBotConfig(),
    dispatch,
    state: options.state,
    botUserId: BOT_USER,
    botId: 'B0TESTBOT1',
    now: () => new Date('2026-11-30T09:00:00Z'),
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
  });

  return { ...bot, dispatch };
}

/** Reads the JSON body of a receiver response. */
export function bodyOf(response: unknown): {
  response_type?: string;
  text?: string;
  challenge?: string;
} {
  const { body } = response as { body: string };

  return body ? JSON.parse(body) : {};
}

/** Returns a numeric id (like a Meta campaign id) unique to this process. */
export function uniqueNumericId(): string {
  return String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
}
