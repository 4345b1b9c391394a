/**
 * Small HTML building blocks for an email that Outlook's Word engine renders: tables for layout,
 * inline styles, unitless `width` attributes and padding on cells only.
 */
import type { Status } from '../shared/types.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

export const COLORS = {
  text: '#111827',
  muted: '#4b5563',
  border: '#e5e7eb',
  page: '#f3f4f6',
  card: '#f9fafb',
  brand: '#1e3a8a',
  hasLeads: '#dcfce7',
  noLeads: '#fef9c3',
  warning: '#991b1b',
  warningBackground: '#fef2f2',
} as const;

/**
 * Label colours with white text (contrast at least 4.5:1). The label always carries the status
 * word, so it still reads without colour, in dark mode and in a screen reader.
 */
const STATUS_COLORS: Record<Status, string> = {
  UP: '#1d4ed8',
  DOWN: '#7c3aed',
  FLAT: '#4b5563',
  ALERT: '#b91c1c',
  OK: '#15803d',
};

/** Renders a status as a coloured label that contains its own name. */
export function statusLabel(status: Status): string {
  return `<span style="background-color:${STATUS_COLORS[status]};color:#ffffff;font-size:11px;line-height:16px;font-weight:bold;padding:1px 5px">${status}</span>`;
}

/** Wraps content in one full-width row of the 600-pixel container. */
export function sectionRow(content: string, padding = '12px 16px'): string {
  return `<tr><td style="padding:${padding}">${content}</td></tr>`;
}

export function heading2(text: string): string {
  return `<h2 style="margin:0 0 8px;font-size:17px;line-height:22px;color:${COLORS.text}">${escapeHtml(text)}</h2>`;
}

export function heading3(text: string): string {
  return `<h3 style="margin:12px 0 6px;font-size:14px;line-height:20px;color:${COLORS.text}">${escapeHtml(text)}</h3>`;
}

/**
 * Wraps already escaped HTML in a paragraph. A word longer than the line, such as a long name
 * without spaces, breaks instead of widening the 600-pixel container.
 */
export function paragraph(html: string, style = ''): string {
  return `<p style="margin:0 0 6px;font-size:14px;line-height:20px;word-break:break-word${style ? `;${style}` : ''}">${html}</p>`;
}

/** Bullet lines as paragraphs, because list indents differ widely between clients. */
export function bullets(items: string[]): string {
  return items.map((item) => paragraph(`&#8226;&nbsp;${escapeHtml(item)}`)).join('');
}

/** Renders a warning line, e.g. for a property whose Meta data is unavailable. */
export function warningLine(text: string): string {
  return `<p style="margin:0 0 6px;padding:6px 8px;font-size:14px;line-height:20px;color:${COLORS.warning};background-color:${COLORS.warningBackground}">${escapeHtml(text)}</p>`;
}

export interface Column {
  title: string;
  align: 'left' | 'right';
  /** Column width as a percentage of the table. The first column takes what is left. */
  width?: number;
}

/**
 * Starts a data table. Data tables keep their table role and header cells so screen readers can
 * announce columns. Only layout tables get `role="presentation"`.
 */
export function dataTableStart(columns: Column[]): string {
  const headers = columns
    .map(
      (column) =>
        `<th align="${column.align}"${column.width ? ` width="${column.width}%"` : ''} style="font-size:11px;line-height:14px;color:${COLORS.muted};border-bottom:1px solid #d1d5db">${escapeHtml(column.title)}</th>`,
    )
    .join('');

  return `<table class="d" width="100%" cellpadding="3" cellspacing="0" border="0" style="border-collapse:collapse;font-size:12px;line-height:16px"><tr>${headers}</tr>`;
}

/** Renders a table row. Cells after the first are right-aligned numbers, given as escaped HTML. */
export function dataRow(
  cells: string[],
  options: { background?: string; nameStyle?: string },
): string {
  const background = options.background ? ` bgcolor="${options.background}"` : '';
  const [name, ...numbers] = cells;
  // Long names without spaces may break anywhere, or they would widen the table past a phone
  // screen. Numbers keep their width.
  const nameStyle = ` style="word-break:break-word${options.nameStyle ? `;${options.nameStyle}` : ''}"`;
  const numberCells = numbers.map((cell) => `<td align="right">${cell}</td>`).join('');

  return `<tr${background} style="border-bottom:1px solid ${COLORS.border}"><td${nameStyle}>${name}</td>${numberCells}</tr>`;
}

/** Renders a row spanning the table, for summaries such as "and 212 more". */
export function spanRow(text: string, columns: number): string {
  return `<tr><td colspan="${columns}" style="color:${COLORS.muted};font-style:italic">${escapeHtml(text)}</td></tr>`;
}
