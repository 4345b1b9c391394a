/**
 * The loopback services a benchmark run talks to: the Graph, HubSpot, Slack and Anthropic fakes
 * and a Secrets Manager fake holding their tokens. All listen on 127.0.0.1 at random ports.
 */
import type { Secrets } from '../../src/config/secrets.ts';
import { type FakeGraphApi, startFakeGraphApi } from '../../test/fakes/graph-api.ts';
import { type FakeHubSpot, startFakeHubSpot } from '../../test/fakes/hubspot-api.ts';
import { type SlackFake, startSlackFake } from '../../test/fakes/slack-api.ts';
import type { FakeUrls } from './bench-config.ts';
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic.ts';
import { type FakeSecretsManager, startFakeSecretsManager } from './fake-secrets-manager.ts';
import { contactsFor } from './synthetic-contacts.ts';
import {
  adAccountIdOf,
  type FigureVariant,
  insightsRowsFor,
  type SyntheticCampaign,
  type SyntheticShape,
} from './synthetic-data.ts';

/** Secrets Manager id of the benchmark credentials. */
export const BENCH_SECRET_ID = 'adreport/bench';

/** Fake credentials; each fake accepts only its own. */
const TOKENS = {
  META_ACCESS_TOKEN: 'bench-meta-token-0001',
  HUBSPOT_ACCESS_TOKEN: 'pat-bench-token-0001',
  ANTHROPIC_API_KEY: 'sk-ant-bench-0000000001',
  SLACK_BOT_TOKEN: 'xoxb-bench-token-0001',
  SLACK_SIGNING_SECRET: 'bench-signing-secret-0001',
} as const;

export interface BenchWorld {
  graph: FakeGraphApi;
  hubspot: FakeHubSpot;
  slack: SlackFake;
  anthropic: FakeAnthropic;
  secretsManager: FakeSecretsManager;
  secrets: Secrets;
  urls: FakeUrls;
  close(): Promise<void>;
}

/** A week of synthetic data: its start date and its offset from the report week (0). */
export interface WeekSlot {
  start: string;
  offset: number;
}

/** Starts every fake. */
export async function startBenchWorld(): Promise<BenchWorld> {
  const [graph, hubspot, slack, anthropic, secretsManager] = await Promise.all([
    startFakeGraphApi({ accessToken: TOKENS.META_ACCESS_TOKEN }),
    startFakeHubSpot({ accessToken: TOKENS.HUBSPOT_ACCESS_TOKEN }),
    startSlackFake({ token: TOKENS.SLACK_BOT_TOKEN }),
    startFakeAnthropic(TOKENS.ANTHROPIC_API_KEY),
    startFakeSecretsManager({ [BENCH_SECRET_ID]: { ...TOKENS } }),
  ]);

  return {
    graph,
    hubspot,
    slack,
    anthropic,
    secretsManager,
    secrets: { ...TOKENS },
    urls: {
      graph: graph.url,
      hubspot: hubspot.url,
      anthropic: anthropic.url,
      slackApi: slack.apiUrl,
    },
    close: async () => {
      await Promise.all([
        graph.close(),
        hubspot.close(),
        slack.close(),
        anthropic.close(),
        secretsManager.close(),
      ]);
    },
  };
}

/**
 * Loads the synthetic accounts into the Graph fake (ad accounts and insights rows of `weeks`)
 * and their contacts into the HubSpot fake, replacing the contacts loaded before.
 */
export function loadAccounts(
  world: BenchWorld,
  input: {
    shape: SyntheticShape;
    campaigns: SyntheticCampaign[];
    weeks: WeekSlot[];
    variant: FigureVariant;
    timeZone: string;
  },
): void {
  const { shape, campaigns } = input;
  for (let property = 0; property < shape.properties; property++) {
    const accountId = adAccountIdOf(property);
    world.graph.setAccount(accountId, { currency: 'USD', timezone_name: input.timeZone });
    for (const week of input.weeks) {
      const rows = insightsRowsFor(shape.seed, campaigns, property, week.offset, input.variant);
      world.graph.setRows(accountId, week.start, rows);
    }
  }
  world.hubspot.setContacts(
    input.weeks.flatMap((week) => contactsFor(shape.seed, campaigns, week, input.timeZone)),
  );
}
