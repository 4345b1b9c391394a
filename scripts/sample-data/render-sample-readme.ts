/**
 * Renders `sample-data/README.md` from the plan, so the campaign ids it names always match the
 * generated files.
 */
import {
  type CampaignPlan,
  HUBSPOT_PAGE_SIZE,
  META_PAGE_SIZE,
  PROPERTIES,
  REPORT_ID,
  type ScenarioKey,
  WEEK_STARTS,
} from './sample-plan.ts';

const SCENARIOS: Record<ScenarioKey, string> = {
  decline:
    'Lead campaign in a sustained decline: about 30 leads a week, then four falling weeks to about 11 while spend holds.',
  'noisy-stable':
    'Lead campaign around 25 leads a week that swings ±30 % week to week without a trend; it should stay `[FLAT]` or `[OK]`.',
  spike:
    'One-week spike: about 18 leads a week, about 62 in the week of 9 Nov, back to normal since.',
  brand:
    'Awareness campaign (`OUTCOME_AWARENESS`): impressions, engagement and video views, no lead actions.',
  stopped: 'Campaign that stopped: rows until the week of 2 Nov, none in the last 3 weeks.',
  started: 'Campaign that started 5 weeks ago, in the week of 26 Oct.',
  'zero-leads': 'Leads fell to zero in the last 2 weeks while spend continued.',
  tiny: 'Tiny campaign: a few leads and a few dollars a week, below the minimum volumes that may alert.',
  escaping:
    'Campaign and ad set names with `&`, `<`, `>`, quotes and Slack mrkdwn characters, which every renderer must escape.',
  'name-rule':
    'HubSpot contacts carry a campaign value that only a configured name rule maps to this campaign.',
};

/** Renders the README text. */
export function renderSampleReadme(campaigns: CampaignPlan[]): string {
  return [
    ...intro(campaigns),
    ...scenarioTable(campaigns),
    ...propertyTable(campaigns),
    ...attribution(),
    ...layout(),
    ...regenerate(),
  ].join('\n');
}

function intro(campaigns: CampaignPlan[]): string[] {
  return [
    '# Sample data',
    '',
    `Raw Meta and HubSpot payloads for the demo report \`${REPORT_ID}\` ("Acme Group — weekly ads"),`,
    `recorded as the live APIs return them, for ${WEEK_STARTS.length} weeks from the week of`,
    `${WEEK_STARTS[0]} to the week of ${WEEK_STARTS.at(-1)} (the latest complete week ends on 2026-11-29).`,
    `\`npm start\` replays them as if fetched. There are ${PROPERTIES.length} properties, each with`,
    `its own Meta ad account, and ${campaigns.length} campaigns with 2 to 5 ad sets each.`,
    '`adreport.config.json` is the demo config that goes with them.',
    '',
    'The numbers are simulated, not real results: seeded random numbers (mulberry32) give binomial',
    "clicks, Poisson lead counts around each scenario's weekly mean, and spend that drifts from",
    'week to week. All money is in USD.',
    '',
  ];
}

function scenarioTable(campaigns: CampaignPlan[]): string[] {
  const rows = campaigns.flatMap((campaign) =>
    campaign.scenarios.map(
      (key) => `| ${key} | \`${campaign.id}\` | ${tableText(campaign.name)} | ${SCENARIOS[key]} |`,
    ),
  );

  return [
    '## Scenarios',
    '',
    '| scenario | campaign id | campaign | what it shows |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Other campaigns are steady lead, traffic and engagement campaigns. The traffic campaigns',
    'record a few pixel leads, which must not enter the cost per lead of lead campaigns.',
    '',
  ];
}

function propertyTable(campaigns: CampaignPlan[]): string[] {
  const rows = PROPERTIES.map((property) => {
    const count = campaigns.filter((campaign) => campaign.property.id === property.id).length;

    return `| \`${property.id}\` | ${property.name} | \`${property.accountId}\` | ${property.timeZone} | ${count} |`;
  });

  return [
    '## Properties',
    '',
    '| property | name | ad account | account time zone | campaigns |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Sunset Lofts reports in Los Angeles time, so its weeks start three hours after the others.',
    '',
  ];
}

function attribution(): string[] {
  return [
    '## HubSpot contacts',
    '',
    'Each week has the contacts created in that week in America/New_York, sorted by `createdate`.',
    'The search asks for paid-social contacts and for contacts that a lead-ads integration created',
    'as offline sources. Contacts hold source properties only, with no names or email addresses.',
    "Every contact has `client_property`, so the config's `contactFilter` puts it on a property.",
    'The contacts cover each attribution path:',
    '',
    '- by id: `hsa_cam` and `hsa_grp` hold the Meta campaign and ad set ids (website forms and lead',
    '  forms), or the ids appear only as parameters of `hs_analytics_first_url`;',
    '- by name rule: `utm_campaign` values such as `openhouse_fall26` that only the Harbor View',
    '  `nameRules` map to a campaign (one rule also names an ad set);',
    '- by normalised name: `utm_campaign` spellings such as `mc_leads_evergreen` that equal the',
    '  campaign name once lowercased with every run of other characters made one space;',
    '- unattributed: paid-social contacts without a campaign, a retired campaign name, or',
    '  `OFFLINE` contacts created by an integration.',
    '',
    'About a third of Meta leads appear in HubSpot, so the two counts differ on purpose.',
    '',
  ];
}

function layout(): string[] {
  return [
    '## Layout',
    '',
    'Every file is a `RawPayload` (`src/shared/types.ts`) with `runId` `sample`:',
    '',
    '- `raw/meta/<accountId>/<weekStart>/account.json`: the ad account object',
    '  (`name,account_status,currency,timezone_name,disable_reason`).',
    `- \`raw/meta/<accountId>/<weekStart>/insights.json\`: \`level=adset\` insights for the week, in pages of ${META_PAGE_SIZE}`,
    '  rows with `paging.cursors` and `next` links. Numbers are strings, a row without actions has no',
    '  `actions` key, and lead types overlap (`lead` is the roll-up of',
    '  `onsite_conversion.lead_grouped` and `offsite_conversion.fb_pixel_lead`; `leadgen_grouped`',
    '  repeats the form leads; `offsite_content_view_add_meta_leads` is a content view, not a lead).',
    `- \`raw/hubspot/${REPORT_ID}/<weekStart>/contacts.json\`: contact search responses in pages of ${HUBSPOT_PAGE_SIZE}.`,
    '',
    'The `next` links leave out the `access_token` parameter that live links carry. The demo config',
    `sets \`meta.pageSize\` to ${META_PAGE_SIZE} to match the recorded requests; a live config should keep the`,
    'default of 500, because smaller pages mean more calls against the rate limit.',
    '',
  ];
}

function regenerate(): string[] {
  return [
    '## Regenerate',
    '',
    '```sh',
    'npm run sample-data                                     # rewrites sample-data/',
    'npx tsx scripts/generate-sample-data.ts --out /tmp/sample  # writes elsewhere',
    '```',
    '',
    'The generator is deterministic: the same code gives byte-identical files, and',
    '`test/sample-data/sample-data.test.ts` checks that the committed files match a fresh run.',
    'Change the plan in `scripts/sample-data/sample-plan.ts`, regenerate, and commit the result.',
    '',
  ];
}

function tableText(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
