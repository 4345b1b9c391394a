/**
 * Generates the bundled sample data: raw Meta and HubSpot payloads for 12 weeks, the demo config
 * and the README that names the scenarios. The output is deterministic.
 *
 *   npx tsx scripts/generate-sample-data.ts [--out DIR]   (default: sample-data/)
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InputError, isAdreportError } from '../src/shared/errors.ts';
import type { RawPayload } from '../src/shared/types.ts';
import { buildContactPayloads } from './sample-data/build-hubspot-payloads.ts';
import { buildAccountPayload, buildInsightsPayload } from './sample-data/build-meta-payloads.ts';
import { buildSampleConfig } from './sample-data/build-sample-config.ts';
import { formatJson } from './sample-data/format-json.ts';
import { renderSampleReadme } from './sample-data/render-sample-readme.ts';
import {
  buildCampaignPlans,
  fetchTime,
  PROPERTIES,
  WEEK_STARTS,
} from './sample-data/sample-plan.ts';
import { simulateCampaignWeeks } from './sample-data/simulate-campaign-weeks.ts';

export const DEFAULT_OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../sample-data');

/**
 * Writes every sample file under `outDir`, replacing `outDir/raw`, and returns the relative
 * paths. Throws an InputError, and deletes nothing, when `outDir/raw` contains anything other
 * than sample payload folders.
 */
export async function generateSampleData(outDir: string): Promise<string[]> {
  const files = buildSampleFiles();
  await checkRawFolder(join(outDir, 'raw'));
  await rm(join(outDir, 'raw'), { recursive: true, force: true });
  for (const [path, text] of files) {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), text);
  }

  return [...files.keys()];
}

/** Builds every sample file in memory, keyed by its path relative to the output folder. */
export function buildSampleFiles(): Map<string, string> {
  const campaigns = buildCampaignPlans();
  const deliveries = simulateCampaignWeeks(campaigns);
  const files = new Map<string, string>();
  files.set('adreport.config.json', formatJson(buildSampleConfig(campaigns)));
  files.set('README.md', renderSampleReadme(deliveries));
  for (const [week, weekStart] of WEEK_STARTS.entries()) {
    for (const property of PROPERTIES) {
      const account = buildAccountPayload(
        property,
        weekStart,
        fetchTime(weekStart, property.index),
      );
      const insights = buildInsightsPayload(
        property,
        week,
        deliveries,
        fetchTime(weekStart, property.index + 1),
      );
      for (const payload of [account, insights])
        files.set(payloadPath(payload), formatJson(payload));
    }
  }
  for (const payload of buildContactPayloads(deliveries)) {
    files.set(payloadPath(payload), formatJson(payload));
  }

  return files;
}

// The generator deletes `raw/` before writing, so a mistyped --out must not delete other files.
async function checkRawFolder(rawDir: string): Promise<void> {
  const entries = await readdir(rawDir).catch(() => []);
  const foreign = entries.filter((entry) => entry !== 'meta' && entry !== 'hubspot');
  if (foreign.length > 0) {
    throw new InputError(
      'sample_out_dir_invalid',
      `Folder ${rawDir} contains ${foreign.join(', ')}`,
      {
        fix: 'pass an --out folder whose raw/ contains only sample payloads (meta/, hubspot/), or a new folder',
      },
    );
  }
}

function payloadPath(payload: RawPayload): string {
  const { source, account, weekStart, name } = payload.key;

  return join('raw', source, account, weekStart, `${name}.json`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = resolve(values.out ?? DEFAULT_OUT_DIR);
  const paths = await generateSampleData(outDir);
  process.stdout.write(`Wrote ${paths.length} sample files to ${outDir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch((error: unknown) => {
    // An AdreportError carries its own fix; anything else is a bug, so its stack is shown.
    const text = isAdreportError(error) ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`${text}\n`);
    process.exitCode = 1;
  });
}
