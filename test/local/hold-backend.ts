import { startLocalBackend } from '../../src/local/emulators.ts';

/**
 * Child process for the data dir race test: starts the local backend on the data dir in argv[2],
 * keeps it running for argv[3] milliseconds, stops it, and prints `started`, or the error code on failure.
 * A crash outside this handler prints a stack trace instead, which the test rejects.
 */
try {
  const backend = await startLocalBackend({ dataDir: process.argv[2] as string });
  await new Promise((done) => setTimeout(done, Number(process.argv[3])));
  await backend.stop();
  process.stdout.write('started\n');
} catch (error) {
  process.stdout.write(`${(error as { code?: string }).code ?? String(error)}\n`);
  process.exitCode = 1;
}
