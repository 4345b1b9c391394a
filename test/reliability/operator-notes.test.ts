/**
 * Notes of a degraded sample run, as an operator reads them. The report's Slack JSON states what
 * failed. The ops email and ops file also give the fix, and only the structured log names the
 * local file. The run uses `openLocal` as `adreport run --sample` does, with a copy of the bundled
 * sample in which one Meta payload is damaged.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, SAMPLE_DIR } from '../../src/cli/context.ts';
import { runReport } from '../../src/pipeline/run-report.ts';
import type { RunResult } from '../../src/pipeline/types.ts';
import { type CapturedOutput, captureOutput } from './capture-output.ts';

const REPORT_ID = 'acme-weekly';
const WEEK = { start: '2026-11-23', end: '2026-11-29' };
const DAMAGED = join('raw', 'meta', 'act_4410000002', WEEK.start, 'insights.json');

let sampleCopy: string;
let result: RunResult;
let slackJson: string;
let opsEmail: string;
let opsFile: string;
let output: CapturedOutput;

beforeAll(async () => {
  sampleCopy = await mkdtemp(join(tmpdir(), 'adreport-operator-notes-'));
  await cp(SAMPLE_DIR, sampleCopy, { recursive: true });
  await writeFile(join(sampleCopy, DAMAGED), '{"key":', 'utf8');
  const session = await openLocal({ sample: true, dataDir: null, outDir: join(sampleCopy, 'out') });
  session.deps.sampleDir = sampleCopy;
  output = captureOutput();
  try {
    result = await runReport(session.deps, { reportId: REPORT_ID, week: WEEK, trigger: 'cli' });
    const emails = await session.backend.readSentEmails();
    opsEmail = emails.find((email) => email.subject?.startsWith('adreport: run'))?.body.text ?? '';
  } finally {
    output.restore();
    await session.close();
  }
  const slackFile = result.outputFiles.find((file) => file.endsWith('-slack.json')) as string;
  slackJson = await readFile(slackFile, 'utf8');
  opsFile = await readFile(join(sampleCopy, 'out', `${REPORT_ID}-${WEEK.start}-ops.txt`), 'utf8');
}, 60_000);

afterAll(() => output?.restore());

describe('a sample run with a damaged file', () => {
  it('is degraded', () => {
    expect(result.outcome).toBe('degraded');
  });

  it('names the payload in the Slack notes', () => {
    expect(slackJson).toContain(
      'The sample file with the Meta insights of act_4410000002 for the week of 2026-11-23 is not valid JSON',
    );
  });

  it('keeps the fix out of the Slack notes', () => {
    expect(slackJson).not.toContain('Fix: regenerate the sample data');
  });

  it('tells the operator what to do', () => {
    expect(opsEmail).toContain('Fix: regenerate the sample data with npm run sample-data');
  });

  it('matches the reliability page quote', async () => {
    const page = await readFile(join(import.meta.dirname, '../../docs/reliability.md'), 'utf8');
    const quoted = /named by its payload and week \("([^"]+)"\)/.exec(page.replace(/\s+/g, ' '));

    expect(quoted?.[1]).toBeDefined();
    expect(opsEmail.replace(/\s+/g, ' ')).toContain(quoted?.[1]);
  });

  it('writes the ops message beside the outputs', () => {
    expect(opsFile).toBe(`${opsEmail}\n`);
  });

  it('lists the ops file among the outputs', () => {
    expect(result.outputFiles).toContain(
      join(sampleCopy, 'out', `${REPORT_ID}-${WEEK.start}-ops.txt`),
    );
  });

  it('replays with the sample in the ops message', () => {
    expect(opsEmail).toContain(
      `adreport replay --report ${REPORT_ID} --week ${WEEK.start} --sample`,
    );
  });

  it.each([
    { case: 'the local path', text: () => sampleCopy },
    { case: 'git', text: () => 'git' },
  ])('keeps $case out of the Slack notes', ({ text }) => {
    expect(slackJson).not.toContain(text());
  });

  it('keeps the local path out of the ops email', () => {
    expect(opsEmail).toContain('act_4410000002');
    expect(opsEmail).not.toContain(sampleCopy);
  });

  it('logs the exact file path', () => {
    const logged = output.lines.find((line) => line.includes('"Sample file invalid"')) ?? '';

    expect(JSON.parse(logged)).toMatchObject({ path: join(sampleCopy, DAMAGED) });
  });
});
