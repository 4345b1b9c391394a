import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoreClosedOutput } from '../../src/cli/ignore-closed-output.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

const CLI = resolve(import.meta.dirname, '../../bin/adreport.js');

const dir = useTempDir('adreport-closed-output-');

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

/**
 * Runs the CLI, closes its stdout after the first chunk as `head -1` would, and returns the exit
 * status and stderr. Empty credentials keep it on the sample data and off the network.
 */
function runUntilFirstChunk(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir(),
    env: {
      ...process.env,
      ANTHROPIC_API_KEY: '',
      SLACK_BOT_TOKEN: '',
      META_ACCESS_TOKEN: '',
      HUBSPOT_ACCESS_TOKEN: '',
      SMTP_TRANSPORT: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdout.once('data', () => child.stdout.destroy());

  return new Promise((done) => {
    child.on('close', (status) => done({ status, stderr }));
  });
}

describe('ignoreClosedOutput', () => {
  it.each(['EPIPE', 'ERR_STREAM_DESTROYED'])('ignores a %s error', (code) => {
    const stream = new EventEmitter();
    const seen: unknown[] = [];
    ignoreClosedOutput(stream, (error) => seen.push(error));

    stream.emit('error', errnoError(code));

    expect(seen).toEqual([]);
  });

  it('passes other errors on', () => {
    const stream = new EventEmitter();
    const seen: unknown[] = [];
    ignoreClosedOutput(stream, (error) => seen.push(error));
    const error = errnoError('ENOSPC');

    stream.emit('error', error);

    expect(seen).toEqual([error]);
  });

  it('exits 0 when stdout closes early', async () => {
    const args = ['slack', '/adreport trend Spring', '--sample', '--data', 'data', '--out', 'out'];

    const { status, stderr } = await runUntilFirstChunk(args);

    expect(stderr).not.toContain('EPIPE');
    expect(status).toBe(0);
  }, 60_000);
});
