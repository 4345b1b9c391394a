import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { describe, expect, it } from 'vitest';
import type { AdreportConfig } from '../../../src/config/schema.ts';
import { ConfigError } from '../../../src/shared/errors.ts';
import { buildFilterGroups } from '../../../src/sources/hubspot/build-filter-groups.ts';

type Groups = AdreportConfig['hubspot']['leadFilterGroups'];

const WINDOW = { startMs: 100, endMs: 200 };
const CREATED = {
  propertyName: 'createdate',
  operator: FilterOperatorEnum.Between,
  value: '100',
  highValue: '200',
};

function filters(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    propertyName: `p${index}`,
    operator: 'HAS_PROPERTY' as const,
  }));
}

describe('buildFilterGroups', () => {
  it('uses the window alone without groups', () => {
    expect(buildFilterGroups([], WINDOW)).toEqual([{ filters: [CREATED] }]);
  });

  it('maps each operator to the SDK form', () => {
    const groups: Groups = [
      {
        filters: [
          { propertyName: 'a', operator: 'EQ', value: 'x' },
          { propertyName: 'b', operator: 'NEQ', value: 'y' },
          { propertyName: 'c', operator: 'IN', values: ['1', '2'] },
          { propertyName: 'd', operator: 'HAS_PROPERTY' },
          { propertyName: 'e', operator: 'CONTAINS_TOKEN', value: 'spring*' },
        ],
      },
    ];

    expect(buildFilterGroups(groups, WINDOW)).toEqual([
      {
        filters: [
          { propertyName: 'a', operator: 'EQ', value: 'x' },
          { propertyName: 'b', operator: 'NEQ', value: 'y' },
          { propertyName: 'c', operator: 'IN', values: ['1', '2'] },
          { propertyName: 'd', operator: 'HAS_PROPERTY' },
          { propertyName: 'e', operator: 'CONTAINS_TOKEN', value: 'spring*' },
          CREATED,
        ],
      },
    ]);
  });

  it.each([
    {
      limit: '5 groups',
      groups: Array.from({ length: 6 }, () => ({ filters: filters(1) })),
      message: /6 groups/,
    },
    {
      limit: '10 per group',
      groups: [{ filters: filters(10) }],
      message: /11 filters with createdate/,
    },
    {
      limit: '25 in total',
      groups: Array.from({ length: 4 }, () => ({ filters: filters(6) })),
      message: /28 filters/,
    },
  ])('throws past the limit of $limit', ({ groups, message }) => {
    const build = () => buildFilterGroups(groups, WINDOW);

    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });

  it('accepts the largest allowed set', () => {
    const groups = Array.from({ length: 5 }, () => ({ filters: filters(4) }));

    expect(buildFilterGroups(groups, WINDOW)).toHaveLength(5);
  });

  it.each<{ case: string; filter: Groups[number]['filters'][number] }>([
    { case: 'EQ without value', filter: { propertyName: 'a', operator: 'EQ' } },
    { case: 'IN without values', filter: { propertyName: 'a', operator: 'IN', values: [] } },
  ])('throws for $case', ({ filter }) => {
    const build = () => buildFilterGroups([{ filters: [filter] }], WINDOW);

    expect(build).toThrow(/leadFilterGroups\[0\] filter on a/);
  });
});
