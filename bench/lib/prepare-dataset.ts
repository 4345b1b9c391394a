import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdreportConfig } from '../../src/config/schema.ts';
import { startLocalBackend } from '../../src/local/emulators.ts';
import type { Week } from '../../src/shared/types.ts';
import { shiftWeek } from '../../src/shared/week.ts';
import { BENCH_REPORT } from './bench-config.ts';
import { type BenchWorld, loadAccounts, type WeekSlot } from './bench-world.ts';
import { seedHistory } from './seed-history.ts';
import type { DatasetFacts } from './summarise-scale.ts';
import { contactsFor } from './synthetic-contacts.ts';
import { buildCampaigns, insightsRowsFor, type SyntheticShape } from './synthetic-data.ts';

/** A seeded emulator snapshot on disk and the facts about its data. */
export interface PreparedDataset {
  dir: string;
  facts: DatasetFacts;
}

/**
 * Loads the synthetic accounts into the fakes and stores `historyWeeks` weeks of history into an
 * emulator snapshot under `workDir`. Then switches the fakes to the data a timed run fetches: the
 * re-fetched weeks with Meta's restated leads, and the HubSpot contacts of those weeks only.
 */
export async function prepareDataset(input: {
  world: BenchWorld;
  workDir: string;
  config: AdreportConfig;
  shape: SyntheticShape;
  historyWeeks: number;
  reportWeek: Week;
}): Promise<PreparedDataset> {
  const { world, shape, config, reportWeek } = input;
  const campaigns = buildCampaigns(shape);
  const timeZone = BENCH_REPORT.timeZone;
  const slots = (from: number, to: number): WeekSlot[] =>
    Array.from({ length: to - from + 1 }, (_, i) => ({
      start: shiftWeek(reportWeek, from + i).start,
      offset: from + i,
    }));
  loadAccounts(world, {
    shape,
    campaigns,
    weeks: slots(-input.historyWeeks, -1),
    variant: 'stored',
    timeZone,
  });

  const dir = join(input.workDir, `seed-${shape.campaigns}c-${input.historyWeeks}w`);
  await mkdir(dir, { recursive: true });
  const seed = await seedSnapshot(world, dir, config, reportWeek, input.historyWeeks);

  const window = slots(1 - config.meta.restatementWeeks, 0);
  loadAccounts(world, { shape, campaigns, weeks: window, variant: 'restated', timeZone });
  const rawInsightsChars = Array.from(
    { length: shape.properties },
    (_, property) =>
      JSON.stringify(insightsRowsFor(shape.seed, campaigns, property, 0, 'restated')).length,
  ).reduce((sum, chars) => sum + chars, 0);
  const reportWeekLeads = contactsFor(
    shape.seed,
    campaigns,
    window.at(-1) as WeekSlot,
    timeZone,
  ).filter((contact) => contact.properties.hs_analytics_source === 'PAID_SOCIAL').length;

  return { dir, facts: { seed, rawInsightsChars, reportWeekLeads } };
}

async function seedSnapshot(
  world: BenchWorld,
  dir: string,
  config: AdreportConfig,
  reportWeek: Week,
  weeks: number,
) {
  const backend = await startLocalBackend({ dataDir: dir });
  try {
    return await seedHistory({
      config,
      reportId: BENCH_REPORT.id,
      backend,
      // Without Slack and Anthropic credentials a backfill builds no clients for them.
      secrets: {
        META_ACCESS_TOKEN: world.secrets.META_ACCESS_TOKEN,
        HUBSPOT_ACCESS_TOKEN: world.secrets.HUBSPOT_ACCESS_TOKEN,
      },
      reportWeek,
      weeks,
    });
  } finally {
    await backend.stop();
  }
}
