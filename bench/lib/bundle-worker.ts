/**
 * Builds the worker Lambda bundle exactly as `cdk deploy` would. The stack's own
 * `AdreportFunction` construct with the worker entry is synthesised into a temporary cloud
 * assembly, so esbuild runs with the stack's settings. Its after-bundling step copies the config
 * file, the resvg native package and the chart fonts.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AdreportFunction } from '../../cdk/lib/adreport-function.ts';
import { WORKER_ENTRY } from '../../cdk/lib/adreport-stack.ts';
import { ConfigError } from '../../src/shared/errors.ts';

export interface WorkerBundle {
  /** Folder Lambda would unpack: `index.mjs`, its source map, the config and native modules. */
  dir: string;
  /** The handler module. */
  entry: string;
  /** Bytes of `index.mjs`. */
  entryBytes: number;
  /** Bytes of every file in the folder, as uploaded before zip compression. */
  totalBytes: number;
  buildMs: number;
}

/**
 * Synthesises a stack that contains only the worker function into `outDir` and returns its bundle.
 * `configPath` is the config copied into the bundle.
 *
 * @throws ConfigError when the synthesised assembly contains no bundle with an `index.mjs`.
 */
export async function bundleWorker(input: {
  rootDir: string;
  configPath: string;
  outDir: string;
}): Promise<WorkerBundle> {
  const startedAt = performance.now();
  const app = new App({ outdir: input.outDir });
  const stack = new Stack(app, 'BenchWorker', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  // The same construct and props as the worker in AdreportStack; only the config differs.
  new AdreportFunction(stack, 'Worker', {
    rootDir: input.rootDir,
    entry: WORKER_ENTRY,
    description: 'adreport worker (benchmark build)',
    timeout: Duration.minutes(15),
    memorySize: 1024,
    configPath: input.configPath,
    serviceName: 'adreport-worker',
    logRetention: RetentionDays.THREE_MONTHS,
    chartRendering: true,
  });
  app.synth();
  const dir = await findBundleDir(input.outDir);
  const entry = join(dir, 'index.mjs');

  return {
    dir,
    entry,
    entryBytes: (await stat(entry)).size,
    totalBytes: await folderBytes(dir),
    buildMs: Math.round(performance.now() - startedAt),
  };
}

async function findBundleDir(outDir: string): Promise<string> {
  const assets = (await readdir(outDir)).filter((name) => name.startsWith('asset.'));
  const bundles = assets.map((name) => join(outDir, name)).filter(hasEntry);
  if (bundles.length !== 1) {
    throw new ConfigError(
      'bench_bundle_missing',
      `Expected one worker bundle in ${outDir}, found ${bundles.length}`,
      { fix: 'check that esbuild is installed and that `npm run synth` bundles the worker' },
    );
  }

  return bundles[0] as string;
}

function hasEntry(dir: string): boolean {
  return existsSync(join(dir, 'index.mjs'));
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }

  return total;
}

/** The module a timed run invokes, and how it was obtained. */
export interface HandlerTarget {
  /** `bundle`: the CDK-built Lambda bundle; `source`: the TypeScript handler under tsx. */
  mode: 'bundle' | 'source';
  handlerModule: string;
  bundle: WorkerBundle | null;
  /** Reason the bundle could not be used, or null. */
  reason: string | null;
}

/**
 * Builds the Lambda bundle, or when that fails returns the TypeScript handler in its place
 * with the reason, so the measurement still runs and the page states what it measured.
 */
export async function prepareHandler(input: {
  rootDir: string;
  configPath: string;
  outDir: string;
}): Promise<HandlerTarget> {
  try {
    const bundle = await bundleWorker(input);

    return { mode: 'bundle', handlerModule: bundle.entry, bundle, reason: null };
  } catch (error) {
    return {
      mode: 'source',
      handlerModule: join(input.rootDir, 'src/pipeline/handler.ts'),
      bundle: null,
      reason: `bundling the worker failed: ${(error as Error).message.split('\n')[0]}`,
    };
  }
}
