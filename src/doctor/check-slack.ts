import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { type CheckResult, type CheckSection, fail, pass, warn } from './check-result.ts';
import {
  bodyExcerpt,
  describeBadResponse,
  describeRequestFailure,
  type RequestFailure,
  type RequestTarget,
} from './describe-request-error.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';

/**
 * Bot token scopes the code uses: posting messages, receiving `/adreport` and mentions, and
 * uploading trend charts.
 */
export const REQUIRED_SLACK_SCOPES = [
  'chat:write',
  'commands',
  'app_mentions:read',
  'files:write',
] as const;

const TOKEN_FIX =
  'copy the Bot User OAuth Token (xoxb-…) from the Slack app page, OAuth & Permissions, and ' +
  'store it as SLACK_BOT_TOKEN';
const SIGNING_SECRET = /^[0-9a-f]{32}$/;
/** Slack's error strings are snake_case words such as `invalid_auth`. */
const SLACK_ERROR_CODE = /^[a-z][a-z0-9_]*$/;

function methodRequest(context: DoctorContext, method: string): RequestTarget {
  const apiUrl = resolveBaseUrls(context.config, context.env).slack;

  return { url: `${apiUrl.replace(/\/?$/, '/')}${method}`, timeoutMs: context.timeoutMs };
}

/**
 * Checks the bot token with `auth.test` (workspace and granted scopes, read from the
 * `x-oauth-scopes` header), the signing secret's presence and form, and that each configured
 * channel exists and has the bot as a member (`conversations.info`).
 */
export async function checkSlack(context: DoctorContext): Promise<CheckSection> {
  const results = [checkSigningSecret(context.secrets.SLACK_SIGNING_SECRET)];
  const token = context.secrets.SLACK_BOT_TOKEN;
  if (!token) {
    results.unshift(fail('Bot token', 'SLACK_BOT_TOKEN is not set', TOKEN_FIX));

    return { title: 'Slack', results };
  }
  const client = new WebClient(token, {
    slackApiUrl: resolveBaseUrls(context.config, context.env).slack,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: context.timeoutMs,
    logLevel: LogLevel.ERROR,
  });
  const auth = await checkAuth(context, client);
  results.unshift(...auth.results);
  if (auth.ok) results.push(...(await checkChannels(context, client, auth.scopes)));

  return { title: 'Slack', results };
}

function checkSigningSecret(secret: string | undefined): CheckResult {
  const subject = 'Signing secret';
  const fix =
    'copy the Signing Secret from the Slack app page, Basic Information, and store it as SLACK_SIGNING_SECRET';
  if (!secret)
    return fail(subject, 'SLACK_SIGNING_SECRET is not set, so the bot rejects every request', fix);
  if (!SIGNING_SECRET.test(secret))
    return warn(subject, 'set, but not the 32 hex digits Slack issues', fix);

  return pass(subject, 'set');
}

interface AuthOutcome {
  ok: boolean;
  scopes: string[];
  results: CheckResult[];
}

async function checkAuth(context: DoctorContext, client: WebClient): Promise<AuthOutcome> {
  let response: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    response = await client.auth.test();
  } catch (error) {
    const request = methodRequest(context, 'auth.test');

    return {
      ok: false,
      scopes: [],
      results: [slackFailure('Bot token', error, TOKEN_FIX, request)],
    };
  }
  const scopes = response.response_metadata?.scopes ?? [];
  const results = [
    pass(
      'Bot token',
      `valid: bot ${response.user ?? '?'} in workspace ${response.team ?? '?'} (${response.team_id ?? '?'})`,
    ),
  ];
  const teamId = context.config.slack.teamId;
  if (teamId && response.team_id !== teamId) {
    results.push(
      fail(
        'Workspace',
        `the token belongs to ${response.team_id}, but slack.teamId is ${teamId}`,
        'install the app in the configured workspace, or correct slack.teamId',
      ),
    );
  }
  const missing = REQUIRED_SLACK_SCOPES.filter((scope) => !scopes.includes(scope));
  results.push(
    missing.length === 0
      ? pass('Bot scopes', scopes.join(', '))
      : fail(
          'Bot scopes',
          `missing ${missing.join(', ')} (granted: ${scopes.join(', ') || 'none'})`,
          'add the missing bot token scopes under OAuth & Permissions (or install from slack/manifest.yml) and reinstall the app',
        ),
  );

  return { ok: true, scopes, results };
}

async function checkChannels(
  context: DoctorContext,
  client: WebClient,
  scopes: string[],
): Promise<CheckResult[]> {
  const channels = new Map<string, string>();
  for (const report of context.config.reports) {
    if (report.slackChannel) channels.set(report.slackChannel, `report ${report.id}`);
  }
  if (context.config.slack.opsChannel)
    channels.set(context.config.slack.opsChannel, 'ops messages');

  return Promise.all(
    [...channels].map(([channel, purpose]) =>
      checkChannel(
        client,
        { channel, purpose, scopes },
        methodRequest(context, 'conversations.info'),
      ),
    ),
  );
}

async function checkChannel(
  client: WebClient,
  { channel, purpose, scopes }: { channel: string; purpose: string; scopes: string[] },
  request: RequestTarget,
): Promise<CheckResult> {
  const subject = `Channel ${channel} (${purpose})`;
  try {
    const response = await client.conversations.info({ channel });
    const name = `#${response.channel?.name ?? channel}`;
    if (response.channel?.is_archived) {
      return fail(
        subject,
        `${name} is archived`,
        'unarchive it, or set another channel id in the config',
      );
    }
    if (!response.channel?.is_member) {
      return fail(
        subject,
        `the bot is not a member of ${name}`,
        `invite it: type /invite @<bot name> in ${name}`,
      );
    }

    return pass(subject, `${name}, bot is a member`);
  } catch (error) {
    return slackFailure(subject, error, channelFix(error, scopes), request);
  }
}

function channelFix(error: unknown, scopes: string[]): string {
  const code = platformError(error);
  if (code === 'channel_not_found') {
    return 'check the channel id (channel details, at the bottom); a private channel is only visible after the bot is invited';
  }
  if (code === 'missing_scope') {
    const needed = scopes.includes('channels:read')
      ? 'groups:read'
      : 'channels:read (and groups:read for private channels)';

    return `add ${needed} to the bot token scopes and reinstall the app, so doctor can read channels`;
  }

  return 'run doctor again; if it persists, check the Slack status page';
}

function slackFailure(
  subject: string,
  error: unknown,
  fix: string,
  request: RequestTarget,
): CheckResult {
  const code = platformError(error);
  if (code && SLACK_ERROR_CODE.test(code)) return fail(subject, `Slack returned ${code}`, fix);
  const fixUrl = `check the network and slack.apiUrl (or ADREPORT_SLACK_API_URL); ${fix}`;
  // WebClient raises a platform error only for an HTTP 200 response whose `ok` is not true.
  if (code) return fail(subject, describeBadResponse(200, request.url, notSlack(code)), fixUrl);
  if ((error as { code?: string })?.code === ErrorCode.RateLimitedError) {
    return fail(subject, 'rate limited by Slack', 'run doctor again in a minute');
  }
  const failure = classifyRequestFailure(error);
  const bodyCode = failure.kind === 'bad_response' ? slackErrorIn(failure.body) : null;
  if (failure.kind === 'bad_response' && bodyCode) {
    const problem = `Slack returned ${bodyCode}`;

    return fail(subject, describeBadResponse(failure.status, request.url, problem), fix);
  }

  return fail(subject, describeRequestFailure(request, failure), fixUrl);
}

/** Returns the `error` string of a Slack JSON body such as `{"ok":false,"error":"invalid_auth"}`. */
function slackErrorIn(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    const code = parsed?.error;

    return typeof code === 'string' && SLACK_ERROR_CODE.test(code) ? code : null;
  } catch {
    return null;
  }
}

function classifyRequestFailure(error: unknown): RequestFailure {
  const candidate = error as {
    code?: string;
    statusCode?: number;
    body?: unknown;
    original?: unknown;
  };
  if (candidate?.code === ErrorCode.HTTPError && candidate.statusCode !== undefined) {
    return { kind: 'bad_response', status: candidate.statusCode, body: bodyText(candidate.body) };
  }
  if (candidate?.code === ErrorCode.RequestError) {
    return { kind: 'no_response', error: candidate.original };
  }

  return { kind: 'other', error };
}

/** Returns a body as text, because the WebClient hands over a JSON error body already parsed. */
function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';

  return typeof body === 'string' ? body : JSON.stringify(body);
}

function notSlack(code: string): string {
  return code === 'an error'
    ? 'not a Slack Web API response'
    : `not a Slack Web API response: ${bodyExcerpt(code)}`;
}

/** Returns Slack's error string (e.g. `invalid_auth`) of an `ok: false` response, else null. */
function platformError(error: unknown): string | null {
  const candidate = error as { code?: string; data?: { error?: string } };

  return candidate?.code === ErrorCode.PlatformError ? (candidate.data?.error ?? 'an error') : null;
}
