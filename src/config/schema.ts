import { z } from 'zod';

/** Statuses are deterministic; these knobs tune how much movement counts as news. */
export const thresholdsSchema = z
  .object({
    /** Smallest noise band, as a fraction of the baseline, whatever the history says. */
    bandFloor: z.number().min(0).max(1).default(0.1),
    /** How many standard deviations of week-to-week variation make the band. */
    bandSigma: z.number().positive().max(10).default(2),
    /** Weeks in the rolling baseline. */
    baselineWeeks: z.number().int().min(2).max(12).default(4),
    /** Consecutive weeks that must move the same bad way before an ALERT. */
    sustainedWeeks: z.number().int().min(2).max(6).default(3),
    /**
     * How many standard errors the mean of those weeks must sit beyond the mean of the weeks
     * before them, in the bad direction, before an ALERT.
     */
    alertSigma: z.number().positive().max(10).default(1.7),
    /** Most weeks before those weeks that the sustained-move test compares them with. */
    referenceWeeks: z.number().int().min(2).max(10).default(9),
    /** Minimum weekly volumes below which a KPI can never alert. */
    minLeads: z.number().int().min(0).default(10),
    minClicks: z.number().int().min(0).default(100),
    minImpressions: z.number().int().min(0).default(2000),
    /** Minimum weekly spend in major units before spend or CPL can alert. */
    minSpend: z.number().min(0).default(100),
  })
  .strict();

const accountId = z
  .string()
  .regex(/^act_\d+$/, 'must look like act_1234567890 (the ad account id with its act_ prefix)');

const hubspotFilter = z
  .object({
    propertyName: z.string().min(1),
    operator: z.enum(['EQ', 'NEQ', 'IN', 'HAS_PROPERTY', 'CONTAINS_TOKEN']).default('EQ'),
    value: z.string().optional(),
    values: z.array(z.string()).optional(),
  })
  .strict();

const nameRule = z
  .object({
    /** Case-insensitive regular expression matched against the contact's campaign name fields. */
    pattern: z.string().min(1),
    campaignId: z.string().regex(/^\d+$/, 'must be a numeric Meta campaign id'),
    adsetId: z.string().regex(/^\d+$/, 'must be a numeric Meta ad set id').optional(),
  })
  .strict();

export const propertySchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1).max(200),
    metaAdAccountId: accountId,
    hubspot: z
      .object({
        /** Contacts of this property, when several properties share one HubSpot portal. */
        contactFilter: hubspotFilter.optional(),
        nameRules: z.array(nameRule).default([]),
      })
      .strict()
      .default({ nameRules: [] }),
  })
  .strict();

const email = z.email();

export const reportSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1).max(200),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    recipients: z.array(email).min(1).max(50),
    slackChannel: z
      .string()
      .regex(/^[CG][A-Z0-9]{6,}$/, 'must be a Slack channel id such as C0123456789')
      .optional(),
    properties: z.array(propertySchema).min(1),
    thresholds: thresholdsSchema.partial().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    reports: z.array(reportSchema).min(1),
    email: z
      .object({
        sender: email,
        /** Where degraded or failed runs are reported when no ops Slack channel is set. */
        opsRecipients: z.array(email).default([]),
      })
      .strict(),
    meta: z
      .object({
        baseUrl: z.url().default('https://graph.facebook.com'),
        apiVersion: z
          .string()
          .regex(/^v\d+\.\d+$/, 'must look like v27.0')
          .default('v27.0'),
        /** The one action type counted as a lead; Meta's roll-up `lead` by default. */
        leadActionType: z.string().min(1).default('lead'),
        /** Weeks re-fetched on every run because Meta restates conversions for up to 28 days. */
        restatementWeeks: z.number().int().min(1).max(5).default(4),
        pageSize: z.number().int().min(25).max(5000).default(500),
        /** Time limit of one Graph API request in ms; a request that runs over is retried. */
        requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .default({
        baseUrl: 'https://graph.facebook.com',
        apiVersion: 'v27.0',
        leadActionType: 'lead',
        restatementWeeks: 4,
        pageSize: 500,
        requestTimeoutMs: 30_000,
      }),
    hubspot: z
      .object({
        baseUrl: z.url().default('https://api.hubapi.com'),
        /** Filter groups (OR of ANDs) that select ad leads among the week's new contacts. */
        leadFilterGroups: z
          .array(z.object({ filters: z.array(hubspotFilter).min(1).max(5) }).strict())
          .max(4)
          .default([
            {
              filters: [
                { propertyName: 'hs_analytics_source', operator: 'EQ', value: 'PAID_SOCIAL' },
              ],
            },
          ]),
        /** Socket inactivity in ms after which a HubSpot request fails and is retried. */
        timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
        /**
         * Stored weeks before the re-fetch window that still lack HubSpot counts, searched per
         * report run, newest first. 0 leaves them to `adreport backfill`.
         */
        uncountedWeeksPerRun: z.number().int().min(0).max(52).default(2),
      })
      .strict()
      .default({
        baseUrl: 'https://api.hubapi.com',
        timeoutMs: 30_000,
        uncountedWeeksPerRun: 2,
        leadFilterGroups: [
          {
            filters: [
              { propertyName: 'hs_analytics_source', operator: 'EQ', value: 'PAID_SOCIAL' },
            ],
          },
        ],
      }),
    anthropic: z
      .object({
        baseUrl: z.url().optional(),
        model: z.string().min(1).default('claude-sonnet-5-5'),
        effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).default('medium'),
        timeoutMs: z.number().int().min(1000).max(600_000).default(90_000),
        maxTokens: z.number().int().min(1024).max(128_000).default(16_000),
      })
      .strict()
      .default({
        model: 'claude-sonnet-5-5',
        effort: 'medium',
        timeoutMs: 90_000,
        maxTokens: 16_000,
      }),
    slack: z
      .object({
        apiUrl: z.url().default('https://slack.com/api/'),
        /** The workspace allowed to call the bot; requests from any other team are rejected. */
        teamId: z
          .string()
          .regex(/^T[A-Z0-9]{6,}$/, 'must be a Slack team id such as T0123456789')
          .optional(),
        adminUsers: z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/)).default([]),
        /** Channels where commands are allowed; empty allows every channel. */
        allowedChannels: z.array(z.string().regex(/^[CGD][A-Z0-9]{6,}$/)).default([]),
        opsChannel: z
          .string()
          .regex(/^[CG][A-Z0-9]{6,}$/)
          .optional(),
        /** Time limit of one Web API request in ms. */
        timeoutMs: z.number().int().min(100).max(600_000).default(15_000),
        /** Retries of a failed Web API call (network errors, 5xx, 429), with backoff from 1 s. */
        retries: z.number().int().min(0).max(10).default(3),
      })
      .strict()
      .default({
        apiUrl: 'https://slack.com/api/',
        adminUsers: [],
        allowedChannels: [],
        timeoutMs: 15_000,
        retries: 3,
      }),
    thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
  })
  .strict();

export type AdreportConfig = z.infer<typeof configSchema>;
export type ReportConfig = z.infer<typeof reportSchema>;
export type PropertyConfig = z.infer<typeof propertySchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Thresholds of one report: the report's own values over the global ones. */
export function thresholdsFor(config: AdreportConfig, report: ReportConfig): Thresholds {
  return { ...config.thresholds, ...report.thresholds };
}
