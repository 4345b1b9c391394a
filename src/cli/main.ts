import { isAdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { ignoreClosedOutput } from './ignore-closed-output.ts';
import { buildProgram } from './program.ts';

/** Runs the CLI; a failure prints one line naming the problem and its fix, and exits non-zero. */
async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`adreport: ${(error as Error).message}\n`);
    if (!isAdreportError(error)) logger.error('Unexpected error', { error });
    process.exitCode = 1;
  }
}

ignoreClosedOutput(process.stdout, (error) => {
  process.stderr.write(`adreport: writing the output failed: ${error.message}\n`);
  process.exitCode = 1;
});
// A closed stderr leaves nowhere to report the error, so its failures are dropped.
ignoreClosedOutput(process.stderr, () => undefined);
await main(process.argv);
