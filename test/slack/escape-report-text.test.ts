import { describe, expect, it } from 'vitest';
import { MAX_DISPLAY_NAME_LENGTH } from '../../src/shared/display-text.ts';
import { createTextEscaper } from '../../src/slack/escape-report-text.ts';
import { makeProperty, makeReport } from './make-report.ts';

const LONG = `Harbor ${'H'.repeat(150)}`;

describe('createTextEscaper', () => {
  it('cuts a quoted property name', () => {
    const escapeText = createTextEscaper(
      makeReport({ properties: [makeProperty('p', 1, { name: LONG })] }),
    );

    const text = escapeText(`${LONG}: leads down.`);

    expect(text).toBe(`${LONG.slice(0, MAX_DISPLAY_NAME_LENGTH - 1)}…: leads down.`);
  });

  it('cuts a quoted campaign name', () => {
    const property = makeProperty('p', 1, { campaignName: () => LONG });
    const escapeText = createTextEscaper(makeReport({ properties: [property] }));

    const text = escapeText(`Review ${LONG.slice(0, 119)}…: CPL up.`);

    expect(text).toBe(`Review ${LONG.slice(0, MAX_DISPLAY_NAME_LENGTH - 1)}…: CPL up.`);
  });

  it('neutralises marks, pings and line breaks', () => {
    const escapeText = createTextEscaper(makeReport());

    const text = escapeText('*bold* <!channel>\nnext\u202e');

    expect(text).toBe('\u2217bold\u2217 &lt;!channel&gt; next');
  });
});
