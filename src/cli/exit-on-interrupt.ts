/** Exit code of a process ended by SIGINT, as shells report it (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Returns the line printed on Ctrl-C during a command that fetches, stores or delivers. Deliveries are
 * claimed in the state table before they are made, which is what keeps a re-run from sending twice.
 *
 * NOTE: an interrupt after SES accepts an email but before its claim is marked done leaves the
 * claim open. A re-run after the claim's 15-minute lease then sends that email again.
 */
export function interruptedMessage(command: string): string {
  return (
    `adreport: ${command} interrupted (Ctrl-C) before it finished. Re-running the same command ` +
    'is safe: weeks are stored again and a report already sent is not sent twice.\n'
  );
}

/**
 * Prints `interruptedMessage` to stderr and exits with code 130 on SIGINT, until the returned
 * function is called. `exit` and `writeError` are parameters so tests can keep the test process
 * alive.
 */
export function exitOnInterrupt(
  command: string,
  io: { writeError: (text: string) => void; exit: (code: number) => void },
): () => void {
  const onInterrupt = () => {
    io.writeError(`\n${interruptedMessage(command)}`);
    io.exit(INTERRUPTED_EXIT_CODE);
  };
  process.once('SIGINT', onInterrupt);

  return () => {
    process.off('SIGINT', onInterrupt);
  };
}
