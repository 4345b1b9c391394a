import type { ReportConfig } from '../config/schema.ts';
import { readSampleRange, type SampleRange } from '../local/sample-source.ts';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import { formatWeek, lastCompleteWeek } from '../shared/week.ts';

/** A week chosen on the command line, with the flag and value that chose it, e.g. `--to 2026-11-23`. */
export interface OptionWeek {
  week: Week;
  option: string;
}

/**
 * Throws an InputError when `week` lies outside `range`, because the sample has no payloads for
 * it and a run of it would fail after the emulators start.
 */
export function rejectWeekOutsideSample({ week, option }: OptionWeek, range: SampleRange): void {
  if (week.start >= range.first.start && week.start <= range.last.start) return;
  const flag = option.split(' ')[0];
  throw new InputError(
    'week_not_in_sample',
    `The week ${formatWeek(week)} (${option}) is not in the bundled sample data, which covers ` +
      `the weeks from ${formatWeek(range.first)} to ${formatWeek(range.last)}`,
    {
      fix:
        `pass ${flag} with a date from ${range.first.start} to ${range.last.end}, or change the ` +
        'weeks in scripts/sample-data/sample-plan.ts and regenerate the sample with npm run sample-data',
    },
  );
}

/**
 * Reads the weeks the sample in `sampleDir` covers, and throws an InputError when it has none,
 * e.g. because sample-data/ was deleted.
 */
export async function loadSampleRange(sampleDir: string): Promise<SampleRange> {
  const range = await readSampleRange(sampleDir);
  if (range) return range;

  throw new InputError('sample_missing', `No sample weeks under ${sampleDir}/raw/meta`, {
    fix: 'restore sample-data/ from git, or regenerate it with npm run sample-data',
  });
}

/** Throws an InputError for the first of `weeks` outside the sample in `sampleDir`. */
export async function rejectWeeksOutsideSample(
  weeks: OptionWeek[],
  sampleDir: string,
): Promise<void> {
  const range = await loadSampleRange(sampleDir);
  for (const chosen of weeks) rejectWeekOutsideSample(chosen, range);
}

/**
 * Returns the week a `run --sample` without `--week` reports. That is the last week that has ended
 * at `now` in the zone of every one of `reports`, but no later than the sample's last week. So the
 * command keeps working after the last complete week moves past the sample.
 *
 * NOTE: a clock before the sample's first week ended yields a week the sample lacks, and that run
 * fails on the missing sample file.
 */
export async function chooseSampleReportWeek(
  reports: ReportConfig[],
  now: Date,
  sampleDir: string,
): Promise<Week> {
  const range = await loadSampleRange(sampleDir);
  const complete = reports
    .map((report) => lastCompleteWeek(now, report.timeZone))
    .sort((a, b) => a.start.localeCompare(b.start));
  const earliest = complete[0];
  if (earliest === undefined || earliest.start > range.last.start) return range.last;

  return earliest;
}
