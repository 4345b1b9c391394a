import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkLines,
  escapeInline,
  escapeMrkdwn,
  truncateMrkdwn,
  truncatePlain,
} from '../../src/slack/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it.each([
    { case: 'channel mention', input: '<!channel> sale', expected: '&lt;!channel&gt; sale' },
    { case: 'user mention', input: '<@U0123ABC>', expected: '&lt;@U0123ABC&gt;' },
    {
      case: 'link',
      input: '<https://evil.example|click>',
      expected: '&lt;https://evil.example|click&gt;',
    },
    { case: 'ampersand', input: 'R&D', expected: 'R&amp;D' },
    { case: 'existing entity', input: '&lt;', expected: '&amp;lt;' },
    { case: 'formatting kept', input: '*bold* _it_ ~s~ `c`', expected: '*bold* _it_ ~s~ `c`' },
    { case: 'unicode kept', input: 'Café 🚀 «Sale»', expected: 'Café 🚀 «Sale»' },
  ])('escapes $case', ({ input, expected }) => {
    const escaped = escapeMrkdwn(input);

    expect(escaped).toBe(expected);
  });

  it('leaves no angle bracket for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const escaped = escapeMrkdwn(input);

        expect(escaped).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('escapeInline', () => {
  it('removes control characters and newlines', () => {
    const escaped = escapeInline('a\u0000b\u0007c\nd\te\u009f');

    expect(escaped).toBe('abc d e');
  });
});

describe('truncateMrkdwn', () => {
  it.each([
    { max: 4, expected: 'abc…' },
    { max: 5, expected: 'abc…' },
    { max: 7, expected: 'abc…' },
    { max: 9, expected: 'abc&amp;…' },
  ])('never splits an entity at $max', ({ max, expected }) => {
    const cut = truncateMrkdwn('abc&amp;defgh', max);

    expect(cut).toBe(expected);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMrkdwn('ab🚀cd', 4);

    expect(cut).toBe('ab…');
  });

  it('keeps every cut within the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.integer({ min: 1, max: 40 }),
        (input, max) => {
          const cut = truncateMrkdwn(escapeMrkdwn(input), max);

          expect(cut.length).toBeLessThanOrEqual(Math.max(max, 1));
          expect(cut).not.toMatch(/&[a-z]{0,3}…$/);
        },
      ),
    );
  });
});

describe('truncatePlain', () => {
  it('cuts to the limit with an ellipsis', () => {
    const cut = truncatePlain('x'.repeat(200), 150);

    expect(cut).toHaveLength(150);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('chunkLines', () => {
  it('packs lines within the limit', () => {
    const lines = Array.from({ length: 100 }, (_, index) => `line ${index} ${'y'.repeat(50)}`);

    const chunks = chunkLines(lines, 3000);

    expect(chunks.every((chunk) => chunk.length <= 3000)).toBe(true);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
  });

  it('truncates a single line above the limit', () => {
    const chunks = chunkLines(['short', 'z'.repeat(5000)], 3000);

    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toHaveLength(3000);
  });
});
