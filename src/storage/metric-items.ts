import { StoreError } from '../shared/errors.ts';
import { METRIC_KEYS } from '../shared/metrics.ts';
import type { CampaignWeek, Metrics, PropertyWeek } from '../shared/types.ts';
import { METRICS_KEYS, PROPERTY_WEEK_ATTRIBUTE } from './table-definitions.ts';

/**
 * Item layout of the metrics table. Domain fields are stored under their TypeScript names next to
 * the key attributes, so an item reads back into the domain type by dropping the keys.
 */
type Item = Record<string, unknown>;

const PK = METRICS_KEYS.partitionKey;
const SK = METRICS_KEYS.sortKey;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEY_ATTRIBUTES = [PK, SK, PROPERTY_WEEK_ATTRIBUTE, 'item_type', 'updated_at'];

/** Partition key of a property's weekly aggregates. */
export const propertyPartition = (propertyId: string): string => `property#${propertyId}`;
/** Partition key of a property's all-time totals (sort key `all`). */
export const allTimePartition = (propertyId: string): string => `alltime#${propertyId}`;
/** Partition key of a report's campaign catalog (sort key: the campaign id). */
export const catalogPartition = (reportId: string): string => `catalog#${reportId}`;

export function campaignKey(campaignId: string, weekStart: string): Item {
  return { [PK]: campaignId, [SK]: weekStart };
}

export function propertyKey(propertyId: string, weekStart: string): Item {
  return { [PK]: propertyPartition(propertyId), [SK]: weekStart };
}

export function keyOfItem(item: Item): Item {
  return { [PK]: item[PK], [SK]: item[SK] };
}

/** Builds the stored item of a campaign-week, after validating every figure. */
export function toCampaignItem(week: CampaignWeek, updatedAt: string): Item {
  validateCampaignWeek(week);

  return {
    ...week,
    ...campaignKey(week.campaignId, week.weekStart),
    [PROPERTY_WEEK_ATTRIBUTE]: `${week.propertyId}#${week.weekStart}`,
    item_type: 'campaign_week',
    updated_at: updatedAt,
  };
}

/** Builds the stored item of a property-week aggregate, after validating every figure. */
export function toPropertyItem(week: PropertyWeek, updatedAt: string): Item {
  validatePropertyWeek(week);

  return {
    ...week,
    ...propertyKey(week.propertyId, week.weekStart),
    item_type: 'property_week',
    updated_at: updatedAt,
  };
}

export function fromCampaignItem(item: Item): CampaignWeek {
  return withoutKeys(item) as unknown as CampaignWeek;
}

export function fromPropertyItem(item: Item): PropertyWeek {
  return withoutKeys(item) as unknown as PropertyWeek;
}

/**
 * Checks a campaign-week before it is stored.
 *
 * @throws StoreError `metric_invalid` naming the campaign, the week and the field at fault.
 */
export function validateCampaignWeek(week: CampaignWeek): void {
  const where = `campaign ${week.campaignId || '(no id)'} week ${week.weekStart}`;
  requireId(where, 'campaignId', week.campaignId);
  requireId(where, 'propertyId', week.propertyId);
  requireWeekStart(where, week.weekStart);
  requireMetrics(where, 'metrics', week.metrics);
  for (const [index, adset] of (week.adsets ?? []).entries()) {
    requireId(where, `adsets[${index}].adsetId`, adset.adsetId);
    requireMetrics(where, `adsets[${index}].metrics`, adset.metrics);
  }
}

/**
 * Checks a property-week before it is stored.
 *
 * @throws StoreError `metric_invalid` naming the property, the week and the field at fault.
 */
export function validatePropertyWeek(week: PropertyWeek): void {
  const where = `property ${week.propertyId || '(no id)'} week ${week.weekStart}`;
  requireId(where, 'propertyId', week.propertyId);
  requireWeekStart(where, week.weekStart);
  requireMetrics(where, 'metrics', week.metrics);
  requireCount(where, 'campaignCount', week.campaignCount);
  requireCount(where, 'unattributedHubspotLeads', week.unattributedHubspotLeads);
  if (week.campaignIds === undefined) return;
  if (!Array.isArray(week.campaignIds)) {
    throw invalid(where, 'campaignIds', week.campaignIds, 'a list of campaign ids');
  }
  for (const [index, campaignId] of week.campaignIds.entries()) {
    requireId(where, `campaignIds[${index}]`, campaignId);
  }
}

/** Checks that every metric is a finite, non-negative integer. */
export function requireMetrics(where: string, field: string, metrics: Metrics | undefined): void {
  if (!metrics || typeof metrics !== 'object') {
    throw invalid(where, field, metrics, 'an object of weekly totals');
  }
  for (const key of METRIC_KEYS) requireCount(where, `${field}.${key}`, metrics[key]);
}

function requireCount(where: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(where, field, value, 'a finite, non-negative integer');
  }
}

// `#` separates the parts of aggregate keys such as `property#<id>`, so ids must not contain it.
function requireId(where: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('#')) {
    throw invalid(where, field, value, 'a non-empty id without "#"');
  }
}

function requireWeekStart(where: string, value: unknown): void {
  const date =
    typeof value === 'string' && ISO_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.getUTCDay() !== 1) {
    throw invalid(where, 'weekStart', value, 'the ISO date of a Monday, e.g. 2026-11-23');
  }
}

function invalid(where: string, field: string, value: unknown, expected: string): StoreError {
  return new StoreError('metric_invalid', `Invalid ${field} of ${where}: ${String(value)}`, {
    fix: `expected ${expected}; nothing was stored, so correct the transform and run again`,
  });
}

function withoutKeys(item: Item): Item {
  const copy = { ...item };
  for (const name of KEY_ATTRIBUTES) delete copy[name];

  return copy;
}
