import { describe, expect, it } from 'vitest';
import { parseSecretValue } from '../../src/config/parse-secret-value.ts';
import { ConfigError } from '../../src/shared/errors.ts';

describe('parseSecretValue', () => {
  it('keeps known keys, trimmed', () => {
    const secrets = parseSecretValue(
      JSON.stringify({ SLACK_BOT_TOKEN: ' xoxb-1 ', OTHER: 'x' }),
      'adreport/test',
    );

    expect(secrets).toEqual({ SLACK_BOT_TOKEN: 'xoxb-1' });
  });

  it('drops blank and non-string values', () => {
    const secrets = parseSecretValue(
      JSON.stringify({ META_ACCESS_TOKEN: '  ', HUBSPOT_ACCESS_TOKEN: 42 }),
      'adreport/test',
    );

    expect(secrets).toEqual({});
  });

  it.each([undefined, '', 'not json'])('rejects %j as invalid', (text) => {
    const error = (() => {
      try {
        parseSecretValue(text, 'adreport/test');
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('secret_invalid');
    expect((error as ConfigError).message).toContain('adreport/test');
  });
});
