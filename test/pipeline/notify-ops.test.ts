import { describe, expect, it } from 'vitest';
import { opsMessage } from '../../src/pipeline/notify-ops.ts';
import type { RunResult } from '../../src/pipeline/types.ts';

const RESULT: RunResult = {
  runId: 'run-1',
  reportId: 'acme',
  week: { start: '2026-11-23', end: '2026-11-29' },
  outcome: 'degraded',
  report: null,
  outputFiles: [],
  email: { status: 'sent' },
  slack: { status: 'failed', error: 'channel_not_found' },
  notes: ['Slack summary not posted'],
};

describe('opsMessage', () => {
  it('gives the CLI commands locally', () => {
    const text = opsMessage(RESULT);

    expect(text).toContain(
      'if Meta or HubSpot data was missing, run the week again: adreport run --report acme --week 2026-11-23',
    );
    expect(text).toContain(
      'Otherwise rebuild it from the archived payloads: adreport replay --report acme --week 2026-11-23',
    );
  });

  it('invokes the worker when deployed', () => {
    const text = opsMessage(RESULT, { workerFunctionName: 'adreport-worker' });

    expect(text).toContain(
      `Otherwise rebuild it from the archived payloads: aws lambda invoke --function-name adreport-worker --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{"kind":"replay","reportId":"acme","weekStart":"2026-11-23"}' /dev/null`,
    );
    expect(text).toContain('"kind":"schedule","reportId":"acme"');
    expect(text).not.toContain('adreport replay');
  });
});
