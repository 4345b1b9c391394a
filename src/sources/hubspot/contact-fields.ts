/** Contact properties as HubSpot returns them: strings, or null when unset. */
export type ContactProperties = Record<string, string | null>;

/** Properties that may hold a campaign name, in the order attribution reads them. */
export const CAMPAIGN_NAME_PROPERTIES = [
  'hs_analytics_source_data_2',
  'utm_campaign',
  'hs_latest_source_data_2',
] as const;

/** Maximum length of a value tested against name rules, since lead fields are untrusted input. */
const MAX_NAME_LENGTH = 500;

/**
 * Returns the query parameters of the contact's first page URL (`hs_analytics_first_url`), which
 * carries the `utm_*` and `hsa_*` parameters of the ad click. Empty when the URL is absent.
 */
export function firstUrlParams(properties: ContactProperties): URLSearchParams {
  const url = properties.hs_analytics_first_url?.trim();
  if (!url) return new URLSearchParams();
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';

  return new URLSearchParams(query);
}

/** Reads an ad parameter from its custom property, else from the first page URL. */
export function adParameter(
  properties: ContactProperties,
  params: URLSearchParams,
  name: string,
): string | null {
  const value = properties[name]?.trim() || params.get(name)?.trim();

  return value ? value : null;
}

/** True for a Meta object id: digits only. Unfilled templates such as `{{campaign.id}}` fail. */
export function isMetaId(value: string | null): value is string {
  return value !== null && /^\d{1,30}$/.test(value);
}

/**
 * Returns the campaign-name values of a contact: the properties in `CAMPAIGN_NAME_PROPERTIES`,
 * then `utm_campaign` from the first page URL. Empty values are left out and long values cut.
 */
export function campaignNameValues(
  properties: ContactProperties,
  params: URLSearchParams,
): string[] {
  const values = [
    ...CAMPAIGN_NAME_PROPERTIES.map((name) => properties[name]),
    params.get('utm_campaign'),
  ];

  return values
    .map((value) => value?.trim().slice(0, MAX_NAME_LENGTH) ?? '')
    .filter((value) => value !== '');
}

/**
 * Normalises a campaign name for comparison: Unicode NFKC, lower case, and every run of
 * characters other than letters and digits collapsed to one space, so "Spring Promo",
 * "spring-promo" and "SPRING_PROMO" are equal.
 */
export function normaliseCampaignName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
