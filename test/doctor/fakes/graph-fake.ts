import {
  bearerToken,
  type FakeResponse,
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
} from './loopback-server.ts';

/** A Graph API error as Meta sends it inside `{"error": …}`. */
export interface FakeGraphError {
  code: number;
  subcode?: number;
  message: string;
}

export type FakeAdAccount =
  | { name: string; currency: string; timezone_name: string; account_status: number }
  | { error: FakeGraphError };

export interface GraphFakeOptions {
  /** The system user token the fake accepts; any other gets error 190. */
  token: string;
  /** The app access token (`<app id>|<app secret>`) that `debug_token` accepts. */
  appToken?: string;
  /** What `debug_token` reports about the system user token. */
  debug?: { type?: string; expiresAt?: number; scopes?: string[]; isValid?: boolean };
  /** What `/me/permissions` lists. */
  permissions?: Array<{ permission: string; status: string }>;
  accounts?: Record<string, FakeAdAccount>;
  /** `ads_api_access_tier` sent in the `x-ad-account-usage` header of account reads. */
  accessTier?: string;
}

const VERSION = '/v27.0/';

/**
 * Starts a loopback Graph API with `debug_token`, `/me`, `/me/permissions` and ad account reads.
 * Errors use Meta's body shape (`{"error":{"message","type","code","error_subcode","fbtrace_id"}}`)
 * with HTTP 400.
 */
export function startGraphFake(options: GraphFakeOptions): Promise<LoopbackServer> {
  return startLoopbackServer((request) => route(options, request));
}

function route(options: GraphFakeOptions, request: RecordedRequest): FakeResponse {
  if (!request.url.pathname.startsWith(VERSION)) {
    return graphError({ code: 2500, message: 'Unknown path components' });
  }
  const path = request.url.pathname.slice(VERSION.length);
  const token = bearerToken(request);
  if (path === 'debug_token') return debugToken(options, request, token);
  if (token !== options.token) {
    return graphError({ code: 190, subcode: 467, message: 'Invalid OAuth access token.' });
  }
  if (path === 'me') return { body: { id: '100000000000002', name: 'adreport system user' } };
  if (path === 'me/permissions') return { body: { data: options.permissions ?? [] } };
  const account = options.accounts?.[path];
  if (!account) {
    return graphError({
      code: 100,
      subcode: 33,
      message: `Unsupported get request. Object with ID '${path}' does not exist`,
    });
  }
  if ('error' in account) return graphError(account.error);

  return {
    body: { id: path, ...account },
    headers: {
      'x-ad-account-usage': JSON.stringify({
        acc_id_util_pct: 1,
        reset_time_duration: 0,
        ads_api_access_tier: options.accessTier ?? 'standard_access',
      }),
    },
  };
}

function debugToken(
  options: GraphFakeOptions,
  request: RecordedRequest,
  token: string | null,
): FakeResponse {
  if (!options.appToken || token !== options.appToken) {
    return graphError({ code: 190, message: 'Invalid OAuth access token signature.' });
  }
  const isValid =
    (options.debug?.isValid ?? true) &&
    request.url.searchParams.get('input_token') === options.token;
  const data = isValid
    ? {
        app_id: '100000000000001',
        type: options.debug?.type ?? 'SYSTEM_USER',
        application: 'Example Reports',
        expires_at: options.debug?.expiresAt ?? 0,
        is_valid: true,
        scopes: options.debug?.scopes ?? ['ads_read'],
      }
    : {
        is_valid: false,
        error: { code: 190, message: 'Error validating access token: Session has expired.' },
      };

  return { body: { data } };
}

function graphError(error: FakeGraphError): FakeResponse {
  return {
    status: 400,
    body: {
      error: {
        message: error.message,
        type: 'OAuthException',
        code: error.code,
        ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
        fbtrace_id: 'AFakeTrace1',
      },
    },
  };
}
