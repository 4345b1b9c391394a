/**
 * The fault table crosses each external call of a run with the faults that apply to it. Each fault
 * is injected once (the retry clears it) or persistently (every attempt of the run fails). Each row
 * names the outcome the run must reach, the deliveries, and what the raw archive must hold.
 */
import { dynamoError, dynamoOperation, s3Error, s3Put, sesAction, sesError } from './aws-faults.ts';
import type { Fault, RequestMatcher } from './fault-proxy.ts';
import {
  anthropicMessages,
  graphAccount,
  graphInsights,
  hubspotSearch,
  slackPost,
} from './matchers.ts';
import { REPORT_CHANNEL, WEEK, WEEKS, type World } from './world.ts';

export const CALLS = [
  'Meta account',
  'Meta insights',
  'HubSpot search',
  'Anthropic messages',
  'SES send',
  'Slack chat.postMessage',
  'S3 archive put',
  'DynamoDB batch write',
] as const;
export const FAULTS = [
  '5xx',
  'timeout',
  'connection reset',
  'malformed body',
  'rate limit',
  'auth failure',
] as const;

export type CallName = (typeof CALLS)[number];
export type FaultName = (typeof FAULTS)[number];
export type Persistence = 'once' | 'persistent';
export type Outcome = 'delivered' | 'degraded' | 'failed';

/** Which payloads the archive holds: every one, or those fetched before the fault. */
export type ArchivePlan =
  | 'complete'
  | 'without branch'
  | 'branch up to the report week'
  | 'without HubSpot'
  | 'home only, no manifest';

export interface FaultCase {
  call: CallName;
  fault: FaultName;
  /** What the proxy does to the matched requests. */
  response: Fault;
  persistence: Persistence;
  outcome: Outcome;
  email: 'sent' | 'failed' | 'skipped';
  slack: 'posted' | 'failed' | 'skipped';
  /** Report emails SES accepted: one when sent, and one when SES sent it but the response broke. */
  reportEmails: number;
  /** Summary posts Slack accepted, counted the same way. */
  reportPosts: number;
  archive: ArchivePlan;
  /** The proxy in front of the called service. */
  proxy: keyof World['proxies'];
  matcher: (world: World) => RequestMatcher;
}

const EARLIER_WEEKS = WEEKS.slice(0, -1);
/**
 * Every fault world starts from an empty store, where no week has HubSpot counts yet, so HubSpot is
 * searched for every fetched week.
 */
const HUBSPOT_WEEKS = WEEKS;

/** Returns the archive keys of a plan, by property and week (see `expectedArchive`). */
export function archivePlan(plan: ArchivePlan): {
  meta: Partial<Record<'home' | 'branch', string[]>>;
  hubspot: string[];
} {
  switch (plan) {
    case 'complete':
      return { meta: { home: WEEKS, branch: WEEKS }, hubspot: HUBSPOT_WEEKS };
    case 'without branch':
      return { meta: { home: WEEKS }, hubspot: HUBSPOT_WEEKS };
    case 'branch up to the report week':
      return { meta: { home: WEEKS, branch: EARLIER_WEEKS }, hubspot: HUBSPOT_WEEKS };
    case 'without HubSpot':
      return { meta: { home: WEEKS, branch: WEEKS }, hubspot: [] };
    case 'home only, no manifest':
      return { meta: { home: WEEKS }, hubspot: [] };
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => ({
  kind: 'status',
  status,
  body: JSON.stringify(body),
  headers,
});
const HANG: Fault = { kind: 'hang' };
const RESET: Fault = { kind: 'reset' };

type FaultSpec = {
  fault: Fault;
  /** Outcome of a persistent fault. A fault injected once is retried, so the run delivers. */
  persistent: Outcome;
  /**
   * False when the client does not retry the fault, so one occurrence has the persistent outcome
   * and the table has no `once` row for it.
   */
  retried?: false;
};

interface CallSpec {
  proxy: keyof World['proxies'];
  matcher: (world: World) => RequestMatcher;
  /** Deliveries and archive of a run whose fault persisted. */
  persistentEffect: Pick<FaultCase, 'email' | 'slack' | 'archive'>;
  faults: Record<FaultName, FaultSpec | null>;
}

const graphError = (status: number, code: number, message: string, headers = {}) =>
  json(
    status,
    { error: { message, type: 'OAuthException', code, fbtrace_id: 'AFaultTable1' } },
    headers,
  );
const hubspotError = (status: number, category: string, message: string, headers = {}) =>
  json(status, { status: 'error', message, category, correlationId: 'fault-table' }, headers);
const anthropicError = (status: number, type: string, headers = {}) =>
  json(status, { type: 'error', error: { type, message: type } }, headers);

const META_FAULTS: CallSpec['faults'] = {
  '5xx': {
    fault: { kind: 'status', status: 502, body: '<html>502 Bad Gateway</html>' },
    persistent: 'degraded',
  },
  timeout: { fault: HANG, persistent: 'degraded' },
  'connection reset': { fault: RESET, persistent: 'degraded' },
  'malformed body': {
    fault: { kind: 'corrupt', body: '{"data":[{"campaign_id":' },
    persistent: 'degraded',
  },
  'rate limit': {
    fault: graphError(400, 4, '(#4) Application request limit reached', {
      'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 40, total_time: 60 }),
    }),
    persistent: 'degraded',
  },
  'auth failure': {
    fault: graphError(400, 190, 'Error validating access token: Session has expired'),
    persistent: 'degraded',
    retried: false,
  },
};

const SPECS: Record<CallName, CallSpec> = {
  'Meta account': {
    proxy: 'graph',
    matcher: (w) => graphAccount(w.accounts.branch),
    persistentEffect: { email: 'sent', slack: 'posted', archive: 'without branch' },
    faults: META_FAULTS,
  },
  'Meta insights': {
    proxy: 'graph',
    matcher: (w) => graphInsights(w.accounts.branch, WEEK.start),
    persistentEffect: { email: 'sent', slack: 'posted', archive: 'branch up to the report week' },
    faults: META_FAULTS,
  },
  'HubSpot search': {
    proxy: 'hubspot',
    matcher: () => hubspotSearch(WEEK.start),
    persistentEffect: { email: 'sent', slack: 'posted', archive: 'without HubSpot' },
    faults: {
      '5xx': {
        fault: hubspotError(502, 'INTERNAL_ERROR', 'internal error'),
        persistent: 'degraded',
      },
      timeout: { fault: HANG, persistent: 'degraded' },
      'connection reset': { fault: RESET, persistent: 'degraded' },
      'malformed body': {
        fault: { kind: 'corrupt', body: '{"total":3,"results":[{"id":"1","prop' },
        persistent: 'degraded',
      },
      'rate limit': {
        fault: json(
          429,
          {
            status: 'error',
            message: 'You have reached your secondly limit.',
            errorType: 'RATE_LIMIT',
            policyName: 'SECONDLY',
          },
          { 'retry-after': '1' },
        ),
        persistent: 'degraded',
      },
      'auth failure': {
        fault: hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.'),
        persistent: 'degraded',
        retried: false,
      },
    },
  },
  'Anthropic messages': {
    proxy: 'anthropic',
    matcher: () => anthropicMessages,
    persistentEffect: { email: 'sent', slack: 'posted', archive: 'complete' },
    faults: {
      '5xx': { fault: anthropicError(500, 'api_error'), persistent: 'degraded' },
      timeout: { fault: HANG, persistent: 'degraded' },
      'connection reset': { fault: RESET, persistent: 'degraded' },
      // The SDK does not retry a 200 whose JSON it cannot parse.
      'malformed body': {
        fault: { kind: 'corrupt', body: '{"id":"msg_01","content":[' },
        persistent: 'degraded',
        retried: false,
      },
      'rate limit': {
        fault: anthropicError(429, 'rate_limit_error', { 'retry-after-ms': '50' }),
        persistent: 'degraded',
      },
      'auth failure': {
        fault: anthropicError(401, 'authentication_error'),
        persistent: 'degraded',
        retried: false,
      },
    },
  },
  'SES send': {
    proxy: 'ses',
    matcher: () => sesAction('SendRawEmail'),
    persistentEffect: { email: 'failed', slack: 'posted', archive: 'complete' },
    faults: {
      '5xx': {
        fault: sesError(500, 'InternalFailure', 'Internal failure'),
        persistent: 'degraded',
      },
      timeout: { fault: HANG, persistent: 'degraded' },
      'connection reset': { fault: RESET, persistent: 'degraded' },
      // SES sent the email, but the SDK cannot read the response and does not retry.
      'malformed body': {
        fault: { kind: 'corrupt', body: '<SendRawEmailResponse><SendRawEmailResult>' },
        persistent: 'degraded',
        retried: false,
      },
      'rate limit': {
        fault: sesError(400, 'Throttling', 'Maximum sending rate exceeded.'),
        persistent: 'degraded',
      },
      'auth failure': {
        fault: sesError(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        ),
        persistent: 'degraded',
        retried: false,
      },
    },
  },
  'Slack chat.postMessage': {
    proxy: 'slack',
    matcher: () => slackPost(REPORT_CHANNEL),
    persistentEffect: { email: 'sent', slack: 'failed', archive: 'complete' },
    faults: {
      '5xx': {
        fault: { kind: 'status', status: 500, body: 'Internal Server Error' },
        persistent: 'degraded',
      },
      // Slack may have posted before the client gave up, and chat.postMessage has no idempotency
      // key, so the client does not retry a timeout.
      timeout: { fault: HANG, persistent: 'degraded', retried: false },
      'connection reset': { fault: RESET, persistent: 'degraded' },
      // Slack posted the message, but the WebClient cannot read the response and does not retry.
      'malformed body': {
        fault: { kind: 'corrupt', body: '<html>oops' },
        persistent: 'degraded',
        retried: false,
      },
      'rate limit': {
        fault: json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }),
        persistent: 'degraded',
      },
      'auth failure': {
        fault: json(200, { ok: false, error: 'invalid_auth' }),
        persistent: 'degraded',
        retried: false,
      },
    },
  },
  'S3 archive put': {
    proxy: 's3',
    matcher: (w) => s3Put(`raw/meta/${w.accounts.branch}/`),
    persistentEffect: { email: 'skipped', slack: 'skipped', archive: 'home only, no manifest' },
    faults: {
      '5xx': {
        fault: s3Error(500, 'InternalError', 'We encountered an internal error.'),
        persistent: 'failed',
      },
      timeout: { fault: HANG, persistent: 'failed' },
      'connection reset': { fault: RESET, persistent: 'failed' },
      // PutObject has no response body to misread, so a garbled one is not a fault.
      'malformed body': null,
      'rate limit': {
        fault: s3Error(503, 'SlowDown', 'Please reduce your request rate.'),
        persistent: 'failed',
      },
      'auth failure': {
        fault: s3Error(403, 'AccessDenied', 'Access Denied'),
        persistent: 'failed',
        retried: false,
      },
    },
  },
  'DynamoDB batch write': {
    proxy: 'dynamodb',
    matcher: () => dynamoOperation('BatchWriteItem'),
    persistentEffect: { email: 'skipped', slack: 'skipped', archive: 'complete' },
    faults: {
      '5xx': {
        fault: dynamoError(500, 'InternalServerError', 'Internal server error'),
        persistent: 'failed',
      },
      timeout: { fault: HANG, persistent: 'failed' },
      'connection reset': { fault: RESET, persistent: 'failed' },
      // DynamoDB stored the batch, but the SDK cannot read the response and does not retry.
      'malformed body': {
        fault: { kind: 'corrupt', body: '{"UnprocessedItems":' },
        persistent: 'failed',
        retried: false,
      },
      'rate limit': {
        fault: dynamoError(
          400,
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded.',
        ),
        persistent: 'failed',
      },
      'auth failure': {
        fault: dynamoError(
          400,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        ),
        persistent: 'failed',
        retried: false,
      },
    },
  },
};

const DELIVERED: Pick<FaultCase, 'email' | 'slack' | 'archive'> = {
  email: 'sent',
  slack: 'posted',
  archive: 'complete',
};

/** Returns every applicable case: each fault persistent, and once when the client retries it. */
export function faultCases(calls: readonly CallName[] = CALLS): FaultCase[] {
  return calls.flatMap((call) => {
    const spec = SPECS[call];

    return FAULTS.flatMap((faultName) => {
      const faultSpec = spec.faults[faultName];
      if (!faultSpec) return [];
      const base = { call, fault: faultName, proxy: spec.proxy, matcher: spec.matcher };
      // A garbled response is sent after the service has done the work.
      const reached = faultSpec.fault.kind === 'corrupt';
      const effect = spec.persistentEffect;
      const persistent: FaultCase = {
        ...base,
        ...effect,
        reportEmails: effect.email === 'sent' || (call === 'SES send' && reached) ? 1 : 0,
        reportPosts:
          effect.slack === 'posted' || (call === 'Slack chat.postMessage' && reached) ? 1 : 0,
        persistence: 'persistent',
        outcome: faultSpec.persistent,
        response: faultSpec.fault,
      } as FaultCase;
      if (faultSpec.retried === false) return [persistent];
      const once = {
        ...base,
        ...DELIVERED,
        reportEmails: 1,
        reportPosts: 1,
        persistence: 'once',
        outcome: 'delivered',
        response: faultSpec.fault,
      } as FaultCase;

      return [once, persistent];
    });
  });
}

/** Returns the call and fault pairs that do not apply, for the outcome table. */
export function notApplicable(): Array<{ call: CallName; fault: FaultName }> {
  return CALLS.flatMap((call) =>
    FAULTS.filter((fault) => SPECS[call].faults[fault] === null).map((fault) => ({ call, fault })),
  );
}
