import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../shared/errors.ts';
import {
  checkNameRules,
  checkUniqueRecipients,
  normaliseTimeZones,
} from './check-config-values.ts';
import { locateJsonError } from './locate-json-error.ts';
import { type AdreportConfig, configSchema } from './schema.ts';

/** Reads and validates a config file; every problem is reported with its field path and fix. */
export async function loadConfig(path: string): Promise<AdreportConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const problem = code === 'EISDIR' ? 'is a folder, not a file' : 'not found';
    throw new ConfigError('config_not_found', `Config file ${path} ${problem}`, {
      fix: 'pass --config FILE, or copy config/example.config.json to adreport.config.json',
      cause,
    });
  }

  return parseConfig(text, path);
}

/** Validates config text; `source` names the file in messages. */
export function parseConfig(text: string, source: string): AdreportConfig {
  let json: unknown;
  try {
    // Editors on Windows may save UTF-8 with a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    const { line, column, reason } = locateJsonError(text, cause as SyntaxError);
    throw new ConfigError(
      'config_invalid_json',
      `Config file ${source} is not valid JSON at line ${line}, column ${column}: ${reason}`,
      { fix: `correct the syntax at line ${line}, column ${column}`, cause },
    );
  }
  const result = configSchema.safeParse(json, { error: describeMissing });
  if (!result.success) {
    throw new ConfigError(
      'config_invalid',
      `Invalid config in ${source}: ${describeIssues(result.error)}`,
      {
        fix: 'correct the named fields; config/example.config.json shows every field',
      },
    );
  }
  checkUniqueIds(result.data, source);
  checkUniqueRecipients(result.data, source);
  checkNameRules(result.data, source);
  normaliseTimeZones(result.data, source);

  return result.data;
}

/** Calls an absent field missing, not zod's "expected string, received undefined". */
function describeMissing(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return 'required but missing';
  }

  return undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';

  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/**
 * Report and property ids name items in the store, so they are unique across the file. An ad
 * account may serve several reports, but twice in one report its campaigns would count twice.
 */
function checkUniqueIds(config: AdreportConfig, source: string): void {
  const seen = new Set<string>();
  for (const [index, report] of config.reports.entries()) {
    const accounts = report.properties.map((p) => `ad account ${p.metaAdAccountId}`);
    const ids = [`report ${report.id}`, ...report.properties.map((p) => `property ${p.id}`)];
    const repeated =
      ids.find((id) => seen.has(id) || ids.indexOf(id) !== ids.lastIndexOf(id)) ??
      accounts.find((id, position) => accounts.indexOf(id) !== position);
    if (repeated) {
      throw new ConfigError(
        'config_invalid',
        `Invalid config in ${source}: reports[${index}] repeats ${repeated}`,
        { fix: 'give every report and property its own id, and each ad account one property' },
      );
    }
    for (const id of ids) seen.add(id);
  }
}
