import { describe, expect, it } from 'vitest';
import { propertySchema } from '../../../src/config/schema.ts';
import { ConfigError } from '../../../src/shared/errors.ts';
import {
  compileNamePattern,
  compileNameRules,
  MAX_MATCHED_LENGTH,
  matchesNameRule,
} from '../../../src/sources/hubspot/name-rules.ts';
import { thrownError } from '../../helpers/thrown-error.ts';

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

function ruleFor(pattern: string) {
  const rule = compileNameRules([property('harbor-view', [pattern])])[0];
  if (!rule) throw new Error(`no rule compiled for ${pattern}`);

  return rule;
}

function errorOf(run: () => unknown): ConfigError {
  return thrownError(run, ConfigError);
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
    expect(compile).toThrow(
      /harbor-view\.hubspot\.nameRules\[1\]: invalid regular expression "\(unclosed"/,
    );
  });
});

describe('compileNamePattern', () => {
  it.each([
    ['a backreference', '(hv)_\\1'],
    ['a lookahead', 'spring(?=_promo)'],
    ['a negative lookahead', 'spring(?!_promo)'],
    ['a lookbehind', '(?<=fb_)spring'],
    ['a negative lookbehind', '(?<!fb_)spring'],
  ])('rejects %s', (_case, pattern) => {
    const error = errorOf(() => compileNamePattern(pattern, 'rules[0]', 'name_rule_invalid'));

    expect(error.code).toBe('name_rule_invalid');
    expect(error.message).toContain(`rules[0]: invalid regular expression "${pattern}"`);
    expect(error.fix).toContain('RE2 syntax');
    expect(error.fix).toContain('no backreferences');
  });

  it.each([
    { pattern: '(hv)_\\1', hint: '(a backreference is not supported)' },
    { pattern: '(?<name>hv)_\\k<name>', hint: '(a backreference is not supported)' },
    { pattern: 'spring(?=_promo)', hint: '(lookahead is not supported)' },
    { pattern: 'spring(?!_promo)', hint: '(negative lookahead is not supported)' },
    { pattern: '(?<=fb_)spring', hint: '(lookbehind is not supported)' },
    { pattern: '(?<!fb_)spring', hint: '(negative lookbehind is not supported)' },
    { pattern: 'spring(?>_promo)', hint: '(an atomic group is not supported)' },
    { pattern: 'spring_a++', hint: '(a possessive quantifier is not supported)' },
    { pattern: 'hv_\\d{2}+', hint: '(a possessive quantifier is not supported)' },
  ])('names the missing feature in $pattern', ({ pattern, hint }) => {
    const error = errorOf(() => compileNamePattern(pattern, 'rules[0]', 'name_rule_invalid'));

    expect(error.message).toContain(`"${pattern}" ${hint}`);
  });

  it.each(['(unclosed', 'a\\\\1('])('adds no hint to %s', (pattern) => {
    const error = errorOf(() => compileNamePattern(pattern, 'rules[0]', 'name_rule_invalid'));

    expect(error.message).not.toContain('is not supported');
  });

  it('compiles the patterns RE2 supports', () => {
    const pattern = compileNamePattern('^hv[ _-]?(?<term>q\\d)\\b', 'rules[0]', 'x');

    expect(pattern.test('HV_Q4 students')).toBe(true);
  });
});

describe('matchesNameRule', () => {
  it.each([
    ['^(a|a)+$', `${'a'.repeat(34)}!`, false],
    ['^(a|a)+$', 'a'.repeat(34), true],
    ['^(a+)+$', `${'a'.repeat(34)}!`, false],
    ['(x+x+)+y', 'x'.repeat(MAX_MATCHED_LENGTH), false],
  ])('tests %s on a crafted name', (pattern, text, expected) => {
    expect(matchesNameRule(ruleFor(pattern), text)).toBe(expected);
  });

  it.each([
    ['ends at the cap', MAX_MATCHED_LENGTH - 'spring'.length, true],
    ['crosses the cap', MAX_MATCHED_LENGTH - 'spring'.length + 1, false],
  ])('matches a name that %s only before it', (_case, offset, expected) => {
    const text = `${'a'.repeat(offset)}spring`;

    expect(matchesNameRule(ruleFor('spring'), text)).toBe(expected);
  });

  it('matches non-ASCII letters case-insensitively', () => {
    expect(matchesNameRule(ruleFor('^école'), 'ÉCOLE Nord')).toBe(true);
  });
});
