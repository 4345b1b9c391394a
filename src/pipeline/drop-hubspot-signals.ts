import type { EntitySignals, KpiSignal } from '../shared/types.ts';
import type { SignalSet } from './compute-signals.ts';

/**
 * Blanks the HubSpot-lead KPI and drops its alerts for a run without HubSpot data. The stored counts
 * are kept, but this week's count is unknown: showing it as zero would read as a collapse in leads.
 */
export function dropHubSpotSignals(signals: SignalSet): SignalSet {
  return {
    ...signals,
    totals: blank(signals.totals),
    properties: blankAll(signals.properties),
    campaigns: blankAll(signals.campaigns),
    adsets: blankAll(signals.adsets),
    alerts: signals.alerts.filter((alert) => alert.kpi !== 'hubspotLeads'),
  };
}

function blankAll(entities: Map<string, EntitySignals>): Map<string, EntitySignals> {
  return new Map([...entities].map(([id, entity]) => [id, blank(entity)]));
}

function blank(entity: EntitySignals): EntitySignals {
  return { ...entity, kpis: entity.kpis.map(unknownHubSpot) };
}

function unknownHubSpot(kpi: KpiSignal): KpiSignal {
  if (kpi.key !== 'hubspotLeads') return kpi;

  return {
    ...kpi,
    value: null,
    change: null,
    status: 'FLAT',
    reason: null,
    series: [...kpi.series.slice(0, -1), null],
  };
}
