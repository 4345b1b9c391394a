import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { slackCommand } from '../../src/cli/slack-commands.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

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
  const out = useTempDir('adreport-slack-cli-');

  async function run(
    text: string,
    options: { channel?: string; team?: string; data?: string } = {},
  ): Promise<string> {
    const lines: string[] = [];
    await slackCommand(text, { sample: true, data: null, out: out(), ...options }, (line) =>
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

  it('rejects a --data that is a file', async () => {
    const file = join(out(), 'data-file');
    await writeFile(file, 'not a folder');

    const output = run('/adreport help', { data: file });

    await expect(output).rejects.toMatchObject({
      code: 'folder_is_file',
      message: expect.stringContaining(`--data ${file} is a file, not a folder`),
    });
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

/** A running `adreport serve` child process with its collected output. */
interface ServeProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `adreport serve ARGS` through tsx with Slack secrets and every address on loopback. */
function startServe(args: string[]): ServeProcess {
  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      SLACK_BOT_TOKEN: 'xoxb-local-test',
      ADREPORT_SLACK_API_URL: 'http://127.0.0.1:9/api/',
      ANTHROPIC_API_KEY: '',
      META_ACCESS_TOKEN: '',
      HUBSPOT_ACCESS_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits until the server prints its URL, or rejects when the process exits first. */
async function listeningUrl(serve: ServeProcess): Promise<string> {
  for (;;) {
    const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(serve.stdout());
    if (match?.[1]) return match[1];
    const exited = await Promise.race([
      serve.exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 100)),
    ]);
    if (exited) throw new Error(`serve exited before listening: ${serve.stderr()}`);
  }
}

describe('serve', () => {
  const dir = useTempDir('adreport-serve-');

  it('exits 1 when the port is busy', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;

    const serve = startServe(['--sample', '--port', String(port), '--data', dir(), '--out', dir()]);
    const timer = setTimeout(() => serve.child.kill('SIGKILL'), 30_000);
    const exitCode = await serve.exited;
    clearTimeout(timer);
    await new Promise<void>((resolve) => busy.close(() => resolve()));

    expect(exitCode).toBe(1);
    expect(serve.stderr().trim()).toBe(
      `adreport: Port ${port} on 127.0.0.1 is already in use. Fix: stop the program using it, or choose another with --port`,
    );
  }, 70_000);

  it('answers GET / with 404 and no error', async () => {
    const serve = startServe(['--sample', '--port', '0', '--data', dir(), '--out', dir()]);
    try {
      const url = await listeningUrl(serve);

      const root = await fetch(`${url}/`);
      const events = await fetch(`${url}/slack/events`);

      expect(root.status).toBe(404);
      expect(events.status).toBe(405);
      expect(events.headers.get('allow')).toBe('POST');
      expect(serve.stderr()).not.toContain('ERROR');
    } finally {
      serve.child.kill('SIGINT');
      await serve.exited;
    }
  }, 70_000);
});
