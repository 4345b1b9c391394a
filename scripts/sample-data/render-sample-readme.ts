/**
 * Renders `sample-data/README.md` from the plan and the simulation, so the campaign ids and lead
 * counts it shows always match the generated files.
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
import { type CampaignDelivery, leadsOf } from './simulate-campaign-weeks.ts';

const SCENARIOS: Record<ScenarioKey, string> = {
  decline: 'Lead campaign with 20+ leads a week, then a fall in each of the last 4 weeks.',
  'noisy-stable': 'Lead campaign that swings widely week to week around 25 leads, with no trend.',
  spike: 'Single-week spike in the week of 9 Nov, back to normal since.',
  brand:
    'Awareness campaign (`OUTCOME_AWARENESS`): impressions, engagement, video views, no leads.',
  stopped: 'Campaign that stopped: no rows in the last 3 weeks.',
  started: 'Campaign that started 5 weeks ago, in the week of 26 Oct.',
  'zero-leads': 'Leads fell to zero in the last 2 weeks while spend continued.',
  tiny: 'Tiny campaign: a few leads a week, below the default minimum of 10 leads for an alert.',
  escaping:
    'Campaign and ad set names with `&`, `<`, `>`, quotes and Slack mrkdwn characters to escape.',
  'name-rule': 'HubSpot contacts carry a campaign value that only a configured name rule maps.',
};

const SCENARIO_ORDER = Object.keys(SCENARIOS) as ScenarioKey[];

/** Renders the README text, with each scenario campaign's weekly Meta leads from the simulation. */
export function renderSampleReadme(deliveries: CampaignDelivery[]): string {
  const campaigns = deliveries.map((delivery) => delivery.campaign);

  return [
    ...intro(campaigns),
    ...scenarioTable(deliveries),
    ...propertyTable(campaigns),
    ...attribution(),
    ...layout(),
    ...regenerate(),
  ].join('\n');
}

function intro(campaigns: CampaignPlan[]): string[] {
  const adsetCounts = campaigns.map((campaign) => campaign.adsets.length);

  return [
    '# Sample data',
    '',
    `Raw Meta and HubSpot payloads for the demo report \`${REPORT_ID}\` ("Acme Group — weekly ads"),`,
    'shaped exactly as the live APIs return them. `npm start` replays them as if fetched, and',
    '`adreport.config.json` is the demo config that goes with them.',
    '',
    `The data covers ${WEEK_STARTS.length} weeks, from the week of ${WEEK_STARTS[0]} to the week of`,
    `${WEEK_STARTS.at(-1)} (it ends on 2026-11-29).`,
    `There are ${PROPERTIES.length} properties, each with its own Meta ad account, and`,
    `${campaigns.length} campaigns with ${Math.min(...adsetCounts)} to ${Math.max(...adsetCounts)} ad sets each.`,
    '',
    'The numbers are simulated, not real results. Seeded random numbers (mulberry32) give binomial',
    "clicks, Poisson lead counts around each scenario's weekly mean, and spend that drifts from",
    'week to week. All money is in USD.',
    '',
  ];
}

function scenarioTable(deliveries: CampaignDelivery[]): string[] {
  const rows = SCENARIO_ORDER.flatMap((key) =>
    deliveries
      .filter((delivery) => delivery.campaign.scenarios.includes(key))
      .map((delivery) => {
        const { id, name } = delivery.campaign;

        return `| ${key} | \`${id}\` | ${tableText(name)} | ${weeklyLeads(delivery)} | ${SCENARIOS[key]} |`;
      }),
  );

  return [
    '## Scenarios',
    '',
    'Weekly leads are the Meta `lead` counts, oldest week first; `-` marks a week without rows.',
    '',
    '| scenario | campaign id | campaign | weekly leads | what it shows |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Other campaigns are steady lead, traffic and engagement campaigns. The traffic campaigns',
    'record a few pixel leads, which must not enter the cost per lead of lead campaigns.',
    '',
  ];
}

function weeklyLeads(delivery: CampaignDelivery): string {
  return delivery.weeks
    .map((adsets) =>
      adsets.length === 0 ? '-' : String(adsets.reduce((sum, adset) => sum + leadsOf(adset), 0)),
    )
    .join(' ');
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
    "Sunset Lofts' ad account is in Los Angeles time, so its Meta weeks start at 03:00 New York",
    'time. The week of 26 Oct ends on the day daylight saving time ends (1 Nov), so it is 169 hours',
    'long in both zones.',
    '',
  ];
}

function attribution(): string[] {
  return [
    '## HubSpot contacts',
    '',
    'Each week has the contacts created in that week in America/New_York, sorted by `createdate`.',
    'Contacts created late on Sunday evening in New York have a Monday UTC timestamp.',
    'The search asks for paid-social contacts and for contacts that a lead-ads integration created',
    'as offline sources. Contacts contain source properties only, with no names or email addresses.',
    "Every contact has `client_property`, so the config's `contactFilter` puts it on a property.",
    'The contacts cover each attribution path:',
    '',
    '- by id: `hsa_cam` and `hsa_grp` contain the Meta campaign and ad set ids (website forms and',
    '  lead forms), or the ids appear only as parameters of `hs_analytics_first_url`;',
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
    'Every file is a `RawPayload` (`src/shared/types.ts`) with `runId` `sample`, and its `key.name` is the',
    'file name without `.json`:',
    '',
    '- `raw/meta/<accountId>/<weekStart>/account.json`: the ad account object',
    '  (`name,account_status,currency,timezone_name,disable_reason`).',
    '- `raw/meta/<accountId>/<weekStart>/insights.json`: `level=adset` insights for the whole week,',
    `  in pages of ${META_PAGE_SIZE} rows with \`paging.cursors\`, \`previous\` and \`next\` links.`,
    `- \`raw/hubspot/${REPORT_ID}/<weekStart>/contacts.json\`: contact search responses in pages of`,
    `  ${HUBSPOT_PAGE_SIZE}, with \`paging.next.after\` on every page but the last.`,
    '',
    'The insights rows carry the details that parsers get wrong:',
    '',
    '- every number is a string, and `spend` drops trailing zeros (`"90.7"`, `"50"`);',
    '- a row without actions has no `actions` key, and an action with no count has no entry;',
    '- some rows have `"clicks": "0"` (Audience Network placements);',
    '- lead types overlap: `lead` is the sum of `onsite_conversion.lead_grouped` (Instant Forms)',
    '  and `offsite_conversion.fb_pixel_lead` (website), and `leadgen_grouped` repeats the form',
    '  leads, so only one type may be counted;',
    '- `offsite_content_view_add_meta_leads` counts content views and is not a lead.',
    '',
    'The `next` links leave out the `access_token` parameter that live links carry. The demo config',
    `sets \`meta.pageSize\` to ${META_PAGE_SIZE} to match the recorded requests. A live config should keep`,
    'the default of 500, because smaller pages mean more calls against the rate limit.',
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
    'The generator replaces only the `raw/` folder, the config and this README in the output folder.',
    'It is deterministic: the same code gives byte-identical files, and',
    '`test/sample-data/sample-data.test.ts` checks that the committed files match a fresh run.',
    'The simulation calls `Math.exp`, `Math.log` and `Math.cos`, so a JavaScript engine whose',
    'versions of these differ in the last digit could change some values.',
    'To change the data, edit the plan in `scripts/sample-data/sample-plan.ts`, regenerate, and',
    'commit the result.',
    '',
  ];
}

function tableText(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
