import { describe, expect, it } from 'vitest';
import { InputError, SourceError } from '../../../src/shared/errors.ts';
import type { RawPayload } from '../../../src/shared/types.ts';
import { contactsFromPayload } from '../../../src/sources/hubspot/read-contacts.ts';

function payload(pages: unknown[], source: 'hubspot' | 'meta' = 'hubspot'): RawPayload {
  return {
    key: {
      source,
      account: 'acme-weekly',
      weekStart: '2026-11-23',
      runId: 'run-1',
      name: 'contacts',
    },
    fetchedAt: '2026-11-30T07:00:00.000Z',
    request: { url: 'http://127.0.0.1/crm/v3/objects/contacts/search', params: {} },
    pages,
  };
}

describe('contactsFromPayload', () => {
  it('reads each contact once across pages', () => {
    const pages = [
      {
        total: 2,
        results: [
          {
            id: '1',
            properties: { createdate: '2026-11-23T01:00:00.000Z' },
            createdAt: '2026-11-23T01:00:00.000Z',
          },
        ],
      },
      {
        total: 2,
        results: [
          { id: '1', properties: {} },
          { id: '2', properties: { utm_campaign: 'x' } },
        ],
      },
    ];

    const contacts = contactsFromPayload(payload(pages));

    expect(contacts.map((contact) => contact.id)).toEqual(['1', '2']);
    expect(contacts[0]?.createdAt).toBe('2026-11-23T01:00:00.000Z');
  });

  it('turns numbers into strings and others into null', () => {
    const pages = [{ results: [{ id: 5, properties: { a: 12, b: true, c: null, d: 'x' } }] }];

    const [contact] = contactsFromPayload(payload(pages));

    expect(contact).toEqual({
      id: '5',
      createdAt: '',
      properties: { a: '12', b: null, c: null, d: 'x' },
    });
  });

  it.each([
    { case: 'a page without results', pages: [{ total: 1 }] },
    { case: 'a null page', pages: [null] },
    { case: 'a result without id', pages: [{ results: [{ properties: {} }] }] },
  ])('throws for $case', ({ pages }) => {
    const read = () => contactsFromPayload(payload(pages));

    expect(read).toThrow(SourceError);
    expect(read).toThrow(/acme-weekly for 2026-11-23 \(run run-1\)/);
  });

  it('throws for a Meta payload', () => {
    expect(() => contactsFromPayload(payload([], 'meta'))).toThrow(InputError);
  });
});
