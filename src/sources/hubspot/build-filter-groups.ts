import {
  type Filter,
  type FilterGroup,
  FilterOperatorEnum,
} from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { AdreportConfig } from '../../config/schema.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { SearchWindow } from './search-window.ts';

type LeadFilterGroups = AdreportConfig['hubspot']['leadFilterGroups'];
type FilterConfig = LeadFilterGroups[number]['filters'][number];

/** HubSpot search limits on filters, from HubSpot's developer changelog of 2024-08-26. */
export const SEARCH_FILTER_LIMITS = { groups: 5, filtersPerGroup: 10, filtersTotal: 25 };

/**
 * Builds the search filter groups. Groups are OR-ed and filters inside a group AND-ed, so each
 * configured group gets the `createdate` window added. With no configured groups, the window
 * alone selects every new contact. Throws a ConfigError when the result exceeds HubSpot's filter
 * limits or a filter lacks a value.
 */
export function buildFilterGroups(groups: LeadFilterGroups, window: SearchWindow): FilterGroup[] {
  const created = createdBetween(window);
  const built =
    groups.length === 0
      ? [{ filters: [created] }]
      : groups.map((group, index) => ({
          filters: [...group.filters.map((filter) => toSdkFilter(filter, index)), created],
        }));
  checkLimits(built);

  return built;
}

function createdBetween(window: SearchWindow): Filter {
  return {
    propertyName: 'createdate',
    operator: FilterOperatorEnum.Between,
    value: String(window.startMs),
    highValue: String(window.endMs),
  };
}

function toSdkFilter(filter: FilterConfig, groupIndex: number): Filter {
  const where = `hubspot.leadFilterGroups[${groupIndex}] filter on ${filter.propertyName}`;
  if (filter.operator === 'HAS_PROPERTY') {
    return { propertyName: filter.propertyName, operator: FilterOperatorEnum.HasProperty };
  }
  if (filter.operator === 'IN') {
    if (!filter.values?.length) {
      throw new ConfigError('hubspot_filter_invalid', `${where} uses IN without values`, {
        fix: 'list the accepted values in "values", e.g. ["PAID_SOCIAL"]',
      });
    }
    return {
      propertyName: filter.propertyName,
      operator: FilterOperatorEnum.In,
      values: filter.values,
    };
  }
  if (filter.value === undefined) {
    throw new ConfigError(
      'hubspot_filter_invalid',
      `${where} uses ${filter.operator} without a value`,
      {
        fix: 'set "value" to the string to compare with',
      },
    );
  }

  return {
    propertyName: filter.propertyName,
    operator: FilterOperatorEnum[OPERATOR_NAMES[filter.operator]],
    value: filter.value,
  };
}

const OPERATOR_NAMES = {
  EQ: 'Eq',
  NEQ: 'Neq',
  CONTAINS_TOKEN: 'ContainsToken',
} as const satisfies Record<string, keyof typeof FilterOperatorEnum>;

function checkLimits(groups: FilterGroup[]): void {
  const { groups: maxGroups, filtersPerGroup, filtersTotal } = SEARCH_FILTER_LIMITS;
  const fix =
    'shorten hubspot.leadFilterGroups: one createdate filter is added to every group, and ' +
    `HubSpot accepts at most ${maxGroups} groups, ${filtersPerGroup} filters per group and ` +
    `${filtersTotal} filters in total`;
  if (groups.length > maxGroups) {
    throw new ConfigError(
      'hubspot_filter_limit',
      `hubspot.leadFilterGroups has ${groups.length} groups, above HubSpot's limit of ${maxGroups}`,
      { fix },
    );
  }
  for (const [index, group] of groups.entries()) {
    if (group.filters.length > filtersPerGroup) {
      throw new ConfigError(
        'hubspot_filter_limit',
        `hubspot.leadFilterGroups[${index}] has ${group.filters.length} filters with createdate, above HubSpot's limit of ${filtersPerGroup} per group`,
        { fix },
      );
    }
  }
  const total = groups.reduce((sum, group) => sum + group.filters.length, 0);
  if (total > filtersTotal) {
    throw new ConfigError(
      'hubspot_filter_limit',
      `hubspot.leadFilterGroups has ${total} filters with createdate, above HubSpot's limit of ${filtersTotal} in total`,
      { fix },
    );
  }
}
