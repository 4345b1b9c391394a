import { describe, expect, it } from 'vitest';
import type { RunMeasurement, ServiceRequests } from '../../../bench/lib/measure-run.ts';
import { type BenchResults, renderBenchPage } from '../../../bench/lib/render-bench-page.ts';
import type { SiblingResult } from '../../../bench/lib/run-sibling-bench.ts';
import {
  findScaleFindings,
  type ScaleCase,
  summariseCase,
} from '../../../bench/lib/summarise-scale.ts';
import type { PipelineScaleResults } from '../../../bench/pipeline-scale.ts';

const REQUESTS: ServiceRequests = {
  graph: { account: 5, insights: 20 },
  hubspot: 76,
  anthropic: 1,
  secretsManager: 1,
  slack: { 'chat.postMessage': 1 },
  dynamodb: { BatchGetItem: 161, Query: 5, GetItem: 25 },
  dynamodbItemsRead: { BatchGetItem: 15_015, Query: 55, GetItem: 25 },
  s3: { PutObject: 30 },
  ses: { SendRawEmail: 1 },
};

function run(handlerMs: number, overrides: Partial<RunMeasurement> = {}): RunMeasurement {
  return {
    handlerMs,
    processMs: handlerMs + 1000,
    maxRssMb: 440,
    output: { outcome: 'delivered', email: 'sent', slack: 'posted' },
    error: null,
    steps: { fetch: 20_000, store: 7000 },
    requests: REQUESTS,
    emulatorBusyMs: { dynamodb: 9000, s3: 300 },
    promptChars: 46_000,
    email: {
      to: ['marketing@example.com'],
      subject: 'Weekly',
      messageBytes: 137_803,
      htmlBytes: 88_108,
      textBytes: 9000,
      attachments: [],
    },
    logFile: '/tmp/x.log',
    ...overrides,
  };
}

function pipeline(): PipelineScaleResults {
  const base: ScaleCase = {
    campaigns: 1000,
    historyWeeks: 12,
    runs: 3,
    pageSize: 5000,
    sourceMaps: true,
    purpose: 'scale',
  };
  const facts = {
    seed: { runs: 3, durationMs: 60_000 },
    rawInsightsChars: 2_000_000,
    reportWeekLeads: 3700,
  };
  const cases = [
    summariseCase(base, facts, [run(36_000), run(33_000), run(41_000)]),
    summariseCase({ ...base, runs: 1, pageSize: 25 }, facts, [
      run(38_000, { requests: { ...REQUESTS, graph: { account: 5, insights: 779 } } }),
    ]),
  ];

  return {
    mode: 'bundle',
    modeReason: null,
    bundle: { entryBytes: 7_044_471, totalBytes: 28_532_503, buildMs: 10_000 },
    reportWeek: { start: '2026-11-23', end: '2026-11-29' },
    shape: { properties: 5, adsetsPerCampaign: 5, seed: 1, fetchWeeks: 4 },
    cases,
    findings: findScaleFindings(cases),
    durationMs: 300_000,
  };
}

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    generatedAt: '2026-12-04T17:00:00.000Z',
    durationMs: 420_000,
    machine: {
      cpuModel: 'AMD EPYC',
      cpus: 2,
      memoryGiB: 23.5,
      node: 'v20.20.2',
      platform: 'linux x64',
      date: '2026-12-04T17:00:00.000Z',
    },
    pipeline: pipeline(),
    pipelineError: null,
    siblings: [],
    ...overrides,
  };
}

describe('renderBenchPage', () => {
  it('states the machine', () => {
    expect(renderBenchPage(results())).toContain(
      '| AMD EPYC | 2 | 23.5 GiB | v20.20.2 | linux x64 |',
    );
  });

  it('marks a missed wall-time target', () => {
    expect(renderBenchPage(results())).toContain(
      '| Wall time, 1,000 campaigns | under 10.0 s | 36.0 s, 26.0 s over | no |',
    );
  });

  it('shows the median with its range', () => {
    expect(renderBenchPage(results())).toContain('36.00 s (33.00 s–41.00 s)');
  });

  it('compares Graph requests with the default page size', () => {
    expect(renderBenchPage(results())).toContain('784 with `limit` 25');
  });

  it('explains the HubSpot pacing', () => {
    expect(renderBenchPage(results())).toContain('pacing alone takes at least 18 s');
  });

  it('says when the weekly-run measurement failed', () => {
    const page = renderBenchPage(results({ pipeline: null, pipelineError: 'bundle crashed' }));

    expect(page).toContain('The weekly-run measurement failed');
    expect(page).toContain('bundle crashed');
  });

  it('says when a sibling benchmark failed', () => {
    const failed: SiblingResult = {
      script: 'bench:bot',
      jsonPath: 'docs/bench/bot.json',
      markdownPath: null,
      status: 'failed',
      exitCode: 1,
      durationMs: 2000,
      data: null,
      detail: 'exited with 1: Cannot find module',
    };

    const page = renderBenchPage(results({ siblings: [failed] }));

    expect(page).toContain('This run of `npm run bench:bot` failed');
    expect(page).toContain('Cannot find module');
  });
});
