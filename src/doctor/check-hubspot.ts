import { buildFilterGroups } from '../sources/hubspot/build-filter-groups.ts';
import { classifySearchError } from '../sources/hubspot/classify-search-error.ts';
import { createHubSpotClient } from '../sources/hubspot/hubspot-client.ts';
import { type CheckSection, fail, failFromError, pass } from './check-result.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';

const SUBJECT = 'Contacts search';
const WEEK_MS = 7 * 86_400_000;

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
    const page = await client.crm.contacts.searchApi.doSearch({
      filterGroups,
      properties: ['createdate'],
      limit: 1,
    });

    return pass(SUBJECT, `works; ${page.total} lead contacts created in the last 7 days`);
  } catch (error) {
    return describeSearchFailure(error, context.now());
  }
}

function describeSearchFailure(error: unknown, now: Date) {
  const failure = classifySearchError(error, now);
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
    const status = failure.status === null ? '' : ` (HTTP ${failure.status})`;

    return fail(
      SUBJECT,
      `HubSpot did not answer${status}: ${failure.reason}`,
      'check the network and hubspot.baseUrl (or ADREPORT_HUBSPOT_BASE_URL), then run doctor again',
    );
  }

  return failFromError(SUBJECT, error, 'check hubspot.leadFilterGroups and hubspot.baseUrl');
}
