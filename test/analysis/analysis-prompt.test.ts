import { describe, expect, it } from 'vitest';
import {
  analysisOutputSchema,
  buildAnalysisRequest,
  buildUserMessage,
  clampOutput,
  OUTPUT_LIMITS,
  SYSTEM_PROMPT,
  usesThinkingBudget,
} from '../../src/analysis/analysis-prompt.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { buildScenario, steadyWeeks } from './analysis-fixtures.ts';

const OPTIONS = {
  model: 'claude-sonnet-5-5',
  effort: 'high' as const,
  timeoutMs: 90_000,
  maxTokens: 16_000,
};
const facts = () =>
  buildScenario([{ id: '101', name: 'Open <house>', weeks: steadyWeeks(60) }]).facts;

describe('buildAnalysisRequest', () => {
  it('asks for adaptive thinking with the configured effort', () => {
    const request = buildAnalysisRequest(facts(), OPTIONS);

    expect(request.thinking).toEqual({ type: 'adaptive' });
    expect(request.output_config?.effort).toBe('high');
  });

  it('never sets a temperature', () => {
    expect(buildAnalysisRequest(facts(), OPTIONS)).not.toHaveProperty('temperature');
  });

  it.each([
    { maxTokens: 4096, budget: 2048 },
    { maxTokens: 2048, budget: 1024 },
  ])('gives an older model a budget of $budget for $maxTokens tokens', ({ maxTokens, budget }) => {
    const request = buildAnalysisRequest(facts(), {
      ...OPTIONS,
      model: 'claude-haiku-4-5',
      maxTokens,
    });

    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
  });

  it('throws ConfigError when no budget fits', () => {
    const build = () =>
      buildAnalysisRequest(facts(), { ...OPTIONS, model: 'claude-haiku-4-5', maxTokens: 2047 });

    expect(build).toThrow(ConfigError);
  });
});

describe('usesThinkingBudget', () => {
  it.each([
    { model: 'claude-haiku-4-5', expected: true },
    { model: 'claude-haiku-4-5-20251001', expected: true },
    { model: 'claude-sonnet-4-20250514', expected: true },
    { model: 'claude-opus-4-6', expected: false },
    { model: 'claude-sonnet-5-5', expected: false },
  ])('returns $expected for $model', ({ model, expected }) => {
    expect(usesThinkingBudget(model)).toBe(expected);
  });
});

describe('buildUserMessage', () => {
  it('escapes angle brackets inside the JSON', () => {
    const message = buildUserMessage(facts());

    expect(message).toContain('Open \\u003chouse\\u003e');
  });

  it('keeps the facts valid JSON', () => {
    const message = buildUserMessage(facts());
    const json = message.slice(message.indexOf('<facts>') + 7, message.indexOf('</facts>'));

    expect(JSON.parse(json).campaigns[0].name).toBe('Open <house>');
  });
});

describe('SYSTEM_PROMPT', () => {
  it.each([
    'FLAT',
    'ALERT',
    'Pass 1',
    'Pass 2',
    'Pass 3',
    'Marketing',
    'Digital/Dev',
    'Leadership',
    '<facts>',
  ])('mentions %s', (word) => {
    expect(SYSTEM_PROMPT).toContain(word);
  });
});

describe('clampOutput', () => {
  it('cuts long text and extra bullets', () => {
    const output = analysisOutputSchema.parse({
      headline: 'h'.repeat(1000),
      weekSummary: Array.from({ length: 10 }, () => 'w'),
      trendSummary: ['x'.repeat(2000)],
      recommendations: { marketing: [' '], digital: [], leadership: [] },
    });

    const clamped = clampOutput(output);

    expect(clamped.headline).toHaveLength(OUTPUT_LIMITS.headline);
    expect(clamped.weekSummary).toHaveLength(OUTPUT_LIMITS.bullets);
    expect(clamped.trendSummary[0]).toHaveLength(OUTPUT_LIMITS.bullet);
    expect(clamped.recommendations.marketing).toEqual([]);
  });
});

describe('analysisOutputSchema', () => {
  it('rejects extra fields', () => {
    const parsed = analysisOutputSchema.safeParse({
      headline: 'h',
      weekSummary: [],
      trendSummary: [],
      recommendations: { marketing: [], digital: [], leadership: [] },
      status: 'ALERT',
    });

    expect(parsed.success).toBe(false);
  });
});
