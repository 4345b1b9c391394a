import type { ReportData } from '../shared/types.ts';
import { buildEmailModel } from './build-email-model.ts';
import type { EmailModel } from './email-model.ts';
import { renderSparkline } from './render-charts.ts';
import { renderEmailHtml } from './render-email-html.ts';
import { renderEmailText } from './render-email-text.ts';

export interface InlineImage {
  cid: string;
  filename: string;
  contentType: 'image/png';
  content: Buffer;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  images: InlineImage[];
}

export interface RenderOptions {
  /** Draw the KPI trend charts (default true). */
  charts?: boolean;
  /** Campaign rows per property before the rest is summarised in one row (default 15). */
  maxCampaignRows?: number;
}

export const DEFAULT_MAX_CAMPAIGN_ROWS = 15;
/** The least rows a table keeps when the size budget shrinks it. */
const MIN_CAMPAIGN_ROWS = 3;
/**
 * Gmail clips HTML above about 102 KB and hides the rest. The budget stays below that with room
 * for headers and any footer a mail system adds.
 */
export const HTML_BUDGET_BYTES = 90_000;

/**
 * Renders the weekly report as subject, HTML, plain text and inline PNG charts. Pure apart from
 * reading the bundled chart font: no network, no clock, no randomness. When the HTML exceeds
 * `HTML_BUDGET_BYTES`, tables are cut to fewer rows (down to 3 per property) and summarised.
 * When a chart cannot be drawn, the email goes out without charts and says so in its notes.
 */
export function renderReportEmail(report: ReportData, options: RenderOptions = {}): RenderedEmail {
  let rows = Math.max(1, Math.floor(options.maxCampaignRows ?? DEFAULT_MAX_CAMPAIGN_ROWS));
  const firstModel = buildEmailModel(report, { maxRows: rows });
  const charts = options.charts === false ? NO_CHARTS : drawCharts(firstModel);
  let model = applyCharts(firstModel, charts);
  let html = renderEmailHtml(model);
  while (Buffer.byteLength(html, 'utf8') > HTML_BUDGET_BYTES && rows > MIN_CAMPAIGN_ROWS) {
    rows = Math.max(MIN_CAMPAIGN_ROWS, Math.floor(rows / 2));
    model = applyCharts(buildEmailModel(report, { maxRows: rows }), charts);
    html = renderEmailHtml(model);
  }

  return { subject: model.subject, html, text: renderEmailText(model), images: charts.images };
}

interface DrawnCharts {
  images: InlineImage[];
  /** Why the charts are missing, shown in the email's notes; null when none was requested. */
  failure: string | null;
}

const NO_CHARTS: DrawnCharts = { images: [], failure: null };

/** Draws every KPI chart; the KPI cards do not depend on the row budget, so this runs once. */
function drawCharts(model: EmailModel): DrawnCharts {
  try {
    const images = model.kpiGroups.flatMap((group) =>
      group.cards.flatMap((card) => {
        if (!card.chart) return [];
        const { cid, filename, values, width, height } = card.chart;
        const content = renderSparkline(values, { width, height });

        return [{ cid, filename, contentType: 'image/png' as const, content }];
      }),
    );

    return { images, failure: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);

    return { images: [], failure: `Trend charts could not be drawn: ${reason}` };
  }
}

/** Removes the chart references when no images exist, so no `cid:` points at nothing. */
function applyCharts(model: EmailModel, charts: DrawnCharts): EmailModel {
  if (charts.images.length > 0) return model;

  return {
    ...model,
    kpiGroups: model.kpiGroups.map((group) => ({
      ...group,
      cards: group.cards.map((card) => ({ ...card, chart: null })),
    })),
    notes: charts.failure ? [...model.notes, charts.failure] : model.notes,
  };
}
