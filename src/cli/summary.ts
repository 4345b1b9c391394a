import { DateTime } from 'luxon';
import type { RunResult } from '../pipeline/types.ts';
import { flattenText, shortenName, shortenNamesInText } from '../shared/display-text.ts';
import { cplMinor } from '../shared/metrics.ts';
import { formatMoney } from '../shared/money.ts';
import type { Metrics, PropertyReport, ReportData } from '../shared/types.ts';
import { formatWeek } from '../shared/week.ts';
import type { ClaimExpiry } from './replay-hints.ts';

/** Cell text of a figure that is unknown, as in the email. */
const UNKNOWN = '—';

/** Options of the command that ran, which the summary names in its hints. */
export interface SummaryHints {
  /** The option that delivers a week again, e.g. `--force`. Without it no hint is printed. */
  resend?: string;
  /** The option that delivers a report the command only rebuilt, e.g. `--send`. */
  send?: string;
  /** Channels an earlier run delivered, for a command that itself delivered nothing. */
  deliveredBefore?: { email: boolean; slack: boolean };
  /** True when the logs are not printed, so a note on skipped rows gets a hint. */
  logHidden?: boolean;
  /**
   * Lease ends of the claims that kept deliveries from being made. The CLI holds the data lock,
   * so such a claim belongs to a run that stopped, not to one still sending.
   */
  claimExpiry?: ClaimExpiry;
}

/** Printed after a note on skipped Meta rows when the log, which lists each row, is hidden. */
export const VERBOSE_HINT =
  'Note: the run log lists every skipped row and prints only with -v (--verbose): run the same command with -v to see it';

/** The phrase every skipped-rows note of the pipeline contains. */
const SKIPPED_ROWS = 'skipped as invalid';

/** Formats a finished run as a short plain-text table for the terminal. */
export function formatRunSummary(result: RunResult, hints: SummaryHints = {}): string {
  const lines = [
    `${result.reportId}: week of ${formatWeek(result.week)} — ${describeOutcome(result, hints)}`,
  ];
  if (result.report) lines.push(...formatReport(result.report));
  const before = hints.deliveredBefore;
  const expiry = hints.claimExpiry ?? {};
  const emailClaim = { expiry: expiry.email, otherChannelStatus: result.slack.status };
  const slackClaim = { expiry: expiry.slack, otherChannelStatus: result.email.status };
  lines.push(`Email: ${describeDelivery(result.email, 'sent', hints, before?.email, emailClaim)}`);
  lines.push(
    `Slack: ${describeDelivery(result.slack, 'posted', hints, before?.slack, slackClaim)}`,
  );
  const names = result.report?.properties.map((property) => flattenText(property.name)) ?? [];
  for (const note of result.notes)
    lines.push(`Note: ${shortenNamesInText(flattenText(note), names)}`);
  if (hints.logHidden && result.notes.some((note) => note.includes(SKIPPED_ROWS))) {
    lines.push(VERBOSE_HINT);
  }
  for (const file of result.outputFiles) lines.push(`Wrote ${file}`);

  return lines.join('\n');
}

/** Outcomes worded from the delivery statuses and the hints, which are more precise. */
const DELIVERY_OUTCOMES = new Set(['delivered', 'not_sent', 'already_delivered']);

/** Names the outcome. A run that delivered nothing gives the reason (replay without --send). */
function describeOutcome(result: RunResult, hints: SummaryHints): string {
  if (result.outcome === 'in_progress') return describeClaimedOutcome(result, hints);
  if (!DELIVERY_OUTCOMES.has(result.outcome)) return result.outcome;
  const statuses = [result.email.status, result.slack.status];
  if (statuses.every((status) => status === 'skipped')) {
    const before = hints.deliveredBefore;
    if (before?.email && before.slack) return 'already delivered, so only rebuilt';

    return hints.send ? `rebuilt, not delivered (${hints.send} delivers it)` : 'not delivered';
  }
  // A summary written to the output folder reaches no one, so it is left out of the comparison.
  const reached = statuses.filter((status) => status !== 'written');
  if (reached.length > 0 && reached.every((status) => status.startsWith('already_'))) {
    return 'already delivered';
  }

  return 'delivered';
}

/** Channel names as the headline prints them. */
const CHANNEL_NAMES = { email: 'email', slack: 'Slack summary' } as const;

/**
 * Describes a delivery that another run has claimed. A stopped run may have delivered one channel
 * before it stopped, so the headline names the missing channel and the delivered one.
 */
function describeClaimedOutcome(result: RunResult, hints: SummaryHints): string {
  const expiry = hints.claimExpiry ?? {};
  if (!expiry.email && !expiry.slack) return 'delivery in progress in another run';
  const channels = ['email', 'slack'] as const;
  const delivered = channels.filter((channel) => isDelivered(result[channel].status));
  if (delivered.length === 0) return 'not delivered: an earlier run stopped while delivering';
  const stuck = channels.filter((channel) => result[channel].status === 'in_progress');
  const stuckNames = stuck.map((channel) => CHANNEL_NAMES[channel]).join(' and ');
  const deliveredText = delivered
    .map((channel) => `${CHANNEL_NAMES[channel]} ${deliveredVerb(result[channel].status)}`)
    .join(' and ');
  const missing = `${stuckNames} not delivered: an earlier run stopped while delivering it`;

  return `${missing}; ${deliveredText}`;
}

/**
 * Returns true when the channel's output exists for this week. A Slack summary written to the
 * output folder (no Slack bot token) counts, because a run without a token delivers only that.
 */
function isDelivered(status: string): boolean {
  return ['sent', 'posted', 'written', 'already_sent', 'already_posted'].includes(status);
}

/** Returns the headline's wording of a delivered channel (a written one names the folder). */
function deliveredVerb(status: string): string {
  return status === 'written' ? 'written to the output folder' : 'delivered';
}

/**
 * Duplicate that `--force` sends on the other channel, by that channel's status. `--force`
 * delivers both channels, so a hint that offers it for one stuck channel names the duplicate.
 * A summary written to the output folder reaches no recipient, so it has no entry.
 */
const REPEATED_BY_FORCE: Record<string, string> = {
  sent: 'emails the report again',
  already_sent: 'emails the report again',
  posted: 'posts the Slack summary again',
  already_posted: 'posts the Slack summary again',
};

function formatReport(report: ReportData): string[] {
  const rows = report.properties.map((property) => propertyRow(report, property));
  const totals = report.totalsMetrics;
  if (totals && report.currency) {
    const cells = metricCells(totals, report.currency, report.hubspotAvailable);
    rows.push(['Total', ...cells, String(report.alerts.length)]);
  }
  const header = ['Property', 'Spend', 'Leads', 'CRM leads', 'CPL', 'Alerts'];
  const lines = ['', ...table(header, rows)];
  if (!report.hubspotAvailable) {
    lines.push(`CRM leads ${UNKNOWN}: HubSpot data is unavailable for this week`);
  }
  lines.push('', `Analysis: ${describeAnalysis(report)}`);

  return lines;
}

function propertyRow(report: ReportData, property: PropertyReport): string[] {
  const name = shortenName(flattenText(property.name));
  if (property.availability === 'unavailable' || !property.metrics) {
    return [name, 'unavailable', UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN];
  }
  const alerts = report.alerts.filter(
    (alert) => alert.id === property.propertyId || ownsCampaign(property, alert.id),
  );
  const cells = metricCells(property.metrics, property.currency, report.hubspotAvailable);

  return [name, ...cells, String(alerts.length)];
}

/** Formats spend, leads, CRM leads and CPL. CRM leads are "—", not zero, without HubSpot data. */
function metricCells(metrics: Metrics, currency: string, hubspotAvailable: boolean): string[] {
  return [
    formatMoney(metrics.spendMinor, currency),
    String(metrics.leads),
    hubspotAvailable ? String(metrics.hubspotLeads) : UNKNOWN,
    formatMoney(cplMinor(metrics), currency),
  ];
}

function describeAnalysis(report: ReportData): string {
  const { analysis } = report;
  if (analysis.source === 'claude') return `Claude (${analysis.model})`;

  // A sentence break, not brackets, because the reason often contains brackets itself.
  return analysis.fallbackReason
    ? `offline narrative. ${analysis.fallbackReason}`
    : 'offline narrative';
}

/** True when the alert's entity is one of the property's campaigns or ad sets. */
function ownsCampaign(property: PropertyReport, id: string) {
  return property.campaigns.some(
    (c) => c.week.campaignId === id || c.week.adsets.some((a) => a.adsetId === id),
  );
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');

  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
}

const STATUS_TEXT: Record<string, string> = {
  sent: 'sent',
  posted: 'posted',
  written: 'written to the output folder (no Slack bot token)',
  skipped: 'not sent',
  in_progress: 'in progress in another run, which holds the claim',
  failed: 'failed',
};

/**
 * Describes one delivery; `verb` is what the channel does ("sent", "posted"). A skipped delivery
 * that an earlier run made reads as already delivered.
 */
function describeDelivery(
  delivery: { status: string; error?: string },
  verb: 'sent' | 'posted',
  { resend }: SummaryHints,
  deliveredBefore: boolean | undefined,
  claim: StaleClaim,
): string {
  if (delivery.status === 'in_progress' && claim.expiry) {
    return describeStaleClaim(verb, resend, claim.expiry, claim.otherChannelStatus);
  }
  let text = STATUS_TEXT[delivery.status] ?? delivery.status;
  const skippedAfterDelivery = delivery.status === 'skipped' && deliveredBefore;
  if (delivery.status.startsWith('already_') || skippedAfterDelivery) {
    const present = verb === 'sent' ? 'sends' : 'posts';
    text = `already ${verb} for this week, so not ${verb} again`;
    if (resend) text += ` (${resend} ${present} it again)`;
  }

  return delivery.error ? `${text}: ${delivery.error}` : text;
}

/** The claim of a stopped run on one channel, and the status of the other channel in this run. */
interface StaleClaim {
  /** Lease end of the claim. Without it the delivery reads as in progress in another run. */
  expiry: Date | undefined;
  otherChannelStatus: string;
}

/**
 * Describes a delivery held by the claim of a run that stopped: when the claim expires, as a date
 * and time in the local time zone with the zone's name, and what sends it. The resend option
 * delivers both channels, so the hint names the duplicate when the other channel was delivered.
 */
function describeStaleClaim(
  verb: 'sent' | 'posted',
  resend: string | undefined,
  expiry: Date,
  otherChannelStatus: string,
) {
  const send = verb === 'sent' ? 'send' : 'post';
  // The date matters too: in a zone ahead of UTC the lease may end on the next calendar day.
  const local = DateTime.fromJSDate(expiry).setLocale('en-GB');
  const until = `${local.toFormat('EEE d MMM HH:mm')} (${local.zoneName})`;
  const repeat = REPEATED_BY_FORCE[otherChannelStatus];
  const alsoRepeats = repeat ? `, which also ${repeat}` : '';
  const now = resend
    ? `, or now with ${resend} (the stopped run may have ${verb} it already)${alsoRepeats}`
    : '';

  return (
    `not ${verb}, because a run that stopped while it was being ${verb} holds the claim until ` +
    `${until}. Run the same command after that time to ${send} it${now}`
  );
}
