import { isAdreportError } from '../shared/errors.ts';
import { exitOnEarlyInterrupt } from './exit-on-interrupt.ts';
import { ignoreClosedOutput } from './ignore-closed-output.ts';

/** Runs the CLI; a failure prints one line naming the problem and its fix, and exits non-zero. */
async function main(argv: string[]): Promise<void> {
  try {
    // Loading the commands pulls in the AWS SDK and the emulators, so Ctrl-C is handled first.
    const { buildProgram } = await import('./program.ts');
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`adreport: ${(error as Error).message}\n`);
    if (!isAdreportError(error)) {
      const { logger } = await import('../shared/logger.ts');
      logger.error('Unexpected error', { error });
    }
    process.exitCode = 1;
  }
  // The command has finished, so a Ctrl-C now only cuts the shutdown short. Exit with the command's
  // own code, because without a listener Node would end the process with a silent 130.
  process.on('SIGINT', () => process.exit(process.exitCode ?? 0));
}

exitOnEarlyInterrupt({
  writeError: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
});
ignoreClosedOutput(process.stdout, (error) => {
  process.stderr.write(`adreport: writing the output failed: ${error.message}\n`);
  process.exitCode = 1;
});
// A closed stderr leaves nowhere to report the error, so its failures are dropped.
ignoreClosedOutput(process.stderr, () => undefined);
await main(process.argv);
