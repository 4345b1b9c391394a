import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkLines,
  escapeInline,
  escapeMrkdwn,
  escapeName,
  replaceFormattingMarks,
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

describe('stripControlCharacters via escapeInline', () => {
  it.each([
    { case: 'right-to-left override', input: 'a\u202eb' },
    { case: 'left-to-right embedding', input: 'a\u202ab' },
    { case: 'pop directional formatting', input: 'a\u202cb' },
    { case: 'first strong isolate', input: 'a\u2068b' },
    { case: 'pop directional isolate', input: 'a\u2069b' },
  ])('removes a $case', ({ input }) => {
    const escaped = escapeInline(input);

    expect(escaped).toBe('ab');
  });

  it('keeps a right-to-left mark', () => {
    const escaped = escapeInline('a\u200fb');

    expect(escaped).toBe('a\u200fb');
  });
});

describe('replaceFormattingMarks', () => {
  it('replaces every formatting mark', () => {
    const replaced = replaceFormattingMarks('*bold* _it_ ~s~ `c`');

    expect(replaced).toBe('\u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbc\u02cb');
  });

  it('keeps underscores inside a word', () => {
    const replaced = replaceFormattingMarks('act_4410000002 snake_case_name');

    expect(replaced).toBe('act_4410000002 snake_case_name');
  });

  it('leaves no mark that can open a span', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const replaced = replaceFormattingMarks(input);

        expect(replaced).not.toMatch(/[*~`]/);
        expect(replaced).not.toMatch(/(^|[^\p{L}\p{N}])_|_($|[^\p{L}\p{N}])/u);
      }),
    );
  });
});

describe('escapeName', () => {
  it('cuts a long name to 80 characters', () => {
    const escaped = escapeName('x'.repeat(3000));

    expect(escaped).toBe(`${'x'.repeat(79)}…`);
  });

  it('keeps a name of 80 characters', () => {
    const escaped = escapeName('y'.repeat(80));

    expect(escaped).toBe('y'.repeat(80));
  });

  it('cuts before escaping, so no entity splits', () => {
    const escaped = escapeName('&'.repeat(100));

    expect(escaped).toBe(`${'&amp;'.repeat(79)}…`);
  });

  it('escapes marks, pings and overrides together', () => {
    const escaped = escapeName('*New*\u202e <!channel>\n_sale_');

    expect(escaped).toBe('\u2217New\u2217 &lt;!channel&gt; \u02cdsale\u02cd');
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
