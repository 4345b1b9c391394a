import { RE2JS } from 're2js';
import type { PropertyConfig } from '../../config/schema.ts';
import type { ContactProperties } from './contact-fields.ts';

/** A property's `hubspot.contactFilter`: which contacts belong to that property. */
export type ContactFilter = NonNullable<PropertyConfig['hubspot']['contactFilter']>;

/**
 * Tests a contact against a property's contact filter, with the search API's operator meanings.
 * NOTE: strings compare case-insensitively, as this project assumes HubSpot's search does. The
 * exact case rule of HubSpot's EQ on strings is not verified.
 */
export function matchesContactFilter(
  properties: ContactProperties,
  filter: ContactFilter,
): boolean {
  const actual = properties[filter.propertyName]?.trim() ?? '';
  const present = actual !== '';
  const equals = (expected: string) => actual.toLowerCase() === expected.trim().toLowerCase();
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'EQ':
      return present && filter.value !== undefined && equals(filter.value);
    case 'NEQ':
      return !present || filter.value === undefined || !equals(filter.value);
    case 'IN':
      return present && (filter.values ?? []).some(equals);
    case 'CONTAINS_TOKEN':
      return present && filter.value !== undefined && containsToken(actual, filter.value);
  }
}

/** Names of the properties that the properties' contact filters read, for the search request. */
export function contactFilterProperties(properties: PropertyConfig[]): string[] {
  const names = properties.flatMap((property) =>
    property.hubspot.contactFilter ? [property.hubspot.contactFilter.propertyName] : [],
  );

  return [...new Set(names)];
}

/** True when a word of `text` equals `token`, where `*` in the token matches any characters. */
function containsToken(text: string, token: string): boolean {
  const pattern = token
    .trim()
    .toLowerCase()
    .split('*')
    .map((part) => RE2JS.quote(part))
    .join('.*');
  // Contact text comes from the person who fills in the form, and a backtracking engine takes polynomial
  // time in a long word for a token with several stars. RE2 matches in linear time.
  const word = RE2JS.compile(`^${pattern}$`);

  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}@.]+/u)
    .some((part) => word.matches(part));
}
