import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import type { AdreportConfig } from '../config/schema.ts';
import { secretsFromEnv } from '../config/secrets.ts';
import { LOCAL_NAMES, type LocalBackend, startLocalBackend } from '../local/emulators.ts';
import { DeliveryGate } from '../pipeline/delivery-gate.ts';
import type { PipelineDeps } from '../pipeline/types.ts';
import { watchDeliveries } from './exit-on-interrupt.ts';

/** The bundled sample data and its config, relative to the repository root. */
export const SAMPLE_DIR = resolve(import.meta.dirname, '../../sample-data');
export const SAMPLE_CONFIG = resolve(SAMPLE_DIR, 'adreport.config.json');

export interface LocalOptions {
  /** Config file; the sample config when `sample` is set and no file is given. */
  config?: string;
  /** Folder for the emulators' data; null keeps everything in memory for this process only. */
  dataDir?: string | null;
  /** Folder for the email and Slack output files. */
  outDir?: string;
  /** Replay the bundled sample payloads instead of calling Meta and HubSpot. */
  sample?: boolean;
}

export interface LocalSession {
  deps: PipelineDeps;
  backend: LocalBackend;
  close(): Promise<void>;
}

/** Loads the config file that `options` select: the given file, or the sample config. */
export function loadLocalConfig(options: LocalOptions = {}): Promise<AdreportConfig> {
  return loadConfig(options.config ?? (options.sample ? SAMPLE_CONFIG : 'adreport.config.json'));
}

/**
 * Starts the embedded emulators and builds pipeline dependencies against them, with secrets from
 * the environment. Nothing here needs an AWS account or network access. Pass `loadedConfig` when it
 * is already loaded, e.g. to check options against it before the emulators start.
 */
export async function openLocal(
  options: LocalOptions = {},
  loadedConfig?: AdreportConfig,
): Promise<LocalSession> {
  const config = loadedConfig ?? (await loadLocalConfig(options));
  const dataDir = options.dataDir === undefined ? '.adreport/data' : options.dataDir;
  const backend = await startLocalBackend({ dataDir: dataDir === null ? null : resolve(dataDir) });
  const deliveryGate = new DeliveryGate();
  const stopWatching = watchDeliveries(deliveryGate);
  const deps: PipelineDeps = {
    config,
    secrets: secretsFromEnv(),
    dynamo: backend.clients.dynamo,
    s3: backend.clients.s3,
    ses: backend.clients.ses,
    metricsTable: LOCAL_NAMES.metricsTable,
    stateTable: LOCAL_NAMES.stateTable,
    archiveBucket: LOCAL_NAMES.bucket,
    outDir: resolve(options.outDir ?? 'out'),
    ...(options.sample ? { sampleDir: SAMPLE_DIR } : {}),
    // Ops messages repeat these options, so their replay command reads the same data.
    localCommand: {
      sample: options.sample === true,
      ...(options.config ? { config: options.config } : {}),
      ...(typeof options.dataDir === 'string' ? { dataDir: options.dataDir } : {}),
    },
    now: () => new Date(),
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    deliveryGate,
  };
  const close = () => {
    stopWatching();

    return backend.stop();
  };

  return { deps, backend, close };
}
