/**
 * Runs another benchmark script (`npm run bench:signals` and the like) in a child process and
 * reads the JSON file it writes, so `npm run bench` can fold its figures into one page. A script
 * that fails, times out or leaves no fresh JSON is reported as such, never silently skipped.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SiblingBench {
  /** npm script name, e.g. `bench:signals`. */
  script: string;
  /** JSON file the script writes, relative to the repository root. */
  jsonPath: string;
  /** The script's own Markdown page, when it writes one. */
  markdownPath: string | null;
}

export interface SiblingResult extends SiblingBench {
  status: 'ok' | 'failed' | 'no_output';
  exitCode: number | null;
  durationMs: number;
  /** The parsed JSON when the script wrote it during this run (even when it then failed), else null. */
  data: unknown;
  /** Why the result is missing or failed: the end of the script's output, or the read error. */
  detail: string | null;
}

/** The benchmarks that other modules own, run by `npm run bench` after the pipeline one. */
export const SIBLING_BENCHES: SiblingBench[] = [
  {
    script: 'bench:signals',
    jsonPath: 'docs/bench/signals.json',
    markdownPath: 'docs/bench/signals.md',
  },
  { script: 'bench:email', jsonPath: 'docs/bench/email.json', markdownPath: 'docs/bench/email.md' },
  { script: 'bench:bot', jsonPath: 'docs/bench/bot.json', markdownPath: 'docs/bench/bot.md' },
];

/**
 * Runs `npm run --silent SCRIPT` in `rootDir` with its output in `logDir`, and returns the JSON it
 * wrote. `status` is `failed` on a non-zero exit or a timeout (with the JSON, if it wrote one
 * first), and `no_output` when the script exited 0 without writing its JSON during this run.
 */
export async function runSiblingBench(
  bench: SiblingBench,
  options: { rootDir: string; logDir: string; timeoutMs: number },
): Promise<SiblingResult> {
  const logFile = join(options.logDir, `${bench.script.replace(/[^a-z0-9]+/gi, '-')}.log`);
  const startedAt = Date.now();
  const exitCode = await runScript(bench.script, options.rootDir, logFile, options.timeoutMs);
  const durationMs = Date.now() - startedAt;
  const fresh = await readFreshJson(join(options.rootDir, bench.jsonPath), startedAt);
  if (exitCode !== 0) {
    const detail = `exited with ${exitCode ?? 'a timeout'}: ${await logTail(logFile)}`;

    return { ...bench, status: 'failed', exitCode, durationMs, data: fresh.data, detail };
  }
  if (fresh.problem) {
    const detail = `${bench.jsonPath} ${fresh.problem}`;

    return { ...bench, status: 'no_output', exitCode, durationMs, data: null, detail };
  }

  return { ...bench, status: 'ok', exitCode, durationMs, data: fresh.data, detail: null };
}

/** Reads a JSON file written at or after `since`; `problem` is the reason when there is no data. */
async function readFreshJson(
  path: string,
  since: number,
): Promise<{ data: unknown; problem: string | null }> {
  try {
    if ((await stat(path)).mtimeMs < since) {
      return { data: null, problem: 'was not rewritten by this run' };
    }

    return { data: JSON.parse(await readFile(path, 'utf8')), problem: null };
  } catch (error) {
    return { data: null, problem: `could not be read: ${(error as Error).message}` };
  }
}

function runScript(
  script: string,
  cwd: string,
  logFile: string,
  timeoutMs: number,
): Promise<number | null> {
  const log = openSync(logFile, 'w');
  // A process group of its own, so a timeout ends npm and the script npm started.
  const child = spawn('npm', ['run', '--silent', script], {
    cwd,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);

  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(-1);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(timedOut ? null : code);
    });
  });
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = text.trim().split('\n').filter(Boolean);

  return lines.slice(-3).join(' / ').slice(0, 400) || '(no output)';
}
