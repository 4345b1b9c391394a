/**
 * Reads the committed sample data for the tests, with zod schemas of the Graph API and HubSpot
 * response shapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { DEFAULT_OUT_DIR } from '../../scripts/generate-sample-data.ts';

export const SAMPLE_DIR = DEFAULT_OUT_DIR;

const decimalString = z.string().regex(/^\d+(\.\d+)?$/);
const integerString = z.string().regex(/^\d+$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const rawPayloadSchema = z
  .object({
    key: z
      .object({
        source: z.enum(['meta', 'hubspot']),
        account: z.string().min(1),
        weekStart: isoDate,
        runId: z.literal('sample'),
        name: z.enum(['account', 'insights', 'contacts']),
      })
      .strict(),
    fetchedAt: z.iso.datetime(),
    request: z.object({ url: z.url(), params: z.record(z.string(), z.string()) }).strict(),
    pages: z.array(z.unknown()).min(1),
  })
  .strict();

export const accountSchema = z
  .object({
    name: z.string().min(1),
    account_status: z.literal(1),
    currency: z.string().length(3),
    timezone_name: z.string().min(1),
    disable_reason: z.literal(0),
    id: z.string().regex(/^act_\d+$/),
  })
  .strict();

export const actionSchema = z
  .object({ action_type: z.string().min(1), value: integerString })
  .strict();

export const insightsRowSchema = z
  .object({
    campaign_id: integerString,
    campaign_name: z.string().min(1),
    adset_id: integerString,
    adset_name: z.string().min(1),
    objective: z.enum([
      'OUTCOME_LEADS',
      'OUTCOME_AWARENESS',
      'OUTCOME_TRAFFIC',
      'OUTCOME_ENGAGEMENT',
    ]),
    spend: decimalString,
    impressions: integerString,
    clicks: integerString,
    actions: z.array(actionSchema).min(1).optional(),
    date_start: isoDate,
    date_stop: isoDate,
  })
  .strict();

export const insightsPageSchema = z
  .object({
    data: z.array(insightsRowSchema),
    paging: z
      .object({
        cursors: z.object({ before: z.string().min(1), after: z.string().min(1) }).strict(),
        previous: z.url().optional(),
        next: z.url().optional(),
      })
      .strict(),
  })
  .strict();

export const contactSchema = z
  .object({
    id: integerString,
    properties: z.record(z.string(), z.string().nullable()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    archived: z.literal(false),
  })
  .strict();

export const searchPageSchema = z
  .object({
    total: z.number().int().min(0),
    results: z.array(contactSchema),
    paging: z
      .object({ next: z.object({ after: integerString }).strict() })
      .strict()
      .optional(),
  })
  .strict();

export type RawPayloadFile = z.infer<typeof rawPayloadSchema>;
export type InsightsRow = z.infer<typeof insightsRowSchema>;
export type InsightsPage = z.infer<typeof insightsPageSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type SearchPage = z.infer<typeof searchPageSchema>;

/** Lists every file under `dir`, as sorted paths relative to it. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Reads and parses one JSON file of the committed sample data. */
export function readSampleJson(path: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLE_DIR, path), 'utf8'));
}

/** Reads every raw payload file with the given name, e.g. `insights.json`, that parses. */
export function readPayloads(name: string): RawPayloadFile[] {
  return listFiles(SAMPLE_DIR)
    .filter((path) => path.startsWith('raw/') && path.endsWith(`/${name}`))
    .flatMap((path) => rawPayloadSchema.safeParse(readSampleJson(path)).data ?? []);
}

/** Returns the schema of the pages of a raw payload, chosen by its key name. */
export function pageSchemaFor(name: string): z.ZodType {
  if (name === 'account') return accountSchema;
  if (name === 'insights') return insightsPageSchema;

  return searchPageSchema;
}

/** Reads every insights row with its week. Pages of the wrong shape are left out. */
export function readInsightsRows(): Array<InsightsRow & { weekStart: string }> {
  return readPayloads('insights.json').flatMap((payload) =>
    payload.pages.flatMap((page) =>
      (insightsPageSchema.safeParse(page).data?.data ?? []).map((row) => ({
        ...row,
        weekStart: payload.key.weekStart,
      })),
    ),
  );
}

/** Reads every HubSpot contact with its week. Pages of the wrong shape are left out. */
export function readContacts(): Array<Contact & { weekStart: string }> {
  return readPayloads('contacts.json').flatMap((payload) =>
    payload.pages.flatMap((page) =>
      (searchPageSchema.safeParse(page).data?.results ?? []).map((contact) => ({
        ...contact,
        weekStart: payload.key.weekStart,
      })),
    ),
  );
}

/** Returns the value of one action type in a row, 0 when the row has no such action. */
export function actionValue(row: InsightsRow, actionType: string): number {
  const action = row.actions?.find((candidate) => candidate.action_type === actionType);

  return action ? Number(action.value) : 0;
}
