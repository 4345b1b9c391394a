import { buildFacts } from '../analysis/facts.ts';
import type { Secrets } from '../config/secrets.ts';
import { createSampleSources } from '../local/sample-source.ts';
import { bothSettled } from '../shared/both-settled.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { Analysis, PropertyWeek, Week } from '../shared/types.ts';
import { formatWeek, weekContaining, weeksEndingWith } from '../shared/week.ts';
import { writeRunManifest } from './archive-raw.ts';
import { buildCurrentWeeks } from './build-current-weeks.ts';
import { buildHistory } from './build-history.ts';
import { buildReportData } from './build-report-data.ts';
import { computeSignals } from './compute-signals.ts';
import { deliverReport } from './deliver-report.ts';
import {
  describeFailedMetaWeeks,
  describeSkippedRows,
  everyPropertyUnavailable,
} from './describe-meta-gaps.ts';
import { dropHubSpotSignals } from './drop-hubspot-signals.ts';
import { type FetchedSources, fetchSources } from './fetch-sources.ts';
import { fillStoredHubSpotLeads, splitEarlierPayloads } from './fill-stored-hubspot-leads.ts';
import { keepStoredHubSpotLeads, weeksMissingHubSpot } from './keep-stored-hubspot-leads.ts';
import { loadArchivedSources } from './load-archived-sources.ts';
import { noteEarlierWeeks } from './note-earlier-weeks.ts';
import { readPropertyWeeks, readStoredWeeks, readUnlistedCampaigns } from './read-stored-weeks.ts';
import { failRun, finishRun, finishStoreOnly, step } from './record-run.ts';
import { createLiveSources } from './sources.ts';
import { type RunContext, startRun } from './start-run.ts';
import { storeMetrics } from './store-metrics.ts';
import { stripOperatorFix } from './strip-operator-fix.ts';
import type { PipelineDeps, RunRequest, RunResult } from './types.ts';
import { writeAnalysis } from './write-analysis.ts';

/** Weeks of stored history the statuses and charts look back over. */
const HISTORY_WEEKS = 12;

/**
 * Runs the weekly report for one report and week, from fetching to delivery. Each step is one call;
 * a failed source degrades the report instead of stopping it, and every run leaves a record.
 */
export async function runReport(deps: PipelineDeps, request: RunRequest): Promise<RunResult> {
  const run = await startRun(deps, request);
  logger.appendKeys({ runId: run.runId, reportId: run.report.id, weekStart: run.week.start });
  logger.info('Run started', { trigger: request.trigger, replay: request.replay === true });
  try {
    // 1–3. Fetch Meta and HubSpot, archiving each payload on arrival (or read the archive). The
    // stored weeks are read meanwhile, because HubSpot's search pacing leaves the time for it.
    const storedWeeks = weeksToRead(run);
    const storedProperties = readPropertyWeeks(run.metrics, {
      propertyIds: propertyIdsOf(run),
      weeks: storedWeeks,
    });
    const [fetchedAll, known] = await bothSettled(
      step(run, 'fetch', () => fetchOrReplay(run, storedProperties)),
      step(run, 'read-stored', async () => readStoredWeeks(run.metrics, await storedProperties)),
    );
    noteUnavailableSources(run, fetchedAll);
    noteEarlierWeeks(run, describeFailedMetaWeeks(fetchedAll, known));
    const { fetched, earlier } = splitEarlierPayloads(fetchedAll, run.fetchWeeks);

    // 4–5. Transform to campaign-weeks and attribute HubSpot leads
    const current = await step(run, 'transform', () =>
      buildCurrentWeeks({
        config: deps.config,
        report: run.report,
        fetched,
        runId: run.runId,
        fetchedAt: run.startedAt.toISOString(),
      }),
    );
    if (current.warnings.length > 0) {
      run.notes.push(...describeSkippedRows(current.warnings, run.report.properties));
      logger.warn('Meta rows skipped', { warnings: current.warnings.slice(0, 20) });
    }
    if (current.currencies.size === 0) throw everyPropertyUnavailable(run.week, fetched);

    // 6. Upsert every fetched week; keep the values they replaced to spot restated figures
    const before = await step(run, 'read-unlisted', () =>
      readUnlistedCampaigns(run.metrics, known, {
        campaignWeeks: current.campaignWeeks,
        weeks: storedWeeks,
      }),
    );
    const filled = await step(run, 'fill-hubspot', () =>
      fillStoredHubSpotLeads(run.metrics, before, {
        payloads: earlier,
        properties: run.report.properties,
      }),
    );
    if (filled.failure) noteEarlierWeeks(run, [filled.failure]);
    const toStore = keepStoredHubSpotLeads(before, current, hubspotWeeks(fetched));
    const stored = await step(run, 'store', () => storeMetrics(run.metrics, toStore, before));
    if (request.storeOnly) return await finishStoreOnly(run);

    // 7. The weeks before the report week, from the reads above (no scans, no further reads)
    const history = await step(run, 'history', () =>
      buildHistory({
        campaignIds: campaignIdsOf(current.campaignWeeks, run.week.start),
        propertyIds: [...current.currencies.keys()],
        reportWeek: run.week,
        weeks: HISTORY_WEEKS - 1,
        stored: before,
        current: {
          campaignWeeks: [...toStore.campaignWeeks, ...filled.campaignWeeks],
          propertyWeeks: [...toStore.propertyWeeks, ...filled.propertyWeeks],
        },
        allTime: stored.allTime,
      }),
    );

    // 8. Deterministic statuses (none for HubSpot leads when HubSpot could not be read)
    const computed = await step(run, 'signals', () =>
      computeSignals({
        reportId: run.report.id,
        reportName: run.report.name,
        currency: singleCurrency(current.currencies),
        week: run.week,
        campaignWeeks: current.campaignWeeks.filter((c) => c.weekStart === run.week.start),
        propertyWeeks: current.propertyWeeks.filter((p) => p.weekStart === run.week.start),
        history,
        replaced: stored.replaced,
        thresholds: run.thresholds,
      }),
    );
    const signals = fetched.hubspot.unavailableReason ? dropHubSpotSignals(computed) : computed;

    // 9. Analysis: Claude, verified, or the offline narrative
    const facts = buildFacts({
      reportName: run.report.name,
      week: run.week,
      currency: singleCurrency(current.currencies),
      signals,
      campaignWeeks: current.campaignWeeks.filter((c) => c.weekStart === run.week.start),
      propertyNames: new Map(run.report.properties.map((p) => [p.id, p.name])),
      notes: run.notes.map(stripOperatorFix),
    });
    const { analysis, events } = await step(run, 'analysis', () =>
      writeAnalysis({ facts, client: run.anthropic, options: deps.config.anthropic }),
    );

    // 10. Report data for the renderers
    const data = buildReportData({
      report: run.report,
      runId: run.runId,
      week: run.week,
      generatedAt: deps.now().toISOString(),
      fetched,
      current,
      signals,
      analysis,
      allTime: stored.allTime,
      // A copy, so notes added after this point reach the ops message but not the report.
      notes: [...run.notes],
    });
    noteOfflineAnalysis(run, analysis);

    // 11–12. Email, then the Slack summary, each at most once per report and week
    const { notes: renderNotes, ...delivered } = await step(run, 'deliver', () =>
      deliverReport({
        config: deps.config,
        report: run.report,
        data,
        request,
        state: run.state,
        ses: deps.ses,
        slack: run.slack,
        outDir: deps.outDir,
        sleep: deps.sleep,
        gate: deps.deliveryGate,
      }),
    );
    run.notes.push(...renderNotes);

    // 13. Run record and ops message
    return await finishRun(run, data, delivered, { ...analysisSummary(analysis), events });
  } catch (error) {
    // Bad input (an unknown week to replay, say) changes nothing and is not an incident.
    if (error instanceof InputError) throw error;
    return await failRun(run, error);
  } finally {
    logger.removeKeys(['runId', 'reportId', 'weekStart']);
  }
}

async function fetchOrReplay(
  run: RunContext,
  storedProperties: Promise<PropertyWeek[]>,
): Promise<FetchedSources> {
  const { deps, report } = run;
  if (run.request.replay) {
    return loadArchivedSources(deps.s3, deps.archiveBucket, report, run.week, {
      hubspotConfigured: Boolean(run.secrets.HUBSPOT_ACCESS_TOKEN),
    });
  }
  const live = (secrets: Secrets) =>
    createLiveSources({ config: deps.config, report, secrets, now: deps.now, sleep: deps.sleep });
  const sources = deps.sampleDir
    ? createSampleSources(deps.sampleDir, report.id, deps.now)
    : live(run.secrets);
  const fetched = await fetchSources({
    sources,
    ...(deps.sampleDir ? {} : { refreshSources: () => refreshedSources(run, live) }),
    report,
    weeks: run.fetchWeeks,
    hubspotWeeks: async () =>
      weeksMissingHubSpot(await storedProperties, {
        propertyIds: propertyIdsOf(run),
        weeks: run.fetchWeeks,
        earlierWeeks: weeksToRead(run),
        maxEarlierWeeks: deps.config.hubspot.uncountedWeeksPerRun,
      }),
    runId: run.runId,
    s3: deps.s3,
    bucket: deps.archiveBucket,
  });
  await writeRunManifest(deps.s3, deps.archiveBucket, {
    reportId: report.id,
    weekStart: run.week.start,
    runId: run.runId,
    createdAt: run.startedAt.toISOString(),
    keys: fetched.archivedKeys,
  });

  return fetched;
}

/** Re-reads the secrets; new sources only when a token changed, so a bad token is not retried. */
async function refreshedSources(
  run: RunContext,
  live: (secrets: Secrets) => ReturnType<typeof createLiveSources>,
) {
  const fresh = await run.deps.secrets.refresh();
  const changed =
    fresh.META_ACCESS_TOKEN !== run.secrets.META_ACCESS_TOKEN ||
    fresh.HUBSPOT_ACCESS_TOKEN !== run.secrets.HUBSPOT_ACCESS_TOKEN;
  if (!changed) return null;
  run.secrets = fresh;

  return live(fresh);
}

/**
 * Returns the weeks whose stored values a run needs: the fetched weeks, to keep what they replace,
 * and for a report the history window too. A backfill reads only what it overwrites.
 */
function weeksToRead(run: RunContext): Week[] {
  if (run.request.storeOnly) return run.fetchWeeks;
  const byStart = new Map(
    [...weeksEndingWith(run.week, HISTORY_WEEKS), ...run.fetchWeeks].map((w) => [w.start, w]),
  );

  return [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function propertyIdsOf(run: RunContext): string[] {
  return run.report.properties.map((property) => property.id);
}

/** Weeks this run has HubSpot contacts for; the others keep the counts stored earlier. */
function hubspotWeeks(fetched: FetchedSources): Set<string> {
  return new Set(fetched.hubspot.payloads.map((payload) => payload.key.weekStart));
}

function noteUnavailableSources(run: RunContext, fetched: FetchedSources): void {
  for (const entry of fetched.properties) {
    if (entry.unavailableReason) {
      run.notes.push(
        `Meta data unavailable for ${entry.property.name}: ${entry.unavailableReason}`,
      );
    }
  }
  // A report without HubSpot states it in its lead section; only a HubSpot failure degrades the run.
  if (fetched.hubspot.configured && fetched.hubspot.unavailableReason) {
    run.notes.push(fetched.hubspot.unavailableReason);
  }
  const fetchStarts = new Set(run.fetchWeeks.map((week) => week.start));
  for (const failure of fetched.hubspot.failedWeeks ?? []) {
    const retried = fetchStarts.has(failure.weekStart)
      ? 'each run searches it again while the week is re-fetched'
      : `later runs search it again while it is within the last ${HISTORY_WEEKS} weeks`;
    const note = `HubSpot contacts of the week of ${formatWeek(weekContaining(failure.weekStart))} could not be read (${failure.reason}), so its HubSpot leads stay unknown; ${retried}`;
    noteEarlierWeeks(run, [{ weekStarts: [failure.weekStart], note }]);
  }
}

/**
 * Adds a note when a configured Claude could not write the analysis, so the run is degraded and
 * the ops message reaches the technical owner. The report already names the reason next to the
 * offline narrative.
 */
function noteOfflineAnalysis(run: RunContext, analysis: Analysis): void {
  if (!run.anthropic || analysis.source === 'claude') return;
  run.notes.push(
    `Claude analysis unavailable, so the report carries the offline narrative: ${analysis.fallbackReason ?? 'no reason recorded'}`,
  );
}

function campaignIdsOf(
  campaignWeeks: Array<{ campaignId: string; weekStart: string }>,
  weekStart: string,
) {
  return [
    ...new Set(campaignWeeks.filter((c) => c.weekStart === weekStart).map((c) => c.campaignId)),
  ];
}

function singleCurrency(currencies: Map<string, string>): string | null {
  const distinct = new Set(currencies.values());

  return distinct.size === 1 ? ([...distinct][0] as string) : null;
}

function analysisSummary(analysis: {
  source: string;
  model: string | null;
  fallbackReason: string | null;
  droppedClaims: number;
  usage: unknown;
}) {
  return {
    source: analysis.source,
    model: analysis.model,
    fallbackReason: analysis.fallbackReason,
    droppedClaims: analysis.droppedClaims,
    usage: analysis.usage,
  };
}
