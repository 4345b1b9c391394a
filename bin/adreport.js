#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that no build step stands between a clone and a run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Loading tsx and the CLI's first modules takes about half a second. A Ctrl-C in that time gets
// the same line and exit code as one a moment later, when the CLI's own handler replaces this one.
const onStartupInterrupt = () => {
  process.stderr.write(
    '\nadreport: interrupted (Ctrl-C) while starting: nothing was fetched, stored or sent.\n',
  );
  process.exit(130);
};
process.once('SIGINT', onStartupInterrupt);
globalThis[Symbol.for('adreport.stopStartupInterrupt')] = () => {
  process.off('SIGINT', onStartupInterrupt);
};

const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
