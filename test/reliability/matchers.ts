/** Matchers that pick one external call out of the traffic through a FaultProxy. */
import { DateTime } from 'luxon';
import type { ProxiedRequest, RequestMatcher } from './fault-proxy.ts';

/** `GET /{version}/act_…` (the ad account read), not its insights. */
export function graphAccount(accountId: string): RequestMatcher {
  return (request) => pathOf(request).endsWith(`/${accountId}`);
}

/** `GET /{version}/act_…/insights`, for one week when `weekStart` is given. */
export function graphInsights(accountId: string, weekStart?: string): RequestMatcher {
  return (request) =>
    pathOf(request).endsWith(`/${accountId}/insights`) &&
    (weekStart === undefined || queryOf(request).includes(`"since":"${weekStart}"`));
}

/**
 * `POST /crm/v3/objects/contacts/search`, for one week when `weekStart` is given: the request
 * whose `createdate` window starts at that Monday's midnight in `timeZone`.
 */
export function hubspotSearch(weekStart?: string, timeZone = 'America/New_York'): RequestMatcher {
  const startMs =
    weekStart === undefined
      ? null
      : String(DateTime.fromISO(weekStart, { zone: timeZone }).toMillis());

  return (request) =>
    pathOf(request) === '/crm/v3/objects/contacts/search' &&
    (startMs === null || request.body.includes(`"${startMs}"`));
}

/** `POST /v1/messages`. */
export const anthropicMessages: RequestMatcher = (request) => pathOf(request) === '/v1/messages';

/** `chat.postMessage`, to one channel when `channel` is given. */
export function slackPost(channel?: string): RequestMatcher {
  return (request) =>
    pathOf(request) === '/api/chat.postMessage' &&
    (channel === undefined || slackBody(request).channel === channel);
}

/** Matches a `chat.postMessage` into a thread: a later part of a summary split into several. */
export function slackThreadPost(channel: string): RequestMatcher {
  return (request) => slackPost(channel)(request) && Boolean(slackBody(request).thread_ts);
}

/** Parses a Slack Web API request body, sent as JSON or as a form. */
export function slackBody(request: ProxiedRequest): Record<string, string> {
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('application/json')) return JSON.parse(request.body || '{}');

  return Object.fromEntries(new URLSearchParams(request.body));
}

function pathOf(request: ProxiedRequest): string {
  return request.path.split('?')[0] ?? '';
}

function queryOf(request: ProxiedRequest): string {
  return decodeURIComponent(request.path.split('?')[1] ?? '');
}
