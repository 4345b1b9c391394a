/** Runs the rows of the fault table and records what happened, for the assertions and the docs. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { RunResult } from '../../src/pipeline/types.ts';
import { archivePlan, type CallName, type FaultCase, faultCases } from './fault-cases.ts';
import {
  CLAUDE_ANSWER,
  countDeliveries,
  createWorld,
  type Deliveries,
  expectedArchive,
  readArchive,
  type World,
} from './world.ts';

/** Where the suites leave their outcome rows; `render-outcomes.ts` turns them into the docs. */
export const OUTCOMES_DIR = join(import.meta.dirname, '../../out/reliability');

export interface FaultRun {
  world: World;
  result: RunResult;
  deliveries: Deliveries;
  archive: { rawKeys: string[]; manifestKeys: string[] | null };
  expectedKeys: string[];
  /** Requests the proxy matched, faulted or not. */
  attempts: number;
  durationMs: number;
}

export interface OutcomeRow {
  call: string;
  fault: string;
  persistence: string;
  outcome: string;
  email: string;
  slack: string;
  reportEmails: number;
  reportPosts: number;
  opsMessages: number;
  attempts: number;
  archive: string;
  archiveComplete: boolean;
  durationMs: number;
}

/** Starts a world, injects the row's fault and runs the scheduled report once. */
export async function runFaultCase(scenario: FaultCase): Promise<FaultRun> {
  const world = await createWorld();
  // Two Claude replies, because a garbled response uses up the first on its way through the proxy.
  world.anthropic.reply(CLAUDE_ANSWER, CLAUDE_ANSWER);
  const matcher = scenario.matcher(world);
  const times = scenario.persistence === 'once' ? 1 : Number.POSITIVE_INFINITY;
  world.proxies[scenario.proxy].inject(matcher, scenario.response, times);
  const started = performance.now();

  const result = await world.run();

  const durationMs = Math.round(performance.now() - started);
  const archive = await readArchive(world, result.runId);

  return {
    world,
    result,
    deliveries: await countDeliveries(world),
    archive,
    expectedKeys: expectedArchive(world, result.runId, archivePlan(scenario.archive)),
    attempts: world.proxies[scenario.proxy].requestsMatching(matcher).length,
    durationMs,
  };
}

export function outcomeRow(scenario: FaultCase, run: FaultRun): OutcomeRow {
  const manifestOk =
    scenario.archive === 'home only, no manifest'
      ? run.archive.manifestKeys === null
      : JSON.stringify(run.archive.manifestKeys) === JSON.stringify(run.expectedKeys);

  return {
    call: scenario.call,
    fault: scenario.fault,
    persistence: scenario.persistence,
    outcome: run.result.outcome,
    email: run.result.email.status,
    slack: run.result.slack.status,
    reportEmails: run.deliveries.reportEmails,
    reportPosts: run.deliveries.reportPosts,
    opsMessages: run.deliveries.opsMessages,
    attempts: run.attempts,
    archive: scenario.archive,
    archiveComplete:
      JSON.stringify(run.archive.rawKeys) === JSON.stringify(run.expectedKeys) && manifestOk,
    durationMs: run.durationMs,
  };
}

/** Writes one suite's rows to `out/reliability/<suite>.json`. */
export async function writeOutcomes(
  suite: string,
  rows: OutcomeRow[],
  durationMs: number,
): Promise<void> {
  await mkdir(OUTCOMES_DIR, { recursive: true });
  const body = { suite, writtenAt: new Date().toISOString(), durationMs, rows };
  await writeFile(join(OUTCOMES_DIR, `${suite}.json`), `${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Declares one test per applicable fault of `calls` and writes their outcome rows to
 * `out/reliability/<suite>.json` after the last one.
 */
export function describeFaultTable(suite: string, calls: CallName[]): void {
  const rows: OutcomeRow[] = [];
  const started = performance.now();

  afterAll(async () => {
    await writeOutcomes(suite, rows, Math.round(performance.now() - started));
  });

  // The cases spend most of their time in client timeouts and retry waits, so they run side by
  // side. Each world has its own backend, fakes and proxies.
  describe.concurrent('runReport under injected faults', () => {
    it.for(faultCases(calls))('$call: $fault, $persistence', async (scenario, { expect }) => {
      const run = await runFaultCase(scenario);
      try {
        rows.push(outcomeRow(scenario, run));
        const failureContext = JSON.stringify({
          notes: run.result.notes,
          email: run.result.email.error,
          slack: run.result.slack.error,
        });

        expect(run.result.outcome, failureContext).toBe(scenario.outcome);
        expect(run.result.email.status, failureContext).toBe(scenario.email);
        expect(run.result.slack.status, failureContext).toBe(scenario.slack);
        expect(run.deliveries.reportEmails).toBe(scenario.reportEmails);
        expect(run.deliveries.reportPosts).toBe(scenario.reportPosts);
        expect(run.deliveries.opsMessages).toBe(scenario.outcome === 'delivered' ? 0 : 1);
        expect(run.archive.rawKeys).toEqual(run.expectedKeys);
        expect(run.archive.manifestKeys).toEqual(
          scenario.archive === 'home only, no manifest' ? null : run.expectedKeys,
        );
        if (scenario.call.startsWith('Meta') && scenario.persistence === 'persistent') {
          const branch = run.result.report?.properties.find((p) => p.propertyId === 'branch');
          expect(branch?.availability).toBe('unavailable');
          expect(branch?.metrics).toBeNull();
        }
      } finally {
        await run.world.close();
      }
    });
  });
}
