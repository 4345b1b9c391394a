import type { BotConfig } from './read-bot-config.ts';

/** The caller's workspace, channel and user, from a signed Slack request. */
export interface Caller {
  teamId: string | undefined;
  channelId: string;
  userId: string;
}

/**
 * Checks the caller against the configuration: the workspace (`slack.teamId`), the channel
 * (`slack.allowedChannels`, empty allows all) and, for admin-only actions, `slack.adminUsers`.
 * Returns null when allowed, else the message to show the caller.
 */
export function authorizeRequest(
  config: Pick<BotConfig, 'slack'>,
  caller: Caller,
  options: { adminOnly?: string } = {},
): string | null {
  const { teamId, adminUsers, allowedChannels } = config.slack;
  if (teamId && caller.teamId !== teamId) {
    return 'This app serves another Slack workspace, so it did not run the command.';
  }
  if (allowedChannels.length > 0 && !allowedChannels.includes(caller.channelId)) {
    return 'adreport commands are not enabled in this channel. Ask the app owner to add it to `slack.allowedChannels`.';
  }
  if (options.adminOnly && !adminUsers.includes(caller.userId)) {
    return `Only adreport admins may ${options.adminOnly}. Ask the app owner to add your user id to \`slack.adminUsers\`.`;
  }

  return null;
}
