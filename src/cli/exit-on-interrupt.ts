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
 * NOTE: a second Ctrl-C, the 20-second limit or `kill -9` inside a delivery still leaves its
 * claim open. A re-run after the claim's 15-minute lease then sends that delivery again.
 */
export function interruptedMessage(
  command: string,
  progress?: InterruptProgress,
  rerun: string = RERUN_NOTES.deliverOnce,
  delivery: DeliveryEnding = 'none',
): string {
  const prefix = `adreport: ${command} interrupted (Ctrl-C)`;
  const ending = describeDeliveryEnding(delivery, rerun);
  if (!progress) return `${prefix} before it finished. ${ending}\n`;
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

  return `${prefix}. ${sentences.join(' ')} ${ending}\n`;
}

/**
 * Returns the closing sentences: `rerun`, after a note on a delivery the interrupt waited for.
 * A delivery cut short replaces `rerun`, because its claim holds off a re-run for 15 minutes.
 */
function describeDeliveryEnding(delivery: DeliveryEnding, rerun: string): string {
  if (delivery === 'finished') return `${FINISHED_DELIVERY} ${rerun}`;
  if (delivery === 'cut_short') return CUT_SHORT_DELIVERY;

  return rerun;
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
  let limit: NodeJS.Timeout | undefined;
  const exit = (delivery: DeliveryEnding = 'none') => {
    if (exited) return;
    exited = true;
    clearTimeout(limit);
    io.writeError(`\n${interruptedMessage(command, progress, rerun, delivery)}`);
    io.exit(INTERRUPTED_EXIT_CODE);
  };
  const cutShort = () => exit('cut_short');
  const onInterrupt = () => {
    const gates = [...watchedGates];
    const busy = gates.some((gate) => gate.busy);
    const closed = Promise.all(gates.map((gate) => gate.close()));
    if (!busy) {
      exit();
      return;
    }
    io.writeError(`\n${FINISHING_DELIVERY}\n`);
    // A second Ctrl-C stops at once, as FINISHING_DELIVERY states. A delivery that is still
    // retrying after FINISH_LIMIT_MS is cut short too.
    process.once('SIGINT', cutShort);
    limit = setTimeout(cutShort, FINISH_LIMIT_MS);
    void closed.then(() => exit('finished'));
  };
  // Node closes its signal watcher when the last SIGINT listener goes, dropping a signal that
  // arrived during synchronous work but was not dispatched yet. Adding this listener before
  // removing the early one keeps the watcher open, so such a signal reaches this listener.
  process.once('SIGINT', onInterrupt);
  stopEarlyInterrupt();

  return () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGINT', cutShort);
  };
}

/**
 * Maximum wait for a delivery in progress after Ctrl-C. A throttled SES send or a Slack post
 * answered with 429 or 5xx is retried with pauses that can add up to minutes.
 */
export const FINISH_LIMIT_MS = 20_000;

/** Outcome of the delivery in progress at an interrupt: none, finished or cut short. */
export type DeliveryEnding = 'none' | 'finished' | 'cut_short';

/** Sentence that replaces the re-run advice when a delivery was cut short. */
export const CUT_SHORT_DELIVERY =
  'The delivery in progress was cut short, so its claim blocks it for 15 minutes. Run the same ' +
  'command after that time to finish it: a report already sent is not sent twice, but the one cut ' +
  'short may have gone out.';

/** Sentence added when the interrupt waited for the delivery in progress to be recorded. */
export const FINISHED_DELIVERY =
  'The delivery in progress was finished and recorded before the command stopped.';

/** Line printed on Ctrl-C while an email or Slack post is between its claim and its record. */
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
