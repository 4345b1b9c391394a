import type { App } from '@slack/bolt';
import { logger } from '../../shared/logger.ts';
import type { EventClaims } from '../app.ts';
import { authorizeRequest } from '../authorize-request.ts';
import type { Dispatch } from '../dispatch.ts';
import { decodeSlackEntities } from '../parse-command.ts';
import type { BotConfig } from '../read-bot-config.ts';

/** How long event claims last: Slack retries a delivery for about 5 minutes. */
export const EVENT_CLAIM_TTL_SECONDS = 3600;

/** Attempts at handing a claimed event to the worker, since a claimed event is never retried. */
const DISPATCH_ATTEMPTS = 3;

export interface MentionListenerOptions {
  config: BotConfig;
  dispatch: Dispatch;
  state: EventClaims;
}

/**
 * Registers `app_mention`: a mention (in a thread or not) becomes a `thread-reply` job. Each
 * event is claimed by its `event_id` and by channel + ts, so a Slack retry or a duplicate
 * delivered under another id runs once. An id never seen before always runs.
 */
export function registerMentionListener(app: App, options: MentionListenerOptions): void {
  app.event('app_mention', async ({ event, body, context }) => {
    const mention = event as typeof event & { bot_id?: string; subtype?: string };
    if (mention.bot_id || mention.subtype || !mention.user) return;
    const ids = {
      eventId: body.event_id,
      channelId: mention.channel,
      ts: mention.ts,
      userId: mention.user,
    };
    const denied = authorizeRequest(options.config, { teamId: body.team_id, ...ids });
    if (denied) {
      logger.warn('Ignored a Slack mention', { ...ids, teamId: body.team_id, reason: denied });
      return;
    }
    if (!(await claim(options.state, ids))) return;

    const job = {
      kind: 'thread-reply' as const,
      eventKey: body.event_id,
      text: mentionText(mention.text, context.botUserId ?? body.authorizations?.[0]?.user_id),
      channelId: mention.channel,
      threadTs: mention.thread_ts ?? mention.ts,
      userId: mention.user,
    };
    await dispatchWithRetry(options.dispatch, job, ids);
  });
}

async function claim(
  state: EventClaims,
  ids: { eventId: string; channelId: string; ts: string },
): Promise<boolean> {
  if (!(await state.claimEvent(`slack-event#${ids.eventId}`, EVENT_CLAIM_TTL_SECONDS))) {
    logger.info('Ignored a repeated Slack event', ids);
    return false;
  }
  if (
    !(await state.claimEvent(`slack-message#${ids.channelId}#${ids.ts}`, EVENT_CLAIM_TTL_SECONDS))
  ) {
    logger.info('Ignored a duplicate Slack message under a new event id', ids);
    return false;
  }

  return true;
}

async function dispatchWithRetry(
  dispatch: Dispatch,
  job: Parameters<Dispatch>[0],
  ids: Record<string, string>,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dispatch(job);
      return;
    } catch (error) {
      // NOTE: the event is already claimed, so after the last attempt Slack's retry is ignored too.
      if (attempt >= DISPATCH_ATTEMPTS) {
        logger.error('Dropped a Slack mention because dispatching failed', { ...ids, error });
        return;
      }
    }
  }
}

/** Removes the bot's own mention and decodes Slack's entities; other mentions stay. */
export function mentionText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId
    ? text.split(`<@${botUserId}>`).join(' ')
    : text.replace(/^\s*<@[UW][A-Z0-9]+>/, ' ');

  return decodeSlackEntities(withoutBot).replace(/\s+/g, ' ').trim();
}
