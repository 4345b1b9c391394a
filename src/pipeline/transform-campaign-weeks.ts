import { SourceError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { addMetrics } from '../shared/metrics.ts';
import type { AdSetWeek, CampaignWeek, Metrics, RawPayload, Week } from '../shared/types.ts';
import { weekContaining } from '../shared/week.ts';
import type { AdAccountInfo } from '../sources/meta/graph-client.ts';
import { parseAccountInfo } from '../sources/meta/parse-account.ts';
import {
  type AdSetRow,
  parseInsightsRow,
  type RowProblemCode,
} from '../sources/meta/parse-insights-row.ts';

/** Owner ids and currency of the campaign-weeks, and the lead action type to count. */
export interface TransformContext {
  reportId: string;
  propertyId: string;
  accountId: string;
  currency: string;
  runId: string;
  fetchedAt: string;
  /** The one action type counted as a lead, `lead` by default. */
  leadActionType: string;
}

/** A skipped insights row: `rowIndex` counts rows across all pages from 0, and `message` from 1. */
export interface RowWarning {
  accountId: string;
  weekStart: string;
  rowIndex: number;
  code: RowProblemCode | 'duplicate_adset';
  message: string;
}

/** Objectives whose results are leads; only these campaigns count towards CPL. */
const LEAD_OBJECTIVES = new Set(['OUTCOME_LEADS', 'LEAD_GENERATION']);

interface LocatedRow {
  row: unknown;
  rowIndex: number;
  pageNumber: number;
}

/** Reads the ad account info from an archived `account` payload. */
export function parseAccountPayload(payload: RawPayload): AdAccountInfo {
  if (payload.key.source !== 'meta' || payload.key.name !== 'account') {
    throw invalidPayload(payload, `it is a ${payload.key.source} ${payload.key.name} payload`);
  }

  return parseAccountInfo(payload.pages[0], payload.key.account);
}

/**
 * Turns one week's `insights` payload (ad-set rows) into one campaign-week per campaign, with the
 * campaign totals summed from its ad sets. Rows that cannot be trusted are skipped and returned
 * as warnings. Throws `meta_payload_invalid` when a page is not a Graph insights response.
 */
export function toCampaignWeeks(
  payload: RawPayload,
  context: TransformContext,
): { campaignWeeks: CampaignWeek[]; warnings: RowWarning[] } {
  checkPayload(payload, context);
  const week = requestedWeek(payload);

  const { rows, warnings } = collectAdSetRows(payload, context, week);
  const campaignWeeks = groupByCampaign(rows).map((adsetRows) =>
    toCampaignWeek(adsetRows, context, week.start),
  );
  if (warnings.length > 0) {
    logger.warn('Skipped Meta insights rows', {
      accountId: context.accountId,
      weekStart: week.start,
      skipped: warnings.length,
      firstWarnings: warnings.slice(0, 3).map((warning) => warning.message),
    });
  }

  return { campaignWeeks, warnings };
}

/** Parses every row; a later row of the same ad set replaces the earlier one. */
function collectAdSetRows(
  payload: RawPayload,
  context: TransformContext,
  week: Week,
): { rows: AdSetRow[]; warnings: RowWarning[] } {
  const warnings: RowWarning[] = [];
  const warn = (rowIndex: number, code: RowWarning['code'], message: string) =>
    warnings.push({ accountId: context.accountId, weekStart: week.start, rowIndex, code, message });
  const options = { currency: context.currency, leadActionType: context.leadActionType, week };

  const adsets = new Map<string, { row: AdSetRow; rowIndex: number }>();
  for (const { row, rowIndex, pageNumber } of locateRows(payload)) {
    const parsed = parseInsightsRow(row, options);
    if ('problem' in parsed) {
      const { code, message } = parsed.problem;
      warn(rowIndex, code, `Row ${rowIndex + 1} (page ${pageNumber}) skipped: ${message}`);
      continue;
    }
    const { adsetId } = parsed.row;
    const earlier = adsets.get(adsetId);
    if (earlier) {
      const message = `Row ${earlier.rowIndex + 1} skipped: ad set ${adsetId} appears again in row ${rowIndex + 1}, which is kept`;
      warn(earlier.rowIndex, 'duplicate_adset', message);
    }
    adsets.set(adsetId, { row: parsed.row, rowIndex });
  }

  return { rows: [...adsets.values()].map((entry) => entry.row), warnings };
}

function checkPayload(payload: RawPayload, context: TransformContext): void {
  const { key } = payload;
  if (key.source !== 'meta' || key.name !== 'insights') {
    throw invalidPayload(payload, `it is a ${key.source} ${key.name} payload, not Meta insights`);
  }
  if (key.account !== context.accountId) {
    throw invalidPayload(payload, `it belongs to ${key.account}, not ${context.accountId}`);
  }
  if (!Array.isArray(payload.pages) || payload.pages.length === 0) {
    throw invalidPayload(payload, 'it has no pages');
  }
}

function requestedWeek(payload: RawPayload): Week {
  const week = weekContaining(payload.key.weekStart);
  if (week.start !== payload.key.weekStart) {
    throw invalidPayload(payload, `its week start ${payload.key.weekStart} is not a Monday`);
  }

  return week;
}

function locateRows(payload: RawPayload): LocatedRow[] {
  const located: LocatedRow[] = [];
  payload.pages.forEach((page, index) => {
    const data = (page as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) {
      throw invalidPayload(payload, `page ${index + 1} has no data array`);
    }
    for (const row of data) {
      located.push({ row, rowIndex: located.length, pageNumber: index + 1 });
    }
  });

  return located;
}

/** Groups ad-set rows by campaign, ordered by campaign id so replays give the same order. */
function groupByCampaign(rows: AdSetRow[]): AdSetRow[][] {
  const byCampaign = new Map<string, AdSetRow[]>();
  for (const row of rows) {
    const list = byCampaign.get(row.campaignId) ?? [];
    list.push(row);
    byCampaign.set(row.campaignId, list);
  }

  return [...byCampaign.keys()].sort().map((id) => byCampaign.get(id) ?? []);
}

function toCampaignWeek(
  rows: AdSetRow[],
  context: TransformContext,
  weekStart: string,
): CampaignWeek {
  const latest = rows[rows.length - 1] as AdSetRow;
  const objective = rows.find((row) => row.objective !== null)?.objective ?? null;
  const isLeadGen = objective !== null && LEAD_OBJECTIVES.has(objective);
  const adsets: AdSetWeek[] = [...rows]
    .sort((a, b) => a.adsetId.localeCompare(b.adsetId))
    .map((row) => ({
      adsetId: row.adsetId,
      adsetName: row.adsetName,
      metrics: adsetMetrics(row, isLeadGen),
    }));

  return {
    campaignId: latest.campaignId,
    campaignName: latest.campaignName,
    reportId: context.reportId,
    propertyId: context.propertyId,
    accountId: context.accountId,
    currency: context.currency,
    weekStart,
    objective,
    isLeadGen,
    metrics: addMetrics(...adsets.map((adset) => adset.metrics)),
    adsets,
    runId: context.runId,
    fetchedAt: context.fetchedAt,
  };
}

function adsetMetrics(row: AdSetRow, isLeadGen: boolean): Metrics {
  return {
    spendMinor: row.spendMinor,
    impressions: row.impressions,
    clicks: row.clicks,
    leads: row.leads,
    landingPageViews: row.landingPageViews,
    // The attribution step fills in HubSpot leads.
    hubspotLeads: 0,
    cplSpendMinor: isLeadGen ? row.spendMinor : 0,
    cplLeads: isLeadGen ? row.leads : 0,
  };
}

function invalidPayload(payload: RawPayload, reason: string): SourceError {
  const { account, weekStart } = payload.key;

  return new SourceError(
    'meta_payload_invalid',
    `Invalid Meta payload for ${account}, week of ${weekStart}: ${reason}`,
    {
      fix: 'fetch the week again from Meta; if this payload came from the raw archive, it is not a Graph API response',
    },
  );
}
