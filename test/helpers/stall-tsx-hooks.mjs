/**
 * Module hooks that delay the import of tsx by 30 seconds and print `tsx import delayed` to
 * stderr, so a test can interrupt the CLI at a known moment before any of its TypeScript loads.
 */
export async function resolve(specifier, context, next) {
  if (specifier === 'tsx/esm/api') {
    process.stderr.write('tsx import delayed\n');
    // A pending timer keeps the process alive. With a bare pending promise, Node would exit with
    // code 13 (unsettled top-level await).
    await new Promise((done) => setTimeout(done, 30_000));
  }

  return next(specifier, context);
}
