import { createHmac, randomUUID } from 'node:crypto';

/** A Lambda function URL request event (payload format 2.0), as far as the bot reads it. */
export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: {
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/** Computes Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function signSlackBody(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret)
    .update(`v0:${timestampSeconds}:${body}`)
    .digest('hex');

  return `v0=${digest}`;
}

/**
 * Builds the event a function URL delivers for an HTTP request: lowercased header names and, for
 * form bodies, the body in base64 as function URLs send it.
 */
export function toFunctionUrlEvent(request: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}): FunctionUrlEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const textual = /^(application\/json|text\/)/.test(headers['content-type'] ?? '');

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    headers,
    requestContext: {
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      timeEpoch: Date.now(),
    },
    body: textual ? request.body.toString('utf8') : request.body.toString('base64'),
    isBase64Encoded: !textual,
  };
}

export interface SlashCommandFields {
  text: string;
  teamId: string;
  channelId: string;
  userId: string;
  responseUrl: string;
  command?: string;
}

/** Builds a signed function-URL event carrying a slash command, as Slack would send it. */
export function signedSlashCommandEvent(
  secret: string,
  fields: SlashCommandFields,
  timestampSeconds = Math.floor(Date.now() / 1000),
): FunctionUrlEvent {
  const body = new URLSearchParams({
    token: 'unused-verification-token',
    team_id: fields.teamId,
    team_domain: 'local',
    channel_id: fields.channelId,
    channel_name: 'local',
    user_id: fields.userId,
    user_name: 'local.user',
    command: fields.command ?? '/adreport',
    text: fields.text,
    api_app_id: 'A0LOCALAPP',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${timestampSeconds}.local`,
  }).toString();

  return signedEvent(secret, 'application/x-www-form-urlencoded', body, timestampSeconds);
}

/** Builds a signed function-URL event for any body, e.g. an Events API JSON payload. */
export function signedEvent(
  secret: string,
  contentType: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
  extraHeaders: Record<string, string> = {},
): FunctionUrlEvent {
  return toFunctionUrlEvent({
    method: 'POST',
    path: '/slack/events',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestampSeconds),
      'x-slack-signature': signSlackBody(secret, timestampSeconds, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...extraHeaders,
    },
    body: Buffer.from(body, 'utf8'),
  });
}
