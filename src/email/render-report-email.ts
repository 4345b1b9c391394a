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
  /** Why the charts are missing (also among the email's notes), or null when they were drawn. */
  chartFailure?: string | null;
}

export interface RenderOptions {
  /** Draw the KPI trend charts (default true). */
  charts?: boolean;
  /** Campaign rows per property before the rest is summarised in one row (default 15). */
  maxCampaignRows?: number;
}

export const DEFAULT_MAX_CAMPAIGN_ROWS = 15;
/**
 * The minimum rows a table keeps when the size budget shrinks it.
 * TODO: past about 20 properties the HTML exceeds the budget even at one row per property
 * (about 96 KB for 20). Such reports would need collapsed property sections or a link out.
 */
const MIN_CAMPAIGN_ROWS = 1;
/**
 * Gmail clips HTML above about 102 KB and hides the rest. The budget stays below that with room
 * for headers and any footer a mail system adds.
 */
export const HTML_BUDGET_BYTES = 90_000;

/**
 * Renders the weekly report as subject, HTML, plain text and inline PNG charts. Pure apart from
 * reading the bundled chart font: no network, no clock, no randomness. When the HTML exceeds
 * `HTML_BUDGET_BYTES`, tables are cut to fewer rows (down to 1 per property) and summarised.
 * When a chart cannot be drawn, the email goes out without charts and a note explains why.
 */
export function renderReportEmail(report: ReportData, options: RenderOptions = {}): RenderedEmail {
  const requestedRows = Math.max(
    1,
    Math.floor(options.maxCampaignRows ?? DEFAULT_MAX_CAMPAIGN_ROWS),
  );
  const firstModel = buildEmailModel(report, { maxRows: requestedRows });
  const charts = options.charts === false ? NO_CHARTS : drawCharts(firstModel);
  const render = (maxRows: number): RenderedDraft => {
    const model = applyCharts(buildEmailModel(report, { maxRows }), charts);

    return { model, html: renderEmailHtml(model) };
  };
  const draft = fitToBudget(render, requestedRows);

  return {
    subject: draft.model.subject,
    html: draft.html,
    text: renderEmailText(draft.model),
    images: charts.images,
    chartFailure: charts.failure,
  };
}

interface RenderedDraft {
  model: EmailModel;
  html: string;
}

const fits = (draft: RenderedDraft) => Buffer.byteLength(draft.html, 'utf8') <= HTML_BUDGET_BYTES;

/**
 * Returns the draft with the most rows, at most `requestedRows`, whose HTML fits the budget,
 * found by binary search. It never cuts below `MIN_CAMPAIGN_ROWS`, even if still over budget.
 */
function fitToBudget(
  render: (maxRows: number) => RenderedDraft,
  requestedRows: number,
): RenderedDraft {
  const full = render(requestedRows);
  if (fits(full) || requestedRows <= MIN_CAMPAIGN_ROWS) return full;
  let best = render(MIN_CAMPAIGN_ROWS);
  let low = MIN_CAMPAIGN_ROWS + 1;
  let high = requestedRows - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const draft = render(middle);
    if (fits(draft)) {
      best = draft;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }

  return best;
}

interface DrawnCharts {
  images: InlineImage[];
  /** Reason the charts are missing, shown in the email's notes. Null when none failed. */
  failure: string | null;
}

const NO_CHARTS: DrawnCharts = { images: [], failure: null };

/** Draws every KPI chart. The cards do not depend on the row budget, so this runs once. */
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
