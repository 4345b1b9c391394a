import { bearerToken, type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

export interface HubSpotFakeOptions {
  token: string;
  /** Answer 403 as HubSpot does for a token without the contacts read scope. */
  missingScope?: boolean;
  /** Property names the portal knows; filtering on any other gives HTTP 400. */
  properties?: string[];
  /** `total` of a successful search. */
  total?: number;
  /** Answer every search with this HTTP status and HubSpot's error body. */
  failWith?: { status: number; message: string };
}

const SEARCH_PATH = '/crm/v3/objects/contacts/search';

/** Starts a loopback HubSpot that answers the contacts search with HubSpot's bodies and statuses. */
export function startHubSpotFake(options: HubSpotFakeOptions): Promise<LoopbackServer> {
  const known = new Set(options.properties ?? ['createdate', 'hs_analytics_source']);

  return startLoopbackServer((request) => {
    if (request.method !== 'POST' || request.url.pathname !== SEARCH_PATH) {
      return { status: 404, body: hubspotError('NOT_FOUND', 'Not found') };
    }
    if (bearerToken(request) !== options.token) {
      return {
        status: 401,
        body: hubspotError('INVALID_AUTHENTICATION', 'Authentication credentials not found.'),
      };
    }
    if (options.missingScope) {
      return {
        status: 403,
        body: hubspotError(
          'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        ),
      };
    }
    if (options.failWith) {
      return {
        status: options.failWith.status,
        body: hubspotError('ERROR', options.failWith.message),
      };
    }
    const search = JSON.parse(request.body) as {
      filterGroups?: Array<{ filters: Array<{ propertyName: string }> }>;
    };
    const unknown = (search.filterGroups ?? [])
      .flatMap((group) => group.filters)
      .find((filter) => !known.has(filter.propertyName));
    if (unknown) {
      return {
        status: 400,
        body: hubspotError(
          'VALIDATION_ERROR',
          `There was a problem with the request: property ${unknown.propertyName} does not exist`,
        ),
      };
    }

    return { body: { total: options.total ?? 0, results: [] } };
  });
}

function hubspotError(category: string, message: string) {
  return {
    status: 'error',
    message,
    correlationId: '0a1b2c3d-0000-4000-8000-000000000000',
    category,
  };
}
