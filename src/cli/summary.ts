import type { RunResult } from '../pipeline/types.ts';
import { cplMinor } from '../shared/metrics.ts';
import { formatMoney } from '../shared/money.ts';
import { formatWeek } from '../shared/week.ts';

/** Formats a finished run as a short plain-text table for the terminal. */
export function formatRunSummary(result: RunResult): string {
  const report = result.report;
  const lines = [`${result.reportId}: week of ${formatWeek(result.week)} — ${result.outcome}`];
  if (report) {
    const rows = report.properties.map((p) => {
      if (p.availability === 'unavailable' || !p.metrics) {
        return [p.name, 'unavailable', '—', '—', '—', '—'];
      }
      const alerts = report.alerts.filter((a) => a.id === p.propertyId || ownsCampaign(p, a.id));
      return [
        p.name,
        formatMoney(p.metrics.spendMinor, p.currency),
        String(p.metrics.leads),
        String(p.metrics.hubspotLeads),
        formatMoney(cplMinor(p.metrics), p.currency),
        String(alerts.length),
      ];
    });
    const totals = report.totalsMetrics;
    if (totals && report.currency) {
      rows.push([
        'Total',
        formatMoney(totals.spendMinor, report.currency),
        String(totals.leads),
        String(totals.hubspotLeads),
        formatMoney(cplMinor(totals), report.currency),
        String(report.alerts.length),
      ]);
    }
    lines.push('', ...table(['Property', 'Spend', 'Leads', 'CRM leads', 'CPL', 'Alerts'], rows));
    lines.push(
      '',
      `Analysis: ${report.analysis.source === 'claude' ? `Claude (${report.analysis.model})` : `offline narrative${report.analysis.fallbackReason ? ` (${report.analysis.fallbackReason})` : ''}`}`,
    );
  }
  lines.push(`Email: ${describe(result.email)}`);
  lines.push(`Slack: ${describe(result.slack)}`);
  for (const note of result.notes) lines.push(`Note: ${note}`);
  for (const file of result.outputFiles) lines.push(`Wrote ${file}`);

  return lines.join('\n');
}

/** True when the alert's entity is one of the property's campaigns or ad sets. */
function ownsCampaign(
  property: {
    campaigns: Array<{ week: { campaignId: string; adsets: Array<{ adsetId: string }> } }>;
  },
  id: string,
) {
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
  already_sent: 'already sent for this week, so not sent again (--force sends it again)',
  already_posted: 'already posted for this week, so not posted again (--force posts it again)',
  failed: 'failed',
};

function describe(delivery: { status: string; error?: string }): string {
  const text = STATUS_TEXT[delivery.status] ?? delivery.status;

  return delivery.error ? `${text}: ${delivery.error}` : text;
}
