import { bearerToken, type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

export interface SlackFakeOptions {
  token: string;
  teamId?: string;
  /** Sent in the `x-oauth-scopes` header, as Slack does for every Web API call. */
  scopes: string[];
  /** Channels that exist, with whether the bot is a member and whether they are archived. */
  channels?: Record<string, { name: string; isMember: boolean; isArchived?: boolean }>;
}

/**
 * Starts a loopback Slack Web API with `auth.test` and `conversations.info`. Like Slack, it
 * answers errors with HTTP 200 and `{"ok": false, "error": …}`.
 */
export async function startSlackFake(
  options: SlackFakeOptions,
): Promise<LoopbackServer & { apiUrl: string }> {
  const server = await startLoopbackServer((request) => {
    const headers = { 'x-oauth-scopes': options.scopes.join(',') };
    if (bearerToken(request) !== options.token)
      return { headers, body: { ok: false, error: 'invalid_auth' } };
    const method = request.url.pathname.replace(/^\/api\//, '');
    if (method === 'auth.test') {
      return {
        headers,
        body: {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'adreport',
          team_id: options.teamId ?? 'T0TESTTEAM',
          user_id: 'U0TESTBOT1',
          bot_id: 'B0TESTBOT1',
        },
      };
    }
    if (method === 'conversations.info') {
      if (!options.scopes.includes('channels:read')) {
        return { headers, body: { ok: false, error: 'missing_scope', needed: 'channels:read' } };
      }
      const id = new URLSearchParams(request.body).get('channel') ?? '';
      const channel = options.channels?.[id];
      if (!channel) return { headers, body: { ok: false, error: 'channel_not_found' } };

      return {
        headers,
        body: {
          ok: true,
          channel: {
            id,
            name: channel.name,
            is_member: channel.isMember,
            is_archived: channel.isArchived ?? false,
          },
        },
      };
    }

    return { headers, body: { ok: false, error: 'unknown_method' } };
  });

  return Object.assign(server, { apiUrl: `${server.origin}/api/` });
}
