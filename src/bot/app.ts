import { App, LogLevel } from '@slack/bolt';
import type { StateStore } from '../storage/state-store.ts';
import type { Dispatch } from './dispatch.ts';
import { registerCommandListener } from './listeners/command-listener.ts';
import { registerMentionListener } from './listeners/mention-listener.ts';
import type { BotConfig } from './read-bot-config.ts';
import { RotatingLambdaReceiver, type SecretSource } from './rotating-receiver.ts';

/** The part of the state store the bot itself uses. */
export type EventClaims = Pick<StateStore, 'claimEvent'>;

export interface BotAppOptions {
  /** The signing secret, or a getter that is called again after a signature failure (rotation). */
  signingSecret: SecretSource;
  botToken: string;
  /** The full config, or the part of it that `readBotConfig` reads. */
  config: BotConfig;
  dispatch: Dispatch;
  /** Event claims for de-duplication: the state store, or anything with its `claimEvent`. */
  state: EventClaims;
  /** Web API base URL, e.g. a loopback fake; Slack's own by default. */
  slackApiUrl?: string;
  /**
   * The bot's user id (U…). Without it, mentions read the id from the event's `authorizations`.
   * The app never calls `auth.test`, so no request waits for the network before its ack.
   */
  botUserId?: string;
  /** The bot id (B…); Bolt compares it to `bot_id` to ignore the app's own posts. */
  botId?: string;
  now?: () => Date;
}

/**
 * Creates the Bolt app behind a Lambda function URL: `/adreport` commands and `app_mention`
 * events, each acknowledged after one dispatch. Returns the app and the Lambda handler.
 */
export function createBotApp(options: BotAppOptions): {
  app: App;
  handler: (event: unknown, context: unknown) => Promise<unknown>;
} {
  const receiver = new RotatingLambdaReceiver(options.signingSecret);
  const app = new App({
    receiver,
    // A fixed authorization instead of `token`: Bolt would otherwise call auth.test and make the
    // first request wait for it (retrying for minutes when Slack cannot be reached).
    authorize: async () => ({
      botToken: options.botToken,
      ...(options.botUserId ? { botUserId: options.botUserId } : {}),
      ...(options.botId ? { botId: options.botId } : {}),
    }),
    ...(options.slackApiUrl ? { clientOptions: { slackApiUrl: options.slackApiUrl } } : {}),
    // Bolt logs whole request bodies at debug level, so it never runs below INFO.
    logLevel: LogLevel.INFO,
    convoStore: false,
  });
  registerCommandListener(app, {
    config: options.config,
    dispatch: options.dispatch,
    now: options.now ?? (() => new Date()),
  });
  registerMentionListener(app, {
    config: options.config,
    dispatch: options.dispatch,
    state: options.state,
  });

  return { app, handler: (event, context) => receiver.handle(event, context) };
}
