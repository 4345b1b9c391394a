import type { App, RespondArguments } from '@slack/bolt';
import { logger } from '../../shared/logger.ts';
import { authorizeRequest } from '../authorize-request.ts';
import { buildCommandJob } from '../build-command-job.ts';
import type { Dispatch } from '../dispatch.ts';
import { helpText } from '../help-text.ts';
import { parseCommand } from '../parse-command.ts';
import type { BotConfig } from '../read-bot-config.ts';

/** The slash command, also matching staged copies such as `/adreport-dev`. */
export const COMMAND_PATTERN = /^\/adreport(-[a-z0-9-]+)?$/;

export interface CommandListenerOptions {
  config: BotConfig;
  dispatch: Dispatch;
  now: () => Date;
}

/**
 * Registers `/adreport`. The listener only checks, dispatches and acks: Bolt's Lambda receiver
 * returns the HTTP response after the listener finishes, and Slack waits at most 3 seconds.
 */
export function registerCommandListener(app: App, options: CommandListenerOptions): void {
  app.command(COMMAND_PATTERN, async ({ command, ack }) => {
    const ids = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const denied = authorizeRequest(options.config, ids);
    if (denied) {
      logger.warn('Rejected a Slack command', { ...ids, reason: denied });
      await ack(ephemeral(denied));
      return;
    }
    const parsed = parseCommand(command.text ?? '');
    if (parsed.kind === 'help') return ack(ephemeral(helpText(command.command)));
    if (parsed.kind === 'invalid') return ack(ephemeral(parsed.message));

    const plan = buildCommandJob(parsed, command, options.config, options.now());
    if ('message' in plan) return ack(ephemeral(plan.message));
    try {
      await options.dispatch(plan.job);
    } catch (error) {
      logger.error('Dispatching a Slack command failed', { ...ids, kind: plan.job.kind, error });
      await ack(
        ephemeral(
          'The request could not be started because the worker is unreachable. Try again in a minute.',
        ),
      );
      return;
    }
    logger.info('Accepted a Slack command', { ...ids, kind: plan.job.kind });
    await ack(ephemeral(plan.ack));
  });
}

function ephemeral(text: string): RespondArguments {
  return { response_type: 'ephemeral', text };
}
