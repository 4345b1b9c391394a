import { describe, expect, it } from 'vitest';
import { WEEK_STARTS } from '../../scripts/sample-data/sample-plan.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createSampleSources } from '../../src/local/sample-source.ts';
import { toCampaignWeeks } from '../../src/pipeline/transform-campaign-weeks.ts';
import type { CampaignWeek } from '../../src/shared/types.ts';
import { weekContaining } from '../../src/shared/week.ts';
import { actionValue, readInsightsRows, readSampleJson, SAMPLE_DIR } from './sample-files.ts';

// These tests read the sample through the pipeline's sample source and Meta transform, so they
// fail when either changes in a way that the sample no longer fits.
const config = parseConfig(JSON.stringify(readSampleJson('adreport.config.json')), 'sample');
const report = config.reports[0];
if (!report) throw new Error('The sample config has no report');
const sources = createSampleSources(SAMPLE_DIR, report.id, () => new Date('2026-11-30T12:00:00Z'));

interface TransformedWeek {
  weekStart: string;
  campaignWeeks: CampaignWeek[];
  warnings: number;
}

async function transformAllWeeks(): Promise<TransformedWeek[]> {
  const weeks: TransformedWeek[] = [];
  for (const weekStart of WEEK_STARTS) {
    const week = weekContaining(weekStart);
    for (const property of report?.properties ?? []) {
      const { account, payloads } = await sources.fetchMeta(
        property.metaAdAccountId,
        [week],
        'test',
      );
      const insights = payloads.filter((payload) => payload.key.name === 'insights');
      for (const payload of insights) {
        const result = toCampaignWeeks(payload, {
          reportId: report?.id ?? '',
          propertyId: property.id,
          accountId: account.accountId,
          currency: account.currency,
          runId: 'test',
          fetchedAt: payload.fetchedAt,
          leadActionType: config.meta.leadActionType,
        });
        weeks.push({ weekStart, ...result, warnings: result.warnings.length });
      }
    }
  }

  return weeks;
}

const transformed = await transformAllWeeks();
const campaignWeeks = transformed.flatMap((week) => week.campaignWeeks);

describe('sample data in the pipeline', () => {
  it('transforms every insights row without warnings', () => {
    const warnings = transformed.reduce((sum, week) => sum + week.warnings, 0);

    expect(warnings).toBe(0);
  });

  it('transforms one insights payload per account-week', () => {
    expect(transformed).toHaveLength(WEEK_STARTS.length * 3);
  });

  it('counts the lead roll-up only once', () => {
    const fromFiles = readInsightsRows().reduce((sum, row) => sum + actionValue(row, 'lead'), 0);

    const transformedLeads = campaignWeeks.reduce((sum, week) => sum + week.metrics.leads, 0);

    expect(transformedLeads).toBe(fromFiles);
  });

  it('keeps spend exact in cents', () => {
    const fromFiles = readInsightsRows().reduce(
      (sum, row) => sum + Math.round(Number(row.spend) * 100),
      0,
    );

    const transformedSpend = campaignWeeks.reduce((sum, week) => sum + week.metrics.spendMinor, 0);

    expect(transformedSpend).toBe(fromFiles);
  });

  it('keeps traffic-campaign leads out of CPL', () => {
    const traffic = campaignWeeks.filter((week) => week.objective === 'OUTCOME_TRAFFIC');

    expect(traffic.some((week) => week.metrics.leads > 0)).toBe(true);
    expect(traffic.every((week) => week.metrics.cplLeads === 0)).toBe(true);
  });

  it('reads the Los Angeles account time zone', async () => {
    const week = weekContaining(WEEK_STARTS.at(-1) as string);
    const property = report?.properties.find((candidate) => candidate.id === 'sunset-lofts');

    const { account } = await sources.fetchMeta(property?.metaAdAccountId ?? '', [week], 'test');

    expect(account.timeZone).toBe('America/Los_Angeles');
  });
});
