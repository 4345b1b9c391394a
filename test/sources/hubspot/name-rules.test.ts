import { describe, expect, it } from 'vitest';
import { propertySchema } from '../../../src/config/schema.ts';
import { ConfigError } from '../../../src/shared/errors.ts';
import { compileNameRules } from '../../../src/sources/hubspot/name-rules.ts';

function property(id: string, patterns: string[]) {
  return propertySchema.parse({
    id,
    name: id,
    metaAdAccountId: 'act_1',
    hubspot: {
      nameRules: patterns.map((pattern) => ({ pattern, campaignId: '100', adsetId: '101' })),
    },
  });
}

describe('compileNameRules', () => {
  it('compiles rules case-insensitively in order', () => {
    const rules = compileNameRules([property('a', ['^spring']), property('b', ['fall$'])]);

    expect(rules.map((rule) => rule.source)).toEqual([
      'a.hubspot.nameRules[0]',
      'b.hubspot.nameRules[0]',
    ]);
    expect(rules[0]?.pattern.test('SPRING promo')).toBe(true);
    expect(rules[1]).toMatchObject({ propertyId: 'b', campaignId: '100', adsetId: '101' });
  });

  it('throws a ConfigError naming the bad rule', () => {
    const compile = () => compileNameRules([property('harbor-view', ['ok', '(unclosed'])]);

    expect(compile).toThrow(ConfigError);
    expect(compile).toThrow(/harbor-view\.hubspot\.nameRules\[1\]: "\(unclosed"/);
  });
});
