import { describe, expect, it } from 'vitest';
import { countRows, nextCursor, readSince } from '../../../src/sources/meta/graph-paging.ts';

describe('nextCursor', () => {
  it('returns cursors.after when next is present', () => {
    const page = {
      data: [],
      paging: { cursors: { after: 'QVFI' }, next: 'https://graph/x?after=QVFI' },
    };

    expect(nextCursor(page, 'act_1')).toBe('QVFI');
  });

  it('returns null on the last page', () => {
    const page = { data: [], paging: { cursors: { before: 'A', after: 'B' } } };

    expect(nextCursor(page, 'act_1')).toBeNull();
  });

  it('reads after from next without cursors', () => {
    const page = {
      data: [],
      paging: { next: 'https://graph.facebook.com/v27.0/act_1/insights?after=XYZ' },
    };

    expect(nextCursor(page, 'act_1')).toBe('XYZ');
  });

  it('throws when next has no cursor', () => {
    const page = {
      data: [],
      paging: { next: 'https://graph.facebook.com/v27.0/act_1/insights?offset=25' },
    };

    expect(() => nextCursor(page, 'act_1')).toThrow(/act_1: paging.next carries no after cursor/);
  });
});

describe('countRows', () => {
  it('sums data rows and skips other pages', () => {
    expect(countRows([{ data: [1, 2] }, { data: [3] }, { error: {} }])).toBe(3);
  });
});

describe('readSince', () => {
  it('reads since from time_range', () => {
    expect(readSince({ time_range: '{"since":"2026-11-23","until":"2026-11-29"}' })).toBe(
      '2026-11-23',
    );
  });

  it('returns null without time_range', () => {
    expect(readSince({ date_preset: 'last_week_mon_sun' })).toBeNull();
  });
});
