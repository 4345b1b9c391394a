import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../src/config/locate-json-error.ts';

function locate(text: string) {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return locateJsonError(text, error as SyntaxError);
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid JSON`);
}

describe('locateJsonError', () => {
  it.each([
    { case: 'trailing comma', text: '{\n  "a": 1,\n}', line: 3, column: 1 },
    { case: 'unexpected token', text: '{\n  "a": x\n}', line: 2, column: 8 },
    { case: 'doubled comma', text: '{\n  "a": [1, 2,, 3]\n}', line: 2, column: 14 },
    { case: 'missing colon', text: '{"a" 1}', line: 1, column: 6 },
    { case: 'text after the value', text: '{"a":1}}', line: 1, column: 8 },
    { case: 'truncated file', text: '{\n  "reports": [', line: 2, column: 15 },
    { case: 'empty file', text: '', line: 1, column: 1 },
    { case: 'byte-order mark', text: '\uFEFF{\n "a": @}', line: 2, column: 7 },
  ])('returns line and column for $case', ({ text, line, column }) => {
    const location = locate(text);

    expect(location.line).toBe(line);
    expect(location.column).toBe(column);
  });

  it('drops the offset and the quoted input from the reason', () => {
    const location = locate('{\n  "a": x\n}');

    expect(location.reason).toBe("Unexpected token 'x'");
  });

  it('drops the position of an offset error', () => {
    expect(locate('{"a" 1}').reason).toBe("Expected ':' after property name");
  });
});
