/**
 * A loopback HubSpot CRM API that implements `POST /crm/v3/objects/contacts/search` closely
 * enough for the real `@hubspot/api-client` to run against it. It checks the Bearer token and
 * scopes, evaluates filter groups (OR of ANDs) and sorts, pages with `limit` up to 200 and offset
 * `after` cursors, and enforces the 10,000-result cap. It sends HubSpot's 429 bodies for rate
 * limits and serves scripted faults queued with `enqueue`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A contact as stored in the fake portal, with `properties.createdate` as an ISO instant. */
export interface FakeContact {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: string;
}

/** A scripted response, served to the next request before any other processing. */
export interface FakeResponse {
  status: number;
  /** JSON body, ignored when `rawBody` is set. */
  body?: unknown;
  /** Body sent byte for byte, e.g. cut-off JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Sends no response, so the request hangs until the client gives up or the fake closes. */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** `now()` of the fake when the request arrived, in epoch milliseconds. */
  receivedAt: number;
}

export interface FakeHubSpotOptions {
  /** The accepted token, `pat-test-token` by default. */
  accessToken?: string;
  /** A token that HubSpot reports as expired (401, EXPIRED_AUTHENTICATION). */
  expiredToken?: string;
  /** Scopes granted to the token. The search needs `crm.objects.contacts.read`. */
  scopes?: string[];
  /**
   * Property names that exist in the portal. Requested properties outside it are left out of
   * results, and filters on them are rejected with 400. By default every property that any
   * contact has, plus the standard ones.
   */
  schema?: string[];
  /** Rejects requests beyond `maxRequests` per `intervalMs` with HubSpot's 429. */
  rateLimit?: {
    maxRequests: number;
    intervalMs: number;
    policyName?: 'SECONDLY' | 'TEN_SECONDLY_ROLLING';
    retryAfterSeconds?: number;
  };
  /** Results one query can reach, 10,000 like HubSpot. */
  resultCap?: number;
  /** Clock for `receivedAt` and the rate limit, `Date.now` by default. */
  now?: () => number;
}

export interface FakeHubSpot {
  url: string;
  requests: RecordedRequest[];
  setContacts(contacts: FakeContact[]): void;
  enqueue(...responses: FakeResponse[]): void;
  close(): Promise<void>;
}

const SEARCH_PATH = '/crm/v3/objects/contacts/search';
const STANDARD_PROPERTIES = [
  'createdate',
  'lastmodifieddate',
  'hs_object_id',
  'email',
  'firstname',
  'lastname',
  'hs_analytics_source',
  'hs_analytics_source_data_1',
  'hs_analytics_source_data_2',
  'hs_latest_source',
  'hs_latest_source_data_1',
  'hs_latest_source_data_2',
  'hs_analytics_first_url',
  'hs_object_source',
];
const ALWAYS_RETURNED = ['createdate', 'hs_object_id', 'lastmodifieddate'];
const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

/** Ready-made fault responses with HubSpot's bodies. */
export const hubspotFaults = {
  /** Returns the search endpoint's per-second 429. */
  secondlyLimit(retryAfterSeconds?: number): FakeResponse {
    return rateLimitResponse('SECONDLY', retryAfterSeconds);
  },
  /** Returns the app's rolling ten-second 429. */
  tenSecondlyLimit(retryAfterSeconds?: number): FakeResponse {
    return rateLimitResponse('TEN_SECONDLY_ROLLING', retryAfterSeconds);
  },
  serverError(status = 502): FakeResponse {
    return {
      status,
      body: {
        status: 'error',
        message: 'internal error',
        correlationId: randomUUID(),
        category: 'INTERNAL_ERROR',
      },
    };
  },
  /** Returns a 200 whose JSON is cut off mid-way. */
  malformedBody(): FakeResponse {
    return { status: 200, rawBody: '{"total":3,"results":[{"id":"1","prop' };
  },
  /** Returns a 200 whose JSON has no `results`. */
  incompleteBody(): FakeResponse {
    return { status: 200, body: { total: 3 } };
  },
  timeout(): FakeResponse {
    return { status: 0, hang: true };
  },
};

function rateLimitResponse(
  policyName: 'SECONDLY' | 'TEN_SECONDLY_ROLLING',
  retryAfterSeconds?: number,
): FakeResponse {
  return {
    status: 429,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: {
      status: 'error',
      message:
        policyName === 'SECONDLY'
          ? 'You have reached your secondly limit.'
          : 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName,
    },
  };
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeHubSpot(options: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
  const state = {
    options,
    now: options.now ?? Date.now,
    contacts: [] as FakeContact[],
    schema: new Set(options.schema ?? STANDARD_PROPERTIES),
    queue: [] as FakeResponse[],
    requests: [] as RecordedRequest[],
    recentStarts: [] as number[],
  };
  const server = createServer((request, response) => {
    void handle(state, request, response).catch((error: unknown) => {
      send(response, 500, errorBody(`fake HubSpot failed: ${String(error)}`, 'INTERNAL_ERROR'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    setContacts(contacts) {
      state.contacts = [...contacts];
      state.schema = new Set(options.schema ?? defaultSchema(state.contacts));
    },
    enqueue(...responses) {
      state.queue.push(...responses);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

type FakeState = {
  options: FakeHubSpotOptions;
  now: () => number;
  contacts: FakeContact[];
  schema: Set<string>;
  queue: FakeResponse[];
  requests: RecordedRequest[];
  recentStarts: number[];
};

async function handle(state: FakeState, request: IncomingMessage, response: ServerResponse) {
  const text = await readBody(request);
  const body = parseJson(text);
  state.requests.push({
    method: request.method ?? '',
    path: request.url ?? '',
    authorization: request.headers.authorization,
    body: body === undefined ? text : body,
    receivedAt: state.now(),
  });
  const scripted = state.queue.shift();
  if (scripted) return sendScripted(response, scripted);
  const rejection = authenticate(state, request.headers.authorization) ?? rateLimit(state);
  if (rejection) return sendScripted(response, rejection);
  if (request.method !== 'POST' || request.url !== SEARCH_PATH) {
    return send(response, 404, errorBody(`Unknown path ${request.url}`, 'OBJECT_NOT_FOUND'));
  }
  if (body === undefined || typeof body !== 'object' || body === null) {
    return send(response, 400, errorBody('Invalid input JSON on line 1', 'VALIDATION_ERROR'));
  }
  const result = search(state, body as SearchBody);
  send(response, result.status, result.body);
}

function authenticate(state: FakeState, header: string | undefined): FakeResponse | null {
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
  if (token !== null && token === state.options.expiredToken) {
    return {
      status: 401,
      body: errorBody(
        'The OAuth token used to make this call expired 2 day(s) ago.',
        'EXPIRED_AUTHENTICATION',
      ),
    };
  }
  if (token === null || token !== (state.options.accessToken ?? 'pat-test-token')) {
    return {
      status: 401,
      body: errorBody(
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        'INVALID_AUTHENTICATION',
      ),
    };
  }
  const scopes = state.options.scopes ?? ['crm.objects.contacts.read'];
  if (!scopes.includes('crm.objects.contacts.read')) {
    return {
      status: 403,
      body: {
        ...errorBody(
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          'MISSING_SCOPES',
        ),
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: ['crm.objects.contacts.read'] },
          },
        ],
      },
    };
  }

  return null;
}

function rateLimit(state: FakeState): FakeResponse | null {
  const limit = state.options.rateLimit;
  if (!limit) return null;
  const now = state.now();
  state.recentStarts = state.recentStarts.filter((start) => start > now - limit.intervalMs);
  if (state.recentStarts.length >= limit.maxRequests) {
    return rateLimitResponse(limit.policyName ?? 'SECONDLY', limit.retryAfterSeconds);
  }
  state.recentStarts.push(now);

  return null;
}

interface SearchFilter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  values?: unknown;
  highValue?: unknown;
}

interface SearchBody {
  filterGroups?: Array<{ filters?: SearchFilter[] }>;
  sorts?: unknown[];
  properties?: string[];
  limit?: number;
  after?: string;
}

function search(state: FakeState, body: SearchBody): { status: number; body: unknown } {
  const schema = state.schema;
  const invalid = validate(body, schema);
  if (invalid) return { status: 400, body: errorBody(invalid, 'VALIDATION_ERROR') };
  const limit = body.limit ?? 10;
  const after = Number(body.after ?? '0');
  const cap = state.options.resultCap ?? 10_000;
  if (after + limit > cap) {
    return {
      status: 400,
      body: errorBody(
        `Paging past ${cap} results is not supported (after=${body.after}, limit=${limit}).`,
        'VALIDATION_ERROR',
      ),
    };
  }
  const matches = sortContacts(
    state.contacts.filter((contact) => matchesGroups(contact, body.filterGroups ?? [])),
    body.sorts ?? [],
  );
  const page = matches.slice(after, after + limit);
  const requested = [...new Set([...ALWAYS_RETURNED, ...(body.properties ?? [])])];

  return {
    status: 200,
    body: {
      total: matches.length,
      results: page.map((contact) => toResult(contact, requested, schema)),
      ...(after + limit < matches.length
        ? { paging: { next: { after: String(after + limit) } } }
        : {}),
    },
  };
}

function validate(body: SearchBody, schema: Set<string>): string | null {
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    return `limit must be between 1 and 200, got ${String(body.limit)}`;
  }
  if (body.after !== undefined && !/^\d+$/.test(String(body.after))) {
    return `after must be a numeric string, got ${String(body.after)}`;
  }
  const groups = body.filterGroups ?? [];
  if (groups.length > 5) return `Too many filter groups (${groups.length}); the maximum is 5`;
  const counts = groups.map((group) => group.filters?.length ?? 0);
  if (counts.some((count) => count > 10)) return 'Too many filters in a group; the maximum is 10';
  if (counts.reduce((sum, count) => sum + count, 0) > 25) {
    return 'Too many filters across all groups; the maximum is 25';
  }
  for (const filter of groups.flatMap((group) => group.filters ?? [])) {
    if (!OPERATORS.has(String(filter.operator)))
      return `Unknown operator ${String(filter.operator)}`;
    if (!schema.has(String(filter.propertyName))) {
      return `Property "${String(filter.propertyName)}" does not exist`;
    }
  }

  return null;
}

function defaultSchema(contacts: FakeContact[]): string[] {
  return [
    ...STANDARD_PROPERTIES,
    ...contacts.flatMap((contact) => Object.keys(contact.properties)),
  ];
}

function matchesGroups(contact: FakeContact, groups: Array<{ filters?: SearchFilter[] }>): boolean {
  if (groups.length === 0) return true;

  return groups.some((group) =>
    (group.filters ?? []).every((filter) => matchesFilter(contact, filter)),
  );
}

function matchesFilter(contact: FakeContact, filter: SearchFilter): boolean {
  const actual = propertyValue(contact, String(filter.propertyName));
  const value = filter.value === undefined ? '' : String(filter.value);
  const present = actual !== null && actual !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'EQ':
      return present && compare(actual, value) === 0;
    case 'NEQ':
      return !present || compare(actual, value) !== 0;
    case 'IN':
      return present && asStrings(filter.values).some((item) => compare(actual, item) === 0);
    case 'NOT_IN':
      return !present || asStrings(filter.values).every((item) => compare(actual, item) !== 0);
    case 'LT':
      return present && compare(actual, value) < 0;
    case 'LTE':
      return present && compare(actual, value) <= 0;
    case 'GT':
      return present && compare(actual, value) > 0;
    case 'GTE':
      return present && compare(actual, value) >= 0;
    case 'BETWEEN':
      return (
        present && compare(actual, value) >= 0 && compare(actual, String(filter.highValue)) <= 0
      );
    case 'CONTAINS_TOKEN':
      return present && containsToken(actual, value);
    case 'NOT_CONTAINS_TOKEN':
      return !present || !containsToken(actual, value);
    default:
      return false;
  }
}

function propertyValue(contact: FakeContact, name: string): string | null {
  if (name === 'hs_object_id') return contact.id;

  return contact.properties[name] ?? null;
}

/**
 * Compares a stored value with a filter value. An epoch-millisecond filter value compares with a
 * stored date or number numerically, and anything else compares as case-insensitive strings.
 */
function compare(actual: string, expected: string): number {
  if (/^\d+$/.test(expected)) {
    const actualMs = toNumber(actual);
    if (!Number.isNaN(actualMs)) return Math.sign(actualMs - Number(expected));
  }

  return actual.toLowerCase().localeCompare(expected.toLowerCase());
}

// Parsing the same createdate strings on every request dominates large paging tests.
const parsedNumbers = new Map<string, number>();

function toNumber(value: string): number {
  let parsed = parsedNumbers.get(value);
  if (parsed === undefined) {
    parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
    if (parsedNumbers.size > 100_000) parsedNumbers.clear();
    parsedNumbers.set(value, parsed);
  }

  return parsed;
}

function containsToken(actual: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

  return actual
    .toLowerCase()
    .split(/[^\p{L}\p{N}@.]+/u)
    .some((word) => pattern.test(word));
}

function asStrings(values: unknown): string[] {
  return Array.isArray(values) ? values.map(String) : [];
}

function sortContacts(contacts: FakeContact[], sorts: unknown[]): FakeContact[] {
  const byId = [...contacts].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const sort = parseSort(sorts[0]);
  if (!sort) return byId;
  const keys = new Map(byId.map((contact) => [contact, sortKey(contact, sort.propertyName)]));
  const direction = sort.descending ? -1 : 1;

  // Array.prototype.sort is stable, so equal keys stay in id order.
  return byId.sort((a, b) => {
    const left = keys.get(a) as string | number;
    const right = keys.get(b) as string | number;
    const order =
      typeof left === 'number' && typeof right === 'number'
        ? left - right
        : String(left).localeCompare(String(right));

    return Math.sign(order) * direction;
  });
}

function sortKey(contact: FakeContact, propertyName: string): string | number {
  const value = propertyValue(contact, propertyName) ?? '';
  const ms = toNumber(value);

  return Number.isNaN(ms) ? value : ms;
}

/** Accepts the REST form `{propertyName, direction}` and the SDK README form `"-createdate"`. */
function parseSort(sort: unknown): { propertyName: string; descending: boolean } | null {
  if (typeof sort === 'string') {
    return { propertyName: sort.replace(/^-/, ''), descending: sort.startsWith('-') };
  }
  if (typeof sort === 'object' && sort !== null && 'propertyName' in sort) {
    const { propertyName, direction } = sort as { propertyName: string; direction?: string };
    return { propertyName, descending: direction === 'DESCENDING' };
  }

  return null;
}

function toResult(contact: FakeContact, requested: string[], schema: Set<string>) {
  const properties: Record<string, string | null> = {};
  for (const name of requested) {
    if (schema.has(name)) properties[name] = propertyValue(contact, name);
  }
  const createdAt = contact.properties.createdate ?? '2026-01-01T00:00:00.000Z';

  return {
    id: contact.id,
    properties,
    createdAt,
    updatedAt: contact.updatedAt ?? contact.properties.lastmodifieddate ?? createdAt,
    archived: false,
  };
}

function errorBody(message: string, category: string) {
  return { status: 'error', message, correlationId: randomUUID(), category };
}

function sendScripted(response: ServerResponse, scripted: FakeResponse): void {
  if (scripted.hang) return;
  if (scripted.rawBody !== undefined) {
    response.writeHead(scripted.status, {
      'content-type': 'application/json;charset=utf-8',
      ...scripted.headers,
    });
    response.end(scripted.rawBody);
    return;
  }
  send(response, scripted.status, scripted.body ?? {}, scripted.headers);
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
