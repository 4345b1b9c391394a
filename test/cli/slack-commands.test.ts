import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackCommand } from '../../src/cli/slack-commands.ts';

beforeEach(() => {
  // The local session reads credentials from the environment; empty ones keep every call local.
  for (const name of [
    'ANTHROPIC_API_KEY',
    'META_ACCESS_TOKEN',
    'HUBSPOT_ACCESS_TOKEN',
    'SLACK_BOT_TOKEN',
  ]) {
    vi.stubEnv(name, '');
  }
});

describe('slackCommand', () => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'adreport-slack-cli-'));
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  async function run(
    text: string,
    options: { channel?: string; team?: string } = {},
  ): Promise<string> {
    const lines: string[] = [];
    await slackCommand(text, { sample: true, data: null, out, ...options }, (line) =>
      lines.push(line),
    );

    return lines.join('\n');
  }

  it('prints the help ack', async () => {
    const output = await run('/adreport help');

    expect(output).toContain('ack (HTTP 200): [ephemeral] *adreport*');
  });

  it('prints the follow-up of a job', async () => {
    const output = await run('/adreport trend Always On');

    expect(output).toContain('--- response_url [ephemeral]');
    expect(output).toContain('are stored yet');
  });

  it('prints a rejection for another workspace', async () => {
    const output = await run('/adreport trend x', { team: 'T0OTHERTEAM' });

    expect(output).toContain('another Slack workspace');
  });

  it('runs the week and posts its summary', async () => {
    const output = await run('/adreport week 2026-11-23');

    expect(output).toContain('--- chat.postMessage C0SAMPLE01');
    expect(output).toContain('# Acme Group — weekly ads: 23–29 Nov 2026');
    expect(output).toContain('The summary is posted in this channel.');
  }, 120_000);
});

describe('slackCommand trend after a run', () => {
  it('saves the uploaded chart', async () => {
    const out = await mkdtemp(join(tmpdir(), 'adreport-slack-cli-'));
    const data = await mkdtemp(join(tmpdir(), 'adreport-slack-data-'));
    const lines: string[] = [];
    const options = { sample: true, data, out };

    await slackCommand('/adreport week 2026-11-23', options, () => {});
    await slackCommand('/adreport trend HV | Leads | Always On', options, (line) =>
      lines.push(line),
    );
    const files = await readdir(join(out, 'slack-files'));
    await rm(out, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });

    expect(lines.join('\n')).toContain('--- response_url [in_channel]');
    expect(files).toEqual(['trend-120211001000000000.png']);
  }, 120_000);
});
