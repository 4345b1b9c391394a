import { InputError, SourceError } from '../../shared/errors.ts';
import type { RawPayload } from '../../shared/types.ts';
import type { ContactProperties } from './contact-fields.ts';

/** A contact as attribution reads it, without names or email addresses. */
export interface HubSpotContact {
  id: string;
  createdAt: string;
  properties: ContactProperties;
}

/**
 * Reads the contacts of a HubSpot raw payload (search response pages), once each by id.
 * Throws a SourceError naming the page when a page is not a search response.
 */
export function contactsFromPayload(payload: RawPayload): HubSpotContact[] {
  if (payload.key.source !== 'hubspot') {
    throw new InputError(
      'payload_source_mismatch',
      `Expected a HubSpot payload, got ${payload.key.source}`,
      {
        fix: 'pass the payload whose key.source is "hubspot"',
      },
    );
  }
  const contacts = new Map<string, HubSpotContact>();
  for (const [index, page] of payload.pages.entries()) {
    for (const result of pageResults(page, index, payload)) {
      const contact = toContact(result, index, payload);
      if (!contacts.has(contact.id)) contacts.set(contact.id, contact);
    }
  }

  return [...contacts.values()];
}

function pageResults(page: unknown, index: number, payload: RawPayload): unknown[] {
  const results = (page as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw invalidPayload(payload, `page ${index} has no results list`);

  return results;
}

function toContact(result: unknown, pageIndex: number, payload: RawPayload): HubSpotContact {
  const { id, createdAt, properties } = (result ?? {}) as Record<string, unknown>;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof properties !== 'object') {
    throw invalidPayload(payload, `page ${pageIndex} has a result without id or properties`);
  }
  const values: ContactProperties = {};
  for (const [name, value] of Object.entries(properties ?? {})) {
    values[name] = typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  }

  return {
    id: String(id),
    createdAt: typeof createdAt === 'string' ? createdAt : (values.createdate ?? ''),
    properties: values,
  };
}

function invalidPayload(payload: RawPayload, problem: string): SourceError {
  const { account, weekStart, runId } = payload.key;

  return new SourceError(
    'hubspot_payload_invalid',
    `HubSpot payload of ${account} for ${weekStart} (run ${runId}) is invalid: ${problem}`,
    { fix: 'fetch the week again; an archived payload must hold HubSpot search responses' },
  );
}
