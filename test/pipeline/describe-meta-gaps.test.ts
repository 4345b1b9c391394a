import { describe, expect, it } from 'vitest';
import type { PropertyConfig } from '../../src/config/schema.ts';
import {
  describeFailedMetaWeeks,
  describeSkippedRows,
  everyPropertyUnavailable,
} from '../../src/pipeline/describe-meta-gaps.ts';
import type { FetchedSources, PropertyPayloads } from '../../src/pipeline/fetch-sources.ts';
import type { StoredWeeks } from '../../src/pipeline/read-stored-weeks.ts';
import type { RowWarning } from '../../src/pipeline/transform-campaign-weeks.ts';
import type { PropertyWeek } from '../../src/shared/types.ts';

const HARBOR = property('harbor', 'Harbor View', 'act_1');
const MAPLE = property('maple', 'Maple Court', 'act_2');
const WEEK = { start: '2026-11-16', end: '2026-11-22' };

describe('describeSkippedRows', () => {
  it('names the property, week and count', () => {
    const warnings = [warning('act_1', 2, 'spend is "abc", not a non-negative decimal')];

    const [note] = describeSkippedRows(warnings, [HARBOR, MAPLE]);

    expect(note).toBe(
      'Harbor View, week of 16–22 Nov 2026: 1 Meta row was skipped as invalid, so the property\'s figures for that week are partial. First reason: spend is "abc", not a non-negative decimal',
    );
  });

  it('leaves out the run log', () => {
    const warnings = [warning('act_1', 2, 'spend is "abc", not a non-negative decimal')];

    const [note] = describeSkippedRows(warnings, [HARBOR]);

    expect(note).not.toMatch(/run log|act_1/);
  });

  it('writes one note per property', () => {
    const warnings = [
      warning('act_1', 0, 'clicks is "-1", not a non-negative integer'),
      warning('act_2', 4, 'campaign_id is missing'),
      warning('act_1', 3, 'spend is missing'),
    ];

    const notes = describeSkippedRows(warnings, [HARBOR, MAPLE]);

    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^Harbor View, .*: 2 Meta rows were skipped.*clicks is "-1"/);
    expect(notes[1]).toMatch(/^Maple Court, .*: 1 Meta row was skipped/);
  });

  it('hedges when only duplicates were dropped', () => {
    const duplicate: RowWarning = {
      accountId: 'act_1',
      weekStart: WEEK.start,
      rowIndex: 0,
      code: 'duplicate_adset',
      message: 'Row 1 skipped: ad set 11 appears again in row 2, which is kept',
    };

    const [note] = describeSkippedRows([duplicate], [HARBOR]);

    expect(note).toContain('figures for that week may be partial');
  });

  it('names an unknown account', () => {
    const [note] = describeSkippedRows([warning('act_9', 0, 'spend is missing')], [HARBOR]);

    expect(note).toMatch(/^ad account act_9, week of/);
  });
});

describe('describeFailedMetaWeeks', () => {
  it.each([
    { stored: true, kept: 'so the figures stored earlier for that week are kept' },
    {
      stored: false,
      kept: 'so that week has no figures yet and the statuses that compare against it may be missing',
    },
  ])('says what the week keeps when stored is $stored', ({ stored, kept }) => {
    const fetched = fetchedWith({
      property: HARBOR,
      payloads: [],
      unavailableReason: null,
      failedWeeks: [{ weekStart: WEEK.start, reason: 'Meta rejected the request' }],
    });

    const notes = describeFailedMetaWeeks(fetched, storedWith(stored ? ['harbor'] : []));

    expect(notes.map((entry) => entry.note)).toEqual([
      `Meta figures of Harbor View for the week of 16–22 Nov 2026 could not be re-fetched (Meta rejected the request), ${kept}; the next run that covers the week fetches it again`,
    ]);
  });

  it('marks each note with its week', () => {
    const fetched = fetchedWith(
      {
        property: HARBOR,
        payloads: [],
        unavailableReason: null,
        failedWeeks: [
          { weekStart: '2026-11-02', reason: 'Meta rejected the request' },
          { weekStart: WEEK.start, reason: 'Meta timed out' },
        ],
      },
      { property: MAPLE, payloads: [], unavailableReason: null, failedWeeks: [] },
    );

    const notes = describeFailedMetaWeeks(fetched, storedWith([]));

    expect(notes.map((entry) => entry.weekStarts)).toEqual([['2026-11-02'], [WEEK.start]]);
    expect(notes[0]?.note).toContain('the week of 2–8 Nov 2026');
    expect(notes[1]?.note).toContain('the week of 16–22 Nov 2026');
  });
});

describe('everyPropertyUnavailable', () => {
  it('names the week and first cause', () => {
    const fetched = fetchedWith(
      { property: HARBOR, payloads: [], unavailableReason: 'No sample data for the week' },
      { property: MAPLE, payloads: [], unavailableReason: 'Meta denied access' },
    );

    const error = everyPropertyUnavailable(WEEK, fetched);

    expect(error.message).toBe(
      'Meta data is unavailable for every property for the week of 16–22 Nov 2026. First cause, Harbor View: No sample data for the week',
    );
  });
});

function property(id: string, name: string, metaAdAccountId: string): PropertyConfig {
  return { id, name, metaAdAccountId } as PropertyConfig;
}

function warning(accountId: string, rowIndex: number, reason: string): RowWarning {
  return {
    accountId,
    weekStart: WEEK.start,
    rowIndex,
    code: 'invalid_value',
    message: `Row ${rowIndex + 1} (page 1) skipped: ${reason}`,
  };
}

function fetchedWith(...properties: PropertyPayloads[]): FetchedSources {
  return {
    properties,
    hubspot: { configured: false, payloads: [], unavailableReason: null },
    archivedKeys: [],
  };
}

function storedWith(propertyIds: string[]): StoredWeeks {
  return {
    campaigns: new Map(),
    properties: new Map(
      propertyIds.map((id) => [`${id}|${WEEK.start}`, { propertyId: id } as PropertyWeek]),
    ),
    listed: new Set(),
  };
}
