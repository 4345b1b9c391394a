import type { KpiKey } from './types.ts';

/** Reader-facing KPI names, the same in the analysis, the email and Slack. */
export const KPI_LABELS: Record<KpiKey, string> = {
  spend: 'Spend',
  impressions: 'Impressions',
  clicks: 'Clicks',
  ctr: 'CTR',
  cpc: 'CPC',
  leads: 'Leads',
  cpl: 'CPL',
  landingPageViews: 'Landing page views',
  hubspotLeads: 'HubSpot leads',
};
