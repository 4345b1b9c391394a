import type { KnownBlock } from '@slack/types';
import { thresholdsFor } from '../../config/schema.ts';
import { logger } from '../../shared/logger.ts';
import { formatMoney, toMajorUnits } from '../../shared/money.ts';
import { formatWeek, weekContaining } from '../../shared/week.ts';
import { contextBlock, headerBlock } from '../../slack/blocks.ts';
import { formatKpiValue } from '../../slack/format-kpi.ts';
import { chunkLines, escapeInline, escapeName } from '../../slack/mrkdwn.ts';
import { renderTrendChart } from '../../slack/render-trend-chart.ts';
import { toDeliveryError } from '../../slack/to-delivery-error.ts';
import { type CatalogEntry, MetricsStore } from '../../storage/metrics-store.ts';
import type { BotJob } from '../job-types.ts';
import type { BotDeps } from '../jobs.ts';
import { postToResponseUrl, type ResponsePayload } from '../respond.ts';
import { selectReport } from '../select-report.ts';
import { buildTrendRows, type TrendRow } from './build-trend-rows.ts';
import { MAX_LISTED_MATCHES, matchCampaign } from './match-campaign.ts';

type TrendJob = Extract<BotJob, { kind: 'trend' }>;

/**
 * Runs `/adreport trend`: finds the campaign in the report's catalog, posts a table of its
 * last weeks (spend, leads, CPL, CTR, status) to the channel and uploads a PNG chart with
 * `files.uploadV2`. Ambiguous or unknown names get a short list instead.
 */
export async function runTrendJob(job: TrendJob, deps: BotDeps): Promise<void> {
  const reply = (payload: ResponsePayload) =>
    postToResponseUrl(job.responseUrl, payload, deps.fetch);
  const { config } = deps.pipeline;
  const report = selectReport(config, job.channelId, job.reportId);
  if ('message' in report) return reply(ephemeral(report.message));
  const metrics = new MetricsStore(deps.pipeline.dynamo, deps.pipeline.metricsTable, {
    sleep: deps.pipeline.sleep,
  });
  const catalog = await metrics.getCatalog(report.id);
  if (catalog.length === 0) {
    return reply(
      ephemeral(
        `No campaigns of ${escapeInline(report.name)} are stored yet. Run \`/adreport week last\` first.`,
      ),
    );
  }
  const match = matchCampaign(job.query, catalog);
  if (match.kind === 'many')
    return reply(ephemeral(manyText(job.query, match.entries, match.total)));
  if (match.kind === 'none') return reply(ephemeral(noneText(job.query, match.suggestions)));

  const { entry } = match;
  const thresholds = thresholdsFor(config, report);
  const endWeek = weekContaining(entry.lastWeek);
  const history = await metrics.getCampaignHistory(
    entry.campaignId,
    endWeek.start,
    job.weeks + thresholds.baselineWeeks,
  );
  const latest = history.at(-1);
  if (!latest)
    return reply(ephemeral(`No stored weeks were found for ${escapeName(entry.campaignName)}.`));
  const allRows = buildTrendRows({ history, endWeek, weeks: job.weeks, thresholds });
  // Weeks before the campaign's first stored week carry nothing, so the table starts at it.
  const firstStored = allRows.findIndex((row) => row.spendMinor !== null);
  const rows = allRows.slice(Math.max(0, firstStored));
  const propertyName =
    report.properties.find((property) => property.id === entry.propertyId)?.name ??
    entry.propertyId;
  const stored = rows.length < job.weeks ? ` (${rows.length} stored)` : '';
  const title = `${entry.campaignName} (${propertyName}): ${rows.length} weeks to ${formatWeek(endWeek)}${stored}`;
  await reply({
    response_type: 'in_channel',
    text: escapeInline(title),
    blocks: trendBlocks(title, rows, latest.currency),
  });
  await uploadChart(job, deps, { title, rows, currency: latest.currency, entry });
}

/** Formats the rows as a fixed-width table inside code blocks, split to fit section limits. */
export function trendBlocks(title: string, rows: TrendRow[], currency: string): KnownBlock[] {
  const header = ['Week', 'Spend', 'Leads', 'CPL', 'CTR', 'Status'];
  const cells = rows.map((row) => [
    row.weekStart,
    formatMoney(row.spendMinor, currency),
    row.leads === null ? '—' : String(row.leads),
    formatMoney(row.cplMinor, currency),
    formatKpiValue('ctr', row.ctr, null),
    row.status ? `[${row.status}]` : '—',
  ]);
  const widths = header.map((label, column) =>
    Math.max(label.length, ...cells.map((cell) => (cell[column] as string).length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, column) => value.padEnd(widths[column] as number))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...cells.map(line)];
  // Each chunk is wrapped in its own code fence, so it must leave room for the 8 fence characters.
  const sections = chunkLines(lines, 2900).map((chunk) => ({
    type: 'section' as const,
    text: { type: 'mrkdwn' as const, text: `\`\`\`\n${chunk}\n\`\`\`` },
  }));

  return [
    headerBlock(title),
    ...sections,
    contextBlock(
      'Statuses use the same stability-first rules as the weekly report. "—" marks a week without data or an undefined ratio.',
    ),
  ];
}

async function uploadChart(
  job: TrendJob,
  deps: BotDeps,
  input: { title: string; rows: TrendRow[]; currency: string; entry: CatalogEntry },
): Promise<void> {
  const money = (minor: number | null) =>
    minor === null ? null : toMajorUnits(minor, input.currency);
  const moneyLabel = (value: number) => formatKpiValue('spend', value, input.currency);
  try {
    const png = renderTrendChart({
      title: input.title,
      weeks: input.rows.map((row) => row.weekStart),
      panels: [
        {
          title: 'Spend',
          values: input.rows.map((row) => money(row.spendMinor)),
          format: moneyLabel,
        },
        {
          title: 'Leads (Meta)',
          values: input.rows.map((row) => row.leads),
          format: (value) => String(Math.round(value)),
        },
        { title: 'CPL', values: input.rows.map((row) => money(row.cplMinor)), format: moneyLabel },
      ],
    });
    await deps.slack.files.uploadV2({
      channel_id: job.channelId,
      file: png,
      filename: `trend-${input.entry.campaignId}.png`,
      title: input.title.slice(0, 200),
      alt_text: `Spend, leads and CPL of ${input.entry.campaignName} per week`.slice(0, 1000),
    });
  } catch (error) {
    const problem = toDeliveryError(error, `files.uploadV2 to ${job.channelId}`);
    logger.warn('Trend chart upload failed', {
      channelId: job.channelId,
      code: problem.code,
      error,
    });
    await postToResponseUrl(
      job.responseUrl,
      ephemeral(
        `The table is posted, but the chart could not be uploaded: ${escapeInline(problem.message)}`,
      ),
      deps.fetch,
    );
  }
}

function manyText(query: string, entries: CatalogEntry[], total: number): string {
  const lines = [
    `${total} campaigns match "${escapeInline(query)}". Run \`/adreport trend <id>\` with one of:`,
  ];
  for (const entry of entries)
    lines.push(
      `• ${escapeName(entry.campaignName)}: \`${entry.campaignId}\` (last week ${entry.lastWeek})`,
    );
  if (total > MAX_LISTED_MATCHES)
    lines.push(`…and ${total - MAX_LISTED_MATCHES} more. Add more of the name to narrow it down.`);

  return lines.join('\n');
}

function noneText(query: string, suggestions: CatalogEntry[]): string {
  const names = suggestions.map(
    (entry) => `• ${escapeName(entry.campaignName)}: \`${entry.campaignId}\``,
  );

  return [`No campaign matches "${escapeInline(query)}". The closest names are:`, ...names].join(
    '\n',
  );
}

function ephemeral(text: string): ResponsePayload {
  return { response_type: 'ephemeral', text };
}
