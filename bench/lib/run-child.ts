/**
 * Runs one worker invocation in a fresh Node.js process, as a Lambda cold start would, and
 * collects what `invoke-worker.mjs` measured there. The child gets only the environment given
 * here, never the parent's, so no credential or endpoint of this machine leaks into a run.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError } from '../../src/shared/errors.ts';

const INVOKE_SCRIPT = resolve(import.meta.dirname, 'invoke-worker.mjs');
// Resolved here because the child runs in a work folder where `tsx` cannot be found by name.
const TSX_LOADER = import.meta.resolve('tsx');

/** Measurements of one child process, plus its run time as the parent saw it. */
export interface ChildRun {
  /** Node.js start-up until the handler module began to load, in ms. */
  startupMs: number;
  /** Loading the handler module, in ms. */
  importMs: number;
  /** The handler call, in ms: the figure Lambda bills for an invocation. */
  handlerMs: number;
  /** Spawn to exit as the parent saw it, in ms. */
  processMs: number;
  /** Peak resident memory of the child in kilobytes (getrusage maxRSS). */
  maxRssKb: number;
  output: unknown;
  /** The handler's error as `Name: message`, or null when it returned. */
  error: string | null;
  /** File with the child's stdout and stderr (its structured logs). */
  logFile: string;
}

export interface ChildOptions {
  /** Handler module: the bundle's `index.mjs`, or a `.ts` source file run through tsx. */
  handlerModule: string;
  event: unknown;
  env: Record<string, string>;
  /** Folder for the log and result files. */
  workDir: string;
  /** Name of this run, used in file names. */
  label: string;
  timeoutMs: number;
}

/**
 * Spawns `node invoke-worker.mjs` for one handler call and returns its measurements.
 *
 * @throws SourceError when the child exits without a result (crash, kill or timeout).
 */
export async function runWorkerChild(options: ChildOptions): Promise<ChildRun> {
  const logFile = join(options.workDir, `${options.label}.log`);
  const resultFile = join(options.workDir, `${options.label}.result.json`);
  const viaTsx = options.handlerModule.endsWith('.ts');
  const args = [
    ...(viaTsx ? ['--import', TSX_LOADER] : []),
    INVOKE_SCRIPT,
    options.handlerModule,
    JSON.stringify(options.event),
    resultFile,
  ];
  const startedAt = performance.now();
  const exit = await spawnLogged(args, options, logFile);
  const processMs = performance.now() - startedAt;

  let measured: Omit<ChildRun, 'processMs' | 'logFile'>;
  try {
    measured = JSON.parse(await readFile(resultFile, 'utf8'));
  } catch (cause) {
    throw new SourceError(
      'bench_child_failed',
      `Worker child ${options.label} exited (${exit}) without a result`,
      { fix: `read its output in ${logFile}`, cause },
    );
  }

  return { ...measured, processMs, logFile };
}

function spawnLogged(args: string[], options: ChildOptions, logFile: string): Promise<string> {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: options.workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);

  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise(signal ? `signal ${signal}` : `code ${code}`);
    });
  });
}
