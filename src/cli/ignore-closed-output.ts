import type { EventEmitter } from 'node:events';

/**
 * Keeps a write to a closed pipe from crashing the CLI, as in `adreport … | head -1`. Node emits
 * EPIPE as an 'error' event on stdout, which kills the process with a stack trace when nothing
 * listens. This listener drops the output the reader no longer wants and lets the command finish,
 * so a run still stores and delivers and the exit status stays 0 unless the command fails. Any
 * other write error goes to `onError`.
 */
export function ignoreClosedOutput(
  stream: EventEmitter,
  onError: (error: NodeJS.ErrnoException) => void,
): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    onError(error);
  });
}
