import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/bot/help-text.ts';

describe('helpText', () => {
  it('describes --email without again', () => {
    const text = helpText();

    expect(text).toContain('Admins can add `--email` to email the report as well.');
  });

  it('names the staged command', () => {
    const text = helpText('/adreport-dev');

    expect(text).toContain('`/adreport-dev week [YYYY-MM-DD | last]`');
  });
});
