import { isAdreportError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
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

await main(process.argv);
