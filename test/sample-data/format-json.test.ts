import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../scripts/sample-data/format-json.ts';

describe('formatJson', () => {
  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(formatJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('keeps a short object on one line', () => {
    const text = formatJson({ actions: [{ action_type: 'lead', value: '5' }] });

    expect(text).toBe('{ "actions": [{ "action_type": "lead", "value": "5" }] }\n');
  });

  it('expands an object wider than 100 columns', () => {
    const value = { first: 'a'.repeat(50), second: 'b'.repeat(50) };

    const text = formatJson(value);

    expect(text).toBe(`{\n  "first": "${'a'.repeat(50)}",\n  "second": "${'b'.repeat(50)}"\n}\n`);
  });

  it('writes empty containers inline', () => {
    expect(formatJson({ data: [], paging: {} })).toBe('{ "data": [], "paging": {} }\n');
  });

  it('fits nested lines within 100 columns', () => {
    const value = {
      pages: Array.from({ length: 3 }, (_, page) => ({
        data: Array.from({ length: 4 }, (_, row) => ({
          id: `${page}-${row}`,
          value: 'x'.repeat(30),
        })),
      })),
    };

    const widest = Math.max(
      ...formatJson(value)
        .split('\n')
        .map((line) => line.length),
    );

    expect(widest).toBeLessThanOrEqual(100);
  });
});
