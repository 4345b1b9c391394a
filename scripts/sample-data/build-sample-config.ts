/**
 * Builds the demo config: one report over the three sample properties, with the HubSpot filters
 * and name rules that the sample contacts need.
 */
import { LEAD_FILTER_GROUPS } from './build-hubspot-payloads.ts';
import {
  type CampaignPlan,
  META_PAGE_SIZE,
  PROPERTIES,
  type PropertyPlan,
  REPORT_ID,
  REPORT_TIME_ZONE,
} from './sample-plan.ts';

/** Builds the config as plain JSON; `parseConfig` validates it in the tests. */
export function buildSampleConfig(campaigns: CampaignPlan[]): object {
  return {
    reports: [
      {
        id: REPORT_ID,
        name: 'Acme Group — weekly ads',
        timeZone: REPORT_TIME_ZONE,
        recipients: ['marketing@example.com', 'leadership@example.com'],
        slackChannel: 'C0SAMPLE01',
        properties: PROPERTIES.map((property) => propertyConfig(property, campaigns)),
      },
    ],
    email: { sender: 'reports@example.com', opsRecipients: ['ops@example.com'] },
    // The recorded insights requests use pages of 25 rows, so the config sets the same size.
    meta: { apiVersion: 'v27.0', leadActionType: 'lead', pageSize: META_PAGE_SIZE },
    hubspot: { leadFilterGroups: LEAD_FILTER_GROUPS },
    slack: { teamId: 'T0SAMPLE01', adminUsers: ['U0SAMPLE01'], opsChannel: 'C0SAMPLE02' },
  };
}

function propertyConfig(property: PropertyPlan, campaigns: CampaignPlan[]): object {
  const nameRules = campaigns
    .filter((campaign) => campaign.property.id === property.id && campaign.rule)
    .map((campaign) => nameRule(campaign));

  return {
    id: property.id,
    name: property.name,
    metaAdAccountId: property.accountId,
    hubspot: {
      contactFilter: { propertyName: 'client_property', operator: 'EQ', value: property.id },
      nameRules,
    },
  };
}

function nameRule(campaign: CampaignPlan): object {
  const rule = campaign.rule as NonNullable<CampaignPlan['rule']>;
  const adset = rule.adsetIndex === null ? undefined : campaign.adsets[rule.adsetIndex];

  return {
    pattern: rule.pattern,
    campaignId: campaign.id,
    ...(adset ? { adsetId: adset.id } : {}),
  };
}
