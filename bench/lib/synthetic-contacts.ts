/**
 * Deterministic HubSpot contacts for the synthetic accounts: the leads of each ad set that reach
 * HubSpot, with the ad ids in their first page URL, plus contacts from other sources.
 */
import { DateTime } from 'luxon';
import type { FakeContact } from '../../test/fakes/hubspot-api.ts';
import {
  adsetWeekFigures,
  propertyIdOf,
  type SyntheticCampaign,
  unitNoise,
} from './synthetic-data.ts';

/** Share of Meta leads that reach HubSpot as paid-social contacts. */
export const HUBSPOT_LEAD_SHARE = 0.5;
/** Share of HubSpot ad leads whose first page URL carries no `hsa_*` ids (unattributed). */
const UNATTRIBUTED_SHARE = 0.1;
/** Extra contacts per ad lead that come from other sources, which the lead filter must drop. */
const NON_AD_SHARE = 0.1;

/**
 * Builds the HubSpot contacts created in one week: about half of each ad set's stored Meta
 * leads, with `hsa_cam` and `hsa_grp` in the first page URL (10 % without them), plus 10 %
 * contacts from other sources. `createdate` falls inside the week in `timeZone`.
 */
export function contactsFor(
  seed: number,
  campaigns: SyntheticCampaign[],
  week: { start: string; offset: number },
  timeZone: string,
): FakeContact[] {
  const weekStart = DateTime.fromISO(week.start, { zone: timeZone });
  const contacts: FakeContact[] = [];
  for (const campaign of campaigns) {
    campaign.adsets.forEach((adset, adsetIndex) => {
      const figures = adsetWeekFigures(seed, campaign, adsetIndex, week.offset);
      const key = `contacts:${campaign.index}:${adsetIndex}:${week.offset}`;
      const adLeads = Math.floor((figures?.leads ?? 0) * HUBSPOT_LEAD_SHARE + unitNoise(seed, key));
      const extra = Math.floor(adLeads * NON_AD_SHARE + unitNoise(seed, `${key}:extra`));
      for (let n = 0; n < adLeads + extra; n++) {
        const noise = (name: string) => unitNoise(seed, `${key}:${n}:${name}`);
        const createdAt = weekStart.plus({
          milliseconds: Math.floor(noise('at') * 7 * 86_400_000),
        });
        contacts.push(
          buildContact({
            id: String((week.offset + 1000) * 1e11 + campaign.index * 1e5 + adsetIndex * 1e3 + n),
            createdAt: createdAt.toUTC().toISO() as string,
            propertyId: propertyIdOf(campaign.propertyIndex),
            source: n < adLeads ? 'PAID_SOCIAL' : 'ORGANIC_SEARCH',
            ids:
              noise('ids') < UNATTRIBUTED_SHARE ? null : { campaign: campaign.id, adset: adset.id },
          }),
        );
      }
    });
  }

  return contacts;
}

function buildContact(input: {
  id: string;
  createdAt: string;
  propertyId: string;
  source: string;
  ids: { campaign: string; adset: string } | null;
}): FakeContact {
  const params = new URLSearchParams({ utm_source: 'facebook', utm_medium: 'paid' });
  if (input.ids) {
    params.set('hsa_cam', input.ids.campaign);
    params.set('hsa_grp', input.ids.adset);
  } else {
    params.set('utm_campaign', 'generic-brand');
  }

  return {
    id: input.id,
    properties: {
      createdate: input.createdAt,
      lastmodifieddate: input.createdAt,
      email: `lead${input.id}@example.com`,
      firstname: 'Lead',
      lastname: input.id,
      hs_analytics_source: input.source,
      client_property: input.propertyId,
      hs_analytics_first_url: `https://example.com/${input.propertyId}?${params}`,
    },
    updatedAt: input.createdAt,
  };
}
