import { describe, expect, it } from 'vitest';
import {
  flattenText,
  MAX_DISPLAY_NAME_LENGTH,
  shortenName,
  shortenNamesInText,
  stripBidiControls,
} from '../../src/shared/display-text.ts';

describe('shortenName', () => {
  it.each([
    { length: MAX_DISPLAY_NAME_LENGTH - 1, expected: 'a'.repeat(MAX_DISPLAY_NAME_LENGTH - 1) },
    { length: MAX_DISPLAY_NAME_LENGTH, expected: 'a'.repeat(MAX_DISPLAY_NAME_LENGTH) },
    {
      length: MAX_DISPLAY_NAME_LENGTH + 1,
      expected: `${'a'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)}…`,
    },
  ])('cuts a name of $length characters', ({ length, expected }) => {
    const shortened = shortenName('a'.repeat(length));

    expect(shortened).toBe(expected);
  });

  it('never splits a surrogate pair', () => {
    const shortened = shortenName(`abc🚀def`, 5);

    expect(shortened).toBe('abc…');
  });

  it('drops a space before the ellipsis', () => {
    const shortened = shortenName('abc defgh', 5);

    expect(shortened).toBe('abc…');
  });
});

describe('stripBidiControls', () => {
  it('removes overrides, embeddings and isolates', () => {
    const stripped = stripBidiControls(
      'a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j',
    );

    expect(stripped).toBe('abcdefghij');
  });

  it('keeps directional marks', () => {
    const stripped = stripBidiControls('a\u200eb\u200fc');

    expect(stripped).toBe('a\u200eb\u200fc');
  });
});

describe('flattenText', () => {
  it.each([
    { case: 'line breaks', text: 'Spring\nOpen\u2028House', expected: 'Spring Open House' },
    { case: 'escape sequences', text: '\u001b[31mRed', expected: '[31mRed' },
    { case: 'bidi overrides', text: ' Lofts \u202eesuoh\u202c ', expected: 'Lofts esuoh' },
  ])('flattens $case', ({ text, expected }) => {
    expect(flattenText(text)).toBe(expected);
  });
});

describe('shortenNamesInText', () => {
  const long = `Sunset Lofts ${'P'.repeat(200)}`;

  it('cuts a full name in a sentence', () => {
    const text = shortenNamesInText(`${long}: spend $10.`, [long], 20);

    expect(text).toBe('Sunset Lofts PPPPPP…: spend $10.');
  });

  it('cuts a longer cut with its ellipsis', () => {
    const text = shortenNamesInText(`ALERT on ${long.slice(0, 119)}…: leads down.`, [long], 20);

    expect(text).toBe('ALERT on Sunset Lofts PPPPPP…: leads down.');
  });

  it('cuts every occurrence', () => {
    const text = shortenNamesInText(`${long} and ${long}`, [long], 20);

    expect(text).toBe('Sunset Lofts PPPPPP… and Sunset Lofts PPPPPP…');
  });

  it('leaves short names and other text alone', () => {
    const text = shortenNamesInText('Harbor View: spend $10.', ['Harbor View', long], 20);

    expect(text).toBe('Harbor View: spend $10.');
  });
});
