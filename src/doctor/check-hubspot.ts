import { z } from 'zod';
import { buildFilterGroups } from '../sources/hubspot/build-filter-groups.ts';
import { classifySearchError } from '../sources/hubspot/classify-search-error.ts';
import { CLIENT_CALL_OPTIONS, createHubSpotClient } from '../sources/hubspot/hubspot-client.ts';
import { type CheckSection, fail, failFromError, pass } from './check-result.ts';
import { describeBadResponse, describeRequestError } from './describe-request-error.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';

const SUBJECT = 'Contacts search';
const WEEK_MS = 7 * 86_400_000;
const SEARCH_PATH = '/crm/v3/objects/contacts/search';
const BASE_URL_FIX =
  'check the network and hubspot.baseUrl (or ADREPORT_HUBSPOT_BASE_URL), then run doctor again';

/** The part of a search response the check reads; anything else is not HubSpot's API. */
const searchPageSchema = z.object({ total: z.number().int().nonnegative() });

/**
 * Runs the contacts search the pipeline runs (`POST /crm/v3/objects/contacts/search`) with the
 * configured lead filters over the last 7 days and `limit: 1`. Success proves the token, its
 * `crm.objects.contacts.read` scope and the filter property names at once.
 */
export async function checkHubSpot(context: DoctorContext): Promise<CheckSection> {
  const token = context.secrets.HUBSPOT_ACCESS_TOKEN;
  if (!token) {
    return {
      title: 'HubSpot',
      results: [
        fail(
          'Access token',
          'HUBSPOT_ACCESS_TOKEN is not set',
          'create a private app with the crm.objects.contacts.read scope and store its token as HUBSPOT_ACCESS_TOKEN',
        ),
      ],
    };
  }

  return { title: 'HubSpot', results: [await searchLeads(context, token)] };
}

async function searchLeads(context: DoctorContext, token: string) {
  const baseUrl = resolveBaseUrls(context.config, context.env).hubspot;
  const endMs = context.now().getTime();
  const url = `${baseUrl.replace(/\/+$/, '')}${SEARCH_PATH}`;
  try {
    const client = createHubSpotClient({
      baseUrl,
      accessToken: token,
      timeoutMs: context.timeoutMs,
    });
    const filterGroups = buildFilterGroups(context.config.hubspot.leadFilterGroups, {
      startMs: endMs - WEEK_MS,
      endMs,
    });
    // Without the call options the SDK skips the client's timeout agent and can wait forever.
    const response = await client.crm.contacts.searchApi.doSearchWithHttpInfo(
      { filterGroups, properties: ['createdate'], limit: 1 },
      CLIENT_CALL_OPTIONS,
    );
    const page = searchPageSchema.safeParse(response.data);
    if (!page.success) {
      return fail(
        SUBJECT,
        describeBadResponse(response.httpStatusCode, url, 'not a contacts search response'),
        BASE_URL_FIX,
      );
    }

    return pass(SUBJECT, `works; ${page.data.total} lead contacts created in the last 7 days`);
  } catch (error) {
    return describeSearchFailure(error, { url, now: context.now(), timeoutMs: context.timeoutMs });
  }
}

function describeSearchFailure(
  error: unknown,
  request: { url: string; now: Date; timeoutMs: number },
) {
  const failure = classifySearchError(error, request.now);
  if (failure?.kind === 'permanent')
    return failFromError(SUBJECT, failure.error, 'check the token');
  if (failure?.kind === 'rate_limited') {
    return fail(
      SUBJECT,
      `rate limited (HTTP 429): ${failure.reason}`,
      'run doctor again in a minute',
    );
  }
  if (failure?.kind === 'transient') {
    let detail = describeRequestError(error, request.url, request.timeoutMs);
    if (failure.status !== null)
      detail = describeBadResponse(failure.status, request.url, failure.reason);
    else if (failure.reason.startsWith('malformed'))
      detail = `${request.url} sent a ${failure.reason}`;

    return fail(SUBJECT, detail, BASE_URL_FIX);
  }

  return failFromError(SUBJECT, error, 'check hubspot.leadFilterGroups and hubspot.baseUrl');
}
