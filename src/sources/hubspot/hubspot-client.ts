import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import type { PromiseConfigurationOptions } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { InputError } from '../../shared/errors.ts';
import { registerSecret } from '../../shared/logger.ts';

/** Socket inactivity, in milliseconds, after which a HubSpot request fails and may be retried. */
export const DEFAULT_HUBSPOT_TIMEOUT_MS = 30_000;

/**
 * Per-call options that make the SDK run the middleware built from the Client options. In
 * @hubspot/api-client 13.5.0 a call without options skips it, so the Client's `httpAgent` (the
 * timeout agent) and User-Agent header are silently unused. An empty list with the `append`
 * strategy runs the configured middleware unchanged. Pass it as the last argument of every call,
 * e.g. `doSearch(request, CLIENT_CALL_OPTIONS)`.
 */
export const CLIENT_CALL_OPTIONS: PromiseConfigurationOptions = {
  middleware: [],
  middlewareMergeStrategy: 'append',
};

export interface HubSpotClientOptions {
  /** API origin, e.g. `https://api.hubapi.com` or a loopback fake. */
  baseUrl: string;
  /** Private-app access token with the `crm.objects.contacts.read` scope. */
  accessToken: string;
  /** Socket inactivity timeout in milliseconds, 30 s by default. */
  timeoutMs?: number;
}

/**
 * Creates an `@hubspot/api-client` Client for the contacts search.
 *
 * The SDK's own retries stay off (`numberOfApiCallRetries` is not set) because
 * `fetchHubSpotLeads` retries itself. It honours `Retry-After`, bounds the total wait and sleeps
 * through an injectable function, whereas the SDK's RetryDecorator would add waits on real timers. The SDK (13.5.0) has no request timeout, so the HTTP agent destroys a socket that stays
 * silent for `timeoutMs`, which makes the request fail instead of hanging.
 */
export function createHubSpotClient(options: HubSpotClientOptions): Client {
  registerSecret(options.accessToken);
  const basePath = parseBaseUrl(options.baseUrl);
  const client = new Client({
    accessToken: options.accessToken,
    basePath,
    httpAgent: createTimeoutAgent(basePath, options.timeoutMs ?? DEFAULT_HUBSPOT_TIMEOUT_MS),
  });
  // The SDK keeps retry and limiter decorators in a process-wide singleton that every new Client
  // overwrites, and applies them when an API object is first built. Building the search API now
  // binds this client's empty decorator set before any other Client can replace it.
  void client.crm.contacts.searchApi;

  return client;
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new InputError('hubspot_base_url_invalid', `Invalid HubSpot base URL "${baseUrl}"`, {
      fix: 'set hubspot.baseUrl (or ADREPORT_HUBSPOT_BASE_URL) to a URL such as https://api.hubapi.com',
      cause,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('hubspot_base_url_invalid', `Invalid HubSpot base URL "${baseUrl}"`, {
      fix: 'use an http or https URL such as https://api.hubapi.com',
    });
  }

  return baseUrl.replace(/\/+$/, '');
}

/**
 * Builds a keep-alive agent whose sockets are destroyed after `timeoutMs` without traffic. Node
 * only emits `timeout` on a socket, so the agent destroys it, which makes node-fetch reject.
 */
function createTimeoutAgent(basePath: string, timeoutMs: number): http.Agent {
  const agent = basePath.startsWith('https:')
    ? new https.Agent({ keepAlive: true, timeout: timeoutMs })
    : new http.Agent({ keepAlive: true, timeout: timeoutMs });
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = createConnection(connectOptions, callback);
    socket?.on('timeout', () => {
      socket.destroy(new Error(`HubSpot sent no data for ${timeoutMs} ms`));
    });

    return socket;
  };

  return agent;
}
