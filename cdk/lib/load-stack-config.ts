import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load-config.ts';
import type { AdreportConfig } from '../../src/config/schema.ts';
import { ConfigError } from '../../src/shared/errors.ts';

/** Config file read when `-c configFile=…` is not given. */
export const DEFAULT_CONFIG_FILE = 'adreport.config.json';

/** Demo config used when the default file is missing, so that a fresh clone can synthesise. */
export const SAMPLE_CONFIG_FILE = 'sample-data/adreport.config.json';

/** The config bundled with both functions, validated at synth time. */
export interface StackConfig {
  /** Absolute path of the file that is copied into the bundles. */
  path: string;
  config: AdreportConfig;
  /** Set when the sample config stood in for a missing default file; the stack warns about it. */
  fallbackWarning: string | null;
}

/**
 * Reads and validates the config named by the `configFile` context value, relative to `rootDir`.
 * Without one it reads `adreport.config.json`, and falls back to the sample config with a warning
 * when that file does not exist. A file named explicitly must exist.
 *
 * @throws ConfigError when the file is missing or invalid.
 */
export function loadStackConfig(configFile: string | undefined, rootDir: string): StackConfig {
  if (configFile) return readStackConfig(resolvePath(configFile, rootDir), null);

  const defaultPath = resolvePath(DEFAULT_CONFIG_FILE, rootDir);
  if (existsSync(defaultPath)) return readStackConfig(defaultPath, null);

  const warning =
    `${DEFAULT_CONFIG_FILE} not found, so the stack bundles the demo config ${SAMPLE_CONFIG_FILE}. ` +
    `Copy it to ${DEFAULT_CONFIG_FILE} and edit it, or pass -c configFile=PATH, before you deploy.`;

  return readStackConfig(resolvePath(SAMPLE_CONFIG_FILE, rootDir), warning);
}

function readStackConfig(path: string, fallbackWarning: string | null): StackConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError('config_not_found', `Config file not found: ${path}`, {
      fix: `create it from ${SAMPLE_CONFIG_FILE}, or pass -c configFile=PATH to cdk`,
      cause,
    });
  }

  return { path, config: parseConfig(text, path), fallbackWarning };
}

function resolvePath(file: string, rootDir: string): string {
  return isAbsolute(file) ? file : resolve(rootDir, file);
}
