import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A dynalite server running in a child process. */
export interface DynaliteProcess {
  url: string;
  stop(): Promise<void>;
}

const SCRIPT = new URL('./dynalite-server.mjs', import.meta.url);

/**
 * Starts dynalite in its own process on the LevelDB folder `path`, so the emulator's work runs
 * beside the benchmark process's fakes instead of queueing behind them on one event loop.
 */
export async function startDynaliteProcess(path: string): Promise<DynaliteProcess> {
  const child = spawn(process.execPath, [SCRIPT.pathname, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`dynalite exited with code ${code} before it listened`);
    }),
  ])) as [string];
  const { port } = JSON.parse(line) as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
