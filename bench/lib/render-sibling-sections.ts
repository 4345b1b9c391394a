/**
 * Page sections for the benchmarks other modules own. Each reads only the fields it expects and
 * falls back to a plain statement of what is missing, because those JSON files change with
 * their scripts.
 */
import { count, kilobytes, megabytes, percent, table } from './markdown.ts';
import type { SiblingResult } from './run-sibling-bench.ts';

/** Renders the section of one sibling benchmark: its status, then its figures when known. */
export function renderSiblingSection(result: SiblingResult): string {
  const title = TITLES[result.script] ?? result.script;
  const page = result.markdownPath
    ? ` Full tables: [${result.markdownPath.split('/').pop()}](${result.markdownPath.split('/').pop()}).`
    : '';
  const heading = `## ${title} (\`npm run ${result.script}\`)`;
  if (result.data === null) {
    const outcome = result.status === 'failed' ? 'failed' : 'wrote no results';

    return `${heading}\n\nThis run of \`npm run ${result.script}\` ${outcome}, so there are no figures here: ${result.detail ?? 'no detail'}.${page}`;
  }
  const body = (RENDERERS[result.script] ?? renderScalars)(result.data);
  const failure =
    result.status === 'failed'
      ? ` It wrote these figures but then failed: ${result.detail ?? 'no detail'}.`
      : '';

  return `${heading}\n\nRan in ${(result.durationMs / 1000).toFixed(1)} s.${failure}${page}\n\n${body}`;
}

const TITLES: Record<string, string> = {
  'bench:signals': 'Signal quality',
  'bench:email': 'Email size',
  'bench:bot': 'Slack bot cold start and bundle size',
};

const RENDERERS: Record<string, (data: unknown) => string> = {
  'bench:signals': renderSignals,
  'bench:email': renderEmail,
  'bench:bot': renderBot,
};

interface BotBundle {
  bytes?: number;
  coldStartMs?: { median?: number; min?: number; max?: number; runs?: number };
}

function renderBot(data: unknown): string {
  const record = data as {
    adreport?: BotBundle;
    baseline?: BotBundle;
    ratio?: number;
    targets?: { maxRatio?: number; maxMedianMs?: number };
    meetsTargets?: boolean;
  };
  if (!record?.adreport?.coldStartMs) return renderScalars(data);
  const row = (name: string, bundle: BotBundle | undefined) => {
    const cold = bundle?.coldStartMs ?? {};
    const range = `${milliseconds(cold.median)} (${milliseconds(cold.min)}–${milliseconds(cold.max)})`;

    return [
      name,
      bundle?.bytes === undefined ? '—' : megabytes(bundle.bytes),
      range,
      cold.runs ?? '—',
    ];
  };
  const rows = [
    row('adreport bot bundle', record.adreport),
    row('baseline: minimal Bolt app', record.baseline),
  ];
  const targets = record.targets ?? {};
  const summary = `Ratio of medians ${record.ratio ?? '—'}× (target at most ${targets.maxRatio ?? '—'}×), median target under ${targets.maxMedianMs ?? '—'} ms. Targets met: ${yesNo(record.meetsTargets)}.`;

  return `${table(['Bundle', 'Size', 'Cold start to ack, median (min–max)', 'Runs'], rows)}\n\n${summary}`;
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) return '—';

  return value ? 'yes' : 'no';
}

function milliseconds(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)} ms`;
}

function renderSignals(data: unknown): string {
  const results = (data as { results?: unknown[] })?.results;
  if (!Array.isArray(results)) return renderScalars(data);
  const rows = results.map((entry) => {
    const market = entry as {
      market?: string;
      stationary?: { campaignWeeks?: number; stability?: number; naive?: number };
      decline?: { total?: { campaigns?: number; stability?: number; naive?: number } };
    };
    const stationary = market.stationary ?? {};
    const decline = market.decline?.total ?? {};

    return [
      market.market ?? '—',
      percent(stationary.stability ?? 0, stationary.campaignWeeks ?? 0),
      percent(stationary.naive ?? 0, stationary.campaignWeeks ?? 0),
      percent(decline.stability ?? 0, decline.campaigns ?? 0),
      percent(decline.naive ?? 0, decline.campaigns ?? 0),
    ];
  });

  return table(
    [
      'Simulated market',
      'False ALERTs, stability-first',
      'False ALERTs, naive ±10 %',
      'Sustained 25 % lead-rate decline flagged, stability-first',
      'Same, naive ±10 %',
    ],
    rows,
  );
}

function renderEmail(data: unknown): string {
  const results = (data as { results?: unknown[] })?.results;
  if (!Array.isArray(results)) return renderScalars(data);
  const rows = results.map((entry) => {
    const result = entry as {
      name?: string;
      htmlBytes?: number;
      rawBytes?: number;
      campaignRowsShown?: number;
      htmlWithinLimit?: boolean;
    };

    return [
      result.name ?? '—',
      result.htmlBytes === undefined ? '—' : kilobytes(result.htmlBytes),
      result.rawBytes === undefined ? '—' : kilobytes(result.rawBytes),
      result.campaignRowsShown === undefined ? '—' : count(result.campaignRowsShown),
      yesNo(result.htmlWithinLimit),
    ];
  });

  return table(['Scenario', 'HTML', 'Raw MIME', 'Campaign rows shown', 'HTML under 100 KB'], rows);
}

/** Lists the top-level numbers, strings and booleans of a JSON object, and nested ones one level down. */
function renderScalars(data: unknown): string {
  const rows: Array<[string, string]> = [];
  const visit = (value: unknown, path: string, depth: number) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value) && depth < 2) {
      for (const [key, inner] of Object.entries(value)) {
        visit(inner, path ? `${path}.${key}` : key, depth + 1);
      }
    } else if (['number', 'string', 'boolean'].includes(typeof value)) {
      rows.push([path, String(value)]);
    }
  };
  visit(data, '', 0);
  if (rows.length === 0) return 'The results file holds no figures this page knows how to show.';

  return table(['Field', 'Value'], rows.slice(0, 40));
}
