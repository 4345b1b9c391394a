import { describe, expect, it } from 'vitest';
import { renderSiblingSection } from '../../../bench/lib/render-sibling-sections.ts';
import type { SiblingResult } from '../../../bench/lib/run-sibling-bench.ts';

function sibling(overrides: Partial<SiblingResult>): SiblingResult {
  return {
    script: 'bench:signals',
    jsonPath: 'docs/bench/signals.json',
    markdownPath: 'docs/bench/signals.md',
    status: 'ok',
    exitCode: 0,
    durationMs: 21_000,
    data: null,
    detail: null,
    ...overrides,
  };
}

describe('renderSiblingSection', () => {
  it('shows false ALERT rates of the signals benchmark', () => {
    const data = {
      results: [
        {
          market: 'counting noise',
          stationary: { campaignWeeks: 26_000, stability: 54, naive: 21_154 },
          decline: { total: { campaigns: 1000, stability: 443, naive: 994 } },
        },
      ],
    };

    const section = renderSiblingSection(sibling({ data }));

    expect(section).toContain('| counting noise | 0.21 % | 81.36 % | 44.3 % | 99.4 % |');
  });

  it('shows email sizes', () => {
    const data = {
      results: [
        {
          name: '1,000 campaigns',
          htmlBytes: 85_000,
          rawBytes: 145_400,
          campaignRowsShown: 45,
          htmlWithinLimit: true,
        },
      ],
    };

    const section = renderSiblingSection(
      sibling({ script: 'bench:email', jsonPath: 'docs/bench/email.json', data }),
    );

    expect(section).toContain('| 1,000 campaigns | 85.0 KB | 145.4 KB | 45 | yes |');
  });

  it('shows the bot cold start against its baseline', () => {
    const data = {
      adreport: {
        bytes: 2_721_168,
        coldStartMs: { median: 298.05, min: 245.5, max: 376.8, runs: 10 },
      },
      baseline: {
        bytes: 1_618_096,
        coldStartMs: { median: 133.7, min: 121.7, max: 257.7, runs: 10 },
      },
      ratio: 2.23,
      targets: { maxRatio: 1.3, maxMedianMs: 500 },
      meetsTargets: false,
    };

    const section = renderSiblingSection(
      sibling({ script: 'bench:bot', jsonPath: 'docs/bench/bot.json', markdownPath: null, data }),
    );

    expect(section).toContain('| adreport bot bundle | 2.7 MB | 298 ms (246 ms–377 ms) | 10 |');
    expect(section).toContain('Targets met: no.');
  });

  it('lists the figures of an unknown shape', () => {
    const data = { coldStartMs: 812, bundle: { bytes: 3_100_000 } };

    const section = renderSiblingSection(
      sibling({ script: 'bench:bot', jsonPath: 'docs/bench/bot.json', markdownPath: null, data }),
    );

    expect(section).toContain('| coldStartMs | 812 |');
    expect(section).toContain('| bundle.bytes | 3100000 |');
  });

  it('shows figures and the failure of a script that failed after writing', () => {
    const data = { results: [] };

    const section = renderSiblingSection(
      sibling({ status: 'failed', exitCode: 1, data, detail: 'exited with 1: limit broken' }),
    );

    expect(section).toContain(
      'It wrote these figures but then failed: exited with 1: limit broken',
    );
  });

  it('says plainly that a script wrote nothing', () => {
    const section = renderSiblingSection(
      sibling({
        status: 'no_output',
        detail: 'docs/bench/signals.json was not rewritten by this run',
      }),
    );

    expect(section).toContain('wrote no results, so there are no figures here');
  });
});
