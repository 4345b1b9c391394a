import { describe, expect, it } from 'vitest';
import type { RunMeasurement, ServiceRequests } from '../../../bench/lib/measure-run.ts';
import {
  type CaseResult,
  dynamoReads,
  findScaleFindings,
  type ScaleCase,
  summariseCase,
} from '../../../bench/lib/summarise-scale.ts';
import { InputError } from '../../../src/shared/errors.ts';

function requests(overrides: Partial<ServiceRequests> = {}): ServiceRequests {
  return {
    graph: { account: 5, insights: 20 },
    hubspot: 8,
    anthropic: 1,
    secretsManager: 1,
    slack: { 'chat.postMessage': 1 },
    dynamodb: { BatchGetItem: 17, Query: 5, GetItem: 25, PutItem: 26, BatchWriteItem: 21 },
    dynamodbItemsRead: { BatchGetItem: 1500, Query: 55, GetItem: 25 },
    s3: { PutObject: 30 },
    ses: { SendRawEmail: 1 },
    ...overrides,
  };
}

function run(handlerMs: number, overrides: Partial<RunMeasurement> = {}): RunMeasurement {
  return {
    handlerMs,
    processMs: handlerMs + 900,
    maxRssMb: 250,
    output: { outcome: 'delivered', email: 'sent', slack: 'posted' },
    error: null,
    steps: { fetch: handlerMs / 2, store: handlerMs / 4 },
    requests: requests(),
    emulatorBusyMs: { dynamodb: 100, s3: 10 },
    promptChars: 40_000,
    email: null,
    logFile: '/tmp/run.log',
    ...overrides,
  };
}

const CASE: ScaleCase = {
  campaigns: 100,
  historyWeeks: 12,
  runs: 3,
  pageSize: 5000,
  sourceMaps: true,
  purpose: 'scale',
};
const DATASET = {
  seed: { runs: 3, durationMs: 4000 },
  rawInsightsChars: 90_000,
  reportWeekLeads: 300,
};

describe('summariseCase', () => {
  it('takes the median wall time', () => {
    const result = summariseCase(CASE, DATASET, [run(3000), run(1000), run(2000)]);

    expect(result.handlerMs.median).toBe(2000);
  });

  it('takes the median of each step', () => {
    const result = summariseCase(CASE, DATASET, [run(3000), run(1000), run(2000)]);

    expect(result.steps).toEqual({ fetch: 1000, store: 500 });
  });

  it('estimates tokens at four characters each', () => {
    const result = summariseCase(CASE, DATASET, [run(1000)]);

    expect(result.prompt).toEqual({ chars: 40_000, estimatedTokens: 10_000 });
  });

  it('flags requests that differ between runs', () => {
    const changed = run(1000, { requests: requests({ hubspot: 9 }) });

    const result = summariseCase(CASE, DATASET, [run(1000), changed]);

    expect(result.requestsStable).toBe(false);
  });

  it('reports a failed run by its error', () => {
    const failed = run(1000, { error: 'Error: Run failed', output: null });

    const result = summariseCase(CASE, DATASET, [failed]);

    expect(result.outcomes).toEqual(['error: Error: Run failed']);
  });

  it('throws InputError without runs', () => {
    expect(() => summariseCase(CASE, DATASET, [])).toThrow(InputError);
  });
});

describe('dynamoReads', () => {
  it('adds the read operations only', () => {
    expect(dynamoReads(requests())).toBe(47);
  });
});

describe('findScaleFindings', () => {
  const result = (scaleCase: Partial<ScaleCase>, runs: RunMeasurement[]): CaseResult =>
    summariseCase({ ...CASE, ...scaleCase }, DATASET, runs);
  const cases = [
    result({ campaigns: 10 }, [run(1000)]),
    result({ campaigns: 10, historyWeeks: 104 }, [
      run(1100, { requests: requests({ dynamodb: { Query: 5, BatchGetItem: 18 } }) }),
    ]),
    result({ campaigns: 50 }, [run(1500, { promptChars: 40_000 })]),
    result({ campaigns: 100 }, [run(2000)]),
    result({ campaigns: 1000 }, [run(14_000, { maxRssMb: 600, promptChars: 50_000 })]),
    result({ campaigns: 1000, pageSize: 25 }, [
      run(20_000, { requests: requests({ dynamodb: { Scan: 1 } }) }),
    ]),
  ];
  const findings = findScaleFindings(cases);
  const target = (name: string) => findings.targets.find((t) => t.name.startsWith(name));

  it('divides wall time at 1,000 by 100 campaigns', () => {
    expect(findings.wallTimeGrowth).toBe(7);
  });

  it('divides prompt size at 1,000 by 50 campaigns', () => {
    expect(findings.promptGrowth).toBe(1.25);
  });

  it('counts Scans across every case', () => {
    expect(findings.scans).toBe(1);
  });

  it('compares reads at 12 and 104 weeks', () => {
    expect(findings.historyReads?.weeks104.requests).toBe(23);
  });

  it.each([
    { name: 'Wall time, 1,000', met: false, measured: '14.0 s, 4.0 s over' },
    { name: 'Peak memory', met: false, measured: '600 MB, 88 MB over' },
    { name: 'Wall time growth', met: true, measured: '7.00×' },
    { name: 'DynamoDB Scans', met: false, measured: '1' },
    { name: 'DynamoDB reads', met: false, measured: '-24 requests' },
    { name: 'Claude prompt growth', met: true, measured: '1.25×' },
    { name: 'Email HTML', met: null, measured: 'not measured' },
  ])('checks $name', ({ name, met, measured }) => {
    expect(target(name)).toMatchObject({ met, measured });
  });
});
