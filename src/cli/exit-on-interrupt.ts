import type { DeliveryGate } from '../pipeline/delivery-gate.ts';

/** Exit code of a process ended by SIGINT, as shells report it (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Progress of a command so far, for the line printed on Ctrl-C. */
export interface InterruptProgress {
  /** True once the checks passed and the command began to fetch, store or deliver. */
  started: boolean;
  /** True while a report week is being fetched, stored or delivered. */
  working: boolean;
  /** False for a command that never emails or posts, such as backfill. */
  delivers: boolean;
  /** One line per report week that finished, e.g. `acme-weekly, 6–12 Jan 2020: stored`. */
  finished: string[];
  /**
   * The finished weeks as whole sentences without the final period, e.g. a backfill's stored and
   * failed counts. Without it the line lists `finished`.
   */
  describeFinished?: () => string;
}

/** Maximum report weeks named one by one on the interrupt line. Past it, the count and the last. */
const MAX_LISTED = 3;

/** Sentences on the effect of re-running, by command, that end the interrupt line. */
export const RERUN_NOTES = {
  /** `run` without --force, and `replay --send`: deliveries are claimed before they are made. */
  deliverOnce:
    'Re-running the same command is safe: weeks are stored again and a report already sent is ' +
    'not sent twice.',
  /** `run --force` sends every report again, even one that went out before the interrupt. */
  force:
    'Re-running with --force sends every report again, including any that went out before the ' +
    'interrupt. Without --force, only a report not sent yet is sent.',
  /** `backfill`, and `replay` without --send, which store weeks and deliver nothing. */
  storeOnly: 'Re-running the same command is safe: it stores the weeks again.',
  /** `slack`, whose `week` command may re-run, post or email a week before the interrupt. */
  slack:
    'A week the command re-ran, posted or emailed may have finished before it: check the output ' +
    'above before running it again.',
  /** `demo`, whose emulators keep everything in memory. */
  demo: 'The demo kept its data in memory, so nothing was stored. Run it again to start over.',
} as const;

interface InterruptIo {
  writeError: (text: string) => void;
  exit: (code: number) => void;
}

/**
 * Returns the line printed on Ctrl-C during a command that fetches, stores or delivers: what had
 * finished, what the week in progress may have done, and `rerun`, what re-running does. Deliveries
 * are claimed in the state table before they are made, and Ctrl-C waits for a delivery in progress
 * to be recorded, which is what keeps a re-run from sending twice.
 *
 * NOTE: a second Ctrl-C, or `kill -9`, inside a delivery still leaves its claim open. A re-run
 * after the claim's 15-minute lease then sends that delivery again.
 */
export function interruptedMessage(
  command: string,
  progress?: InterruptProgress,
  rerun: string = RERUN_NOTES.deliverOnce,
): string {
  const prefix = `adreport: ${command} interrupted (Ctrl-C)`;
  if (!progress) return `${prefix} before it finished. ${rerun}\n`;
  if (!progress.started) {
    return `${prefix} before it started: nothing was fetched, stored or sent.\n`;
  }
  const sentences = [describeFinished(progress)];
  if (progress.working && progress.delivers) {
    sentences.push(
      'The week in progress may be partly stored, and its email or Slack post may have gone out.',
    );
  } else if (progress.working) {
    sentences.push('The week in progress may be partly stored.');
  }

  return `${prefix}. ${sentences.join(' ')} ${rerun}\n`;
}

function describeFinished(progress: InterruptProgress): string {
  if (progress.finished.length === 0) return 'No report week had finished.';
  if (progress.describeFinished) return `${progress.describeFinished()}.`;

  return `Finished before it: ${listFinished(progress.finished)}.`;
}

function listFinished(finished: string[]): string {
  if (finished.length <= MAX_LISTED) return finished.join('; ');

  return `${finished.length} report weeks, the last ${finished.at(-1)}`;
}

/**
 * Prints `interruptedMessage` to stderr and exits with code 130 on SIGINT, until the returned
 * function is called. `rerun` is one of `RERUN_NOTES`. It replaces the handler of
 * `exitOnEarlyInterrupt` without losing a SIGINT received in between. `exit` and `writeError`
 * are parameters so tests can keep the test process alive, and the command updates `progress` as
 * it goes.
 */
export function exitOnInterrupt(
  command: string,
  io: InterruptIo,
  progress?: InterruptProgress,
  rerun?: string,
): () => void {
  let exited = false;
  const exit = () => {
    if (exited) return;
    exited = true;
    io.writeError(`\n${interruptedMessage(command, progress, rerun)}`);
    io.exit(INTERRUPTED_EXIT_CODE);
  };
  const onInterrupt = () => {
    const gates = [...watchedGates];
    const busy = gates.some((gate) => gate.busy);
    const closed = Promise.all(gates.map((gate) => gate.close()));
    if (!busy) {
      exit();
      return;
    }
    io.writeError(`\n${FINISHING_DELIVERY}\n`);
    // A second Ctrl-C stops at once, as FINISHING_DELIVERY tells the user.
    process.once('SIGINT', exit);
    void closed.then(exit);
  };
  // Node closes its signal watcher when the last SIGINT listener goes, dropping a signal that
  // arrived during synchronous work but was not dispatched yet. Adding this listener before
  // removing the early one keeps the watcher open, so such a signal reaches this listener.
  process.once('SIGINT', onInterrupt);
  stopEarlyInterrupt();

  return () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGINT', exit);
  };
}

/** Printed on Ctrl-C while an email or Slack post is between its claim and its record. */
export const FINISHING_DELIVERY =
  'adreport: interrupted (Ctrl-C) while a delivery is being made: finishing it, so that it is ' +
  'recorded and a re-run does not send it twice. Press Ctrl-C again to stop at once.';

/** The delivery gates of the open sessions, which an interrupt closes and waits for. */
const watchedGates = new Set<Pick<DeliveryGate, 'busy' | 'close'>>();

/**
 * Makes Ctrl-C wait for `gate`'s delivery in progress before the process exits, and start no
 * other. Returns the function that stops watching it, for when its session closes.
 */
export function watchDeliveries(gate: Pick<DeliveryGate, 'busy' | 'close'>): () => void {
  watchedGates.add(gate);

  return () => {
    watchedGates.delete(gate);
  };
}

let stopEarly: (() => void) | null = null;

/**
 * Prints one line and exits with code 130 on a SIGINT while the CLI loads its modules, which
 * takes about a second, before any command runs. A command's own handler replaces it, and
 * `stopEarlyInterrupt` removes it for commands that handle SIGINT themselves, such as `serve`.
 */
export function exitOnEarlyInterrupt(io: InterruptIo): void {
  stopEarlyInterrupt();
  const onInterrupt = () => {
    io.writeError(
      '\nadreport: interrupted (Ctrl-C) while starting: nothing was fetched, stored or sent.\n',
    );
    io.exit(INTERRUPTED_EXIT_CODE);
  };
  process.once('SIGINT', onInterrupt);
  stopStartupInterrupt();
  stopEarly = () => {
    process.off('SIGINT', onInterrupt);
  };
}

/** Key under which `bin/adreport.js` leaves the function that removes its SIGINT handler. */
const STOP_STARTUP_INTERRUPT = Symbol.for('adreport.stopStartupInterrupt');

/**
 * Removes the handler that `bin/adreport.js` installs before it loads tsx. It is called after
 * the replacement is added, so a SIGINT received in between still finds a listener.
 */
function stopStartupInterrupt(): void {
  const registry = globalThis as Record<symbol, unknown>;
  const stop = registry[STOP_STARTUP_INTERRUPT];
  if (typeof stop === 'function') stop();
  delete registry[STOP_STARTUP_INTERRUPT];
}

/** Removes the handler of `exitOnEarlyInterrupt`, if any. */
export function stopEarlyInterrupt(): void {
  stopEarly?.();
  stopEarly = null;
}
