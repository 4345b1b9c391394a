import { describe, expect, it } from 'vitest';
import { propertySchema } from '../../../src/config/schema.ts';
import {
  type ContactFilter,
  contactFilterProperties,
  matchesContactFilter,
} from '../../../src/sources/hubspot/contact-filter.ts';

describe('matchesContactFilter', () => {
  it.each<{ case: string; filter: ContactFilter; value: string | null; expected: boolean }>([
    {
      case: 'EQ equal',
      filter: { propertyName: 'p', operator: 'EQ', value: 'harbor-view' },
      value: 'harbor-view',
      expected: true,
    },
    {
      case: 'EQ other case',
      filter: { propertyName: 'p', operator: 'EQ', value: 'harbor-view' },
      value: 'Harbor-View',
      expected: true,
    },
    {
      case: 'EQ different',
      filter: { propertyName: 'p', operator: 'EQ', value: 'harbor-view' },
      value: 'maple-court',
      expected: false,
    },
    {
      case: 'EQ unset',
      filter: { propertyName: 'p', operator: 'EQ', value: 'harbor-view' },
      value: null,
      expected: false,
    },
    {
      case: 'NEQ different',
      filter: { propertyName: 'p', operator: 'NEQ', value: 'a' },
      value: 'b',
      expected: true,
    },
    {
      case: 'NEQ unset',
      filter: { propertyName: 'p', operator: 'NEQ', value: 'a' },
      value: null,
      expected: true,
    },
    {
      case: 'NEQ equal',
      filter: { propertyName: 'p', operator: 'NEQ', value: 'a' },
      value: 'A',
      expected: false,
    },
    {
      case: 'IN listed',
      filter: { propertyName: 'p', operator: 'IN', values: ['a', 'b'] },
      value: 'b',
      expected: true,
    },
    {
      case: 'IN unlisted',
      filter: { propertyName: 'p', operator: 'IN', values: ['a', 'b'] },
      value: 'c',
      expected: false,
    },
    {
      case: 'HAS_PROPERTY set',
      filter: { propertyName: 'p', operator: 'HAS_PROPERTY' },
      value: 'x',
      expected: true,
    },
    {
      case: 'HAS_PROPERTY blank',
      filter: { propertyName: 'p', operator: 'HAS_PROPERTY' },
      value: ' ',
      expected: false,
    },
    {
      case: 'CONTAINS_TOKEN word',
      filter: { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: 'lofts' },
      value: 'Sunset Lofts',
      expected: true,
    },
    {
      case: 'CONTAINS_TOKEN wildcard',
      filter: { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: 'sun*' },
      value: 'Sunset Lofts',
      expected: true,
    },
    {
      case: 'CONTAINS_TOKEN part',
      filter: { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: 'loft' },
      value: 'Sunset Lofts',
      expected: false,
    },
    {
      // A backtracking engine takes about n^5 steps here, so this case would not finish.
      case: 'CONTAINS_TOKEN many stars, long word',
      filter: { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: '*a*a*a*a*b' },
      value: 'a'.repeat(5000),
      expected: false,
    },
    {
      case: 'CONTAINS_TOKEN literal dot',
      filter: { propertyName: 'p', operator: 'CONTAINS_TOKEN', value: 'a.b' },
      value: 'x axb',
      expected: false,
    },
  ])('returns $expected for $case', ({ filter, value, expected }) => {
    expect(matchesContactFilter({ p: value }, filter)).toBe(expected);
  });
});

describe('contactFilterProperties', () => {
  it('lists each filtered property once', () => {
    const property = (id: string, propertyName?: string) =>
      propertySchema.parse({
        id,
        name: id,
        metaAdAccountId: 'act_1',
        hubspot: propertyName ? { contactFilter: { propertyName, value: id } } : {},
      });

    const names = contactFilterProperties([
      property('a', 'client_property'),
      property('b', 'client_property'),
      property('c'),
      property('d', 'region'),
    ]);

    expect(names).toEqual(['client_property', 'region']);
  });
});
