/**
 * The simulated advertiser behind the sample data: Acme Group with three apartment properties,
 * one Meta ad account each, and the campaigns that carry the demo scenarios.
 */
import { DateTime } from 'luxon';
import type { IsoDate } from '../../src/shared/types.ts';

export const REPORT_ID = 'acme-weekly';
export const REPORT_TIME_ZONE = 'America/New_York';
export const RUN_ID = 'sample';
export const GRAPH_BASE_URL = 'https://graph.facebook.com/v27.0';
export const HUBSPOT_SEARCH_URL = 'https://api.hubapi.com/crm/v3/objects/contacts/search';
export const META_PAGE_SIZE = 25;
export const HUBSPOT_PAGE_SIZE = 50;

/** The 12 report weeks, Mondays; the last one is 23–29 Nov 2026. */
export const WEEK_STARTS: readonly IsoDate[] = [
  '2026-09-07',
  '2026-09-14',
  '2026-09-21',
  '2026-09-28',
  '2026-10-05',
  '2026-10-12',
  '2026-10-19',
  '2026-10-26',
  '2026-11-02',
  '2026-11-09',
  '2026-11-16',
  '2026-11-23',
];
export const WEEK_COUNT = WEEK_STARTS.length;

export type Objective =
  | 'OUTCOME_LEADS'
  | 'OUTCOME_AWARENESS'
  | 'OUTCOME_TRAFFIC'
  | 'OUTCOME_ENGAGEMENT';

/**
 * Origin marker of a campaign's HubSpot contacts: Meta ids (`hsa_*` parameters), a campaign name
 * that matches after normalisation, a value that only a configured name rule maps, or no contacts.
 */
export type ContactStyle = 'ids' | 'name' | 'name-rule' | 'none';

export type ScenarioKey =
  | 'decline'
  | 'noisy-stable'
  | 'spike'
  | 'brand'
  | 'stopped'
  | 'started'
  | 'zero-leads'
  | 'tiny'
  | 'escaping'
  | 'name-rule';

export interface PropertyPlan {
  index: number;
  id: string;
  name: string;
  accountId: string;
  accountName: string;
  timeZone: string;
  website: string;
}

export interface AdSetPlan {
  id: string;
  adId: string;
  name: string;
  /** Fraction of the campaign's spend and leads. */
  share: number;
  /** Fraction of leads that come from Instant Forms (on Facebook) rather than the website. */
  formShare: number;
  /** False for a placement that draws impressions but never a click. */
  clickable: boolean;
}

export interface CampaignPlan {
  id: string;
  name: string;
  property: PropertyPlan;
  objective: Objective;
  weeklySpend: number;
  cpm: number;
  ctr: number;
  /** Expected Meta leads per week, one entry per report week. */
  leadMeans: number[];
  /** Whether the campaign delivered in each report week. */
  active: boolean[];
  adsets: AdSetPlan[];
  contactStyle: ContactStyle;
  /** Campaign values in HubSpot that only a configured name rule maps to this campaign. */
  ruleValues: string[];
  /** Regular expression of that name rule, and the ad set it names, if any. */
  rule: { pattern: string; adsetIndex: number | null } | null;
  scenarios: ScenarioKey[];
  /** Extra input to the campaign's random stream, explained at `CampaignSpec.seedSalt`. */
  seedSalt: number;
}

export const PROPERTIES: readonly PropertyPlan[] = [
  {
    index: 1,
    id: 'harbor-view',
    name: 'Harbor View Apartments',
    accountId: 'act_4410000001',
    accountName: 'Acme Group — Harbor View',
    timeZone: 'America/New_York',
    website: 'https://harborview.example.com',
  },
  {
    index: 2,
    id: 'maple-court',
    name: 'Maple Court Residences',
    accountId: 'act_4410000002',
    accountName: 'Acme Group — Maple Court',
    timeZone: 'America/New_York',
    website: 'https://maplecourt.example.com',
  },
  {
    index: 3,
    id: 'sunset-lofts',
    name: 'Sunset Lofts',
    accountId: 'act_4410000003',
    accountName: 'Acme Group — Sunset Lofts',
    timeZone: 'America/Los_Angeles',
    website: 'https://sunsetlofts.example.com',
  },
];

/** Weekly lead means that a scenario fixes; Poisson noise is added on top. */
const PROFILES = {
  decline: [31, 30, 32, 30, 31, 29, 31, 30, 24, 18, 13, 9],
  noisy: [1.0, 1.4, 0.72, 1.18, 0.8, 1.32, 0.76, 1.12, 0.84, 1.3, 0.78, 1.1].map((f) => 25 * f),
  spike: [18, 17, 18, 19, 18, 17, 18, 19, 18, 62, 19, 18],
  zeroLeads: [16, 15, 16, 17, 16, 15, 16, 16, 17, 16, 0, 0],
  started: [0, 0, 0, 0, 0, 0, 0, 8, 12, 14, 15, 15],
  stopped: [12, 12, 13, 12, 11, 12, 12, 11, 10, 0, 0, 0],
} as const;

interface CampaignSpec {
  property: string;
  name: string;
  objective?: Objective;
  spend: number;
  /** Mean leads per week, or one mean per week. */
  leads?: number | readonly number[];
  /** First and last active week index, inclusive. */
  weeks?: [number, number];
  adsets: string[];
  contacts?: ContactStyle;
  rule?: { pattern: string; values: string[]; adsetIndex?: number };
  scenarios?: ScenarioKey[];
  /**
   * Picks another random stream for the campaign. The decline scenario uses one whose Poisson
   * draws fall in each of the last weeks, so the demo shows a clean sustained decline.
   */
  seedSalt?: number;
}

const AWARENESS_ADSETS = [
  'Broad — 21-65 — 15mi',
  'Video Viewers 50% — 90d',
  'Audience Network — In-Stream Video',
];

const SPECS: CampaignSpec[] = [
  {
    property: 'harbor-view',
    name: 'HV | Leads | Always On',
    spend: 1650,
    leads: PROFILES.decline,
    seedSalt: 16,
    adsets: [
      'Lookalike 1% — Past Residents',
      'Instant Form — Tour Request',
      'Broad — 25-54',
      'Interest — Apartment Hunters',
      'Retargeting — Site Visitors 30d',
      'Advantage+ Audience',
    ],
    scenarios: ['decline'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Open House | Fall 2026',
    spend: 720,
    leads: 12,
    adsets: [
      'Interest — Apartment Hunters',
      'Retargeting — Site Visitors 30d',
      'Instant Form — Open House RSVP',
      'Local — 5mi',
      'Lookalike 2% — Tour Visitors',
    ],
    contacts: 'name-rule',
    rule: { pattern: '^openhouse[ _-]?fall', values: ['openhouse_fall26', 'OpenHouse-Fall-Tours'] },
    scenarios: ['name-rule'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Brand Awareness | Q3-Q4',
    objective: 'OUTCOME_AWARENESS',
    spend: 1100,
    adsets: [...AWARENESS_ADSETS, 'Reels — 18-34'],
    contacts: 'none',
    scenarios: ['brand'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Retargeting | Website Visitors',
    spend: 480,
    leads: 10,
    adsets: [
      'Website Visitors 14d',
      'Website Visitors 60d',
      'Floor Plan Viewers',
      'Tour No-Shows',
      'Pricing Page 7d',
    ],
  },
  {
    property: 'harbor-view',
    name: 'HV | Traffic | Floor Plans',
    objective: 'OUTCOME_TRAFFIC',
    spend: 540,
    leads: 2,
    adsets: [
      'Broad — 25-44',
      'Interest — Moving Soon',
      'Advantage+ Audience',
      'Commuters',
      'Lookalike 1%',
    ],
  },
  {
    property: 'harbor-view',
    name: 'HV | Leads | Summer Move-In Special',
    spend: 560,
    leads: PROFILES.stopped,
    weeks: [0, 8],
    adsets: [
      'Lookalike 2% — Leads',
      'Instant Form — Move-In',
      'Broad — 25-54',
      'Students',
      'Young Professionals',
      'Retargeting — Site Visitors 30d',
    ],
    scenarios: ['stopped'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Leads | Pet-Friendly Homes',
    spend: 380,
    leads: 8,
    adsets: [
      'Interest — Dog Owners',
      'Interest — Cat Owners',
      'Instant Form — Pets',
      'Dog Park — 2mi',
      'Lookalike 1%',
    ],
  },
  {
    property: 'harbor-view',
    name: 'HV | Tiny | Parking Spaces',
    spend: 45,
    leads: 1.2,
    adsets: ['Current Residents', 'Audience Network — Native'],
    scenarios: ['tiny'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Leads | Student Housing',
    spend: 620,
    leads: 15,
    adsets: [
      'Students — Campus 3mi',
      'Parents of Students',
      'Instant Form — Students',
      'Grad Students',
      'Interns',
    ],
    contacts: 'name-rule',
    rule: {
      pattern: '^hv[ _-]?students?[ _-]?q4',
      values: ['hv_students_q4', 'HV-Student-Q4'],
      adsetIndex: 0,
    },
    scenarios: ['name-rule'],
  },
  {
    property: 'harbor-view',
    name: 'HV | Engagement | Community Events',
    objective: 'OUTCOME_ENGAGEMENT',
    spend: 260,
    adsets: ['Page Followers', 'Local — 5mi', 'Families — 10mi', 'Event Goers'],
    contacts: 'none',
  },
  {
    property: 'harbor-view',
    name: 'HV | Leads | Corporate Relocation',
    spend: 140,
    leads: 3,
    adsets: [
      'Job Title — HR Managers',
      'Relocating — Interest',
      'Lookalike 1%',
      'Instant Form — Corporate',
    ],
    scenarios: ['tiny'],
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Evergreen',
    spend: 1300,
    leads: PROFILES.noisy,
    adsets: [
      'Lookalike 1% — Residents',
      'Instant Form — Tour',
      'Broad — 30-60',
      'Retargeting',
      'Interest — Gardening',
      'Advantage+ Audience',
    ],
    contacts: 'name',
    scenarios: ['noisy-stable'],
  },
  {
    property: 'maple-court',
    name: 'Spring & Summer <Sale> "VIP"',
    spend: 430,
    leads: 9,
    adsets: [
      'Renters 25–34 *Lookalike* _2%_ & <Retarget>',
      'Owners\' Club — "Gold"',
      'Broad `test` ~old~',
    ],
    contacts: 'name',
    scenarios: ['escaping'],
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Holiday Preview',
    spend: 600,
    leads: PROFILES.started,
    weeks: [7, 11],
    adsets: ['Broad — 25-54', 'Instant Form — Holiday', 'Lookalike 3%', 'Retargeting 14d'],
    scenarios: ['started'],
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Senior Living Tours',
    spend: 820,
    leads: PROFILES.zeroLeads,
    adsets: [
      'Age 60+ — 10mi',
      'Adult Children — Interest',
      'Instant Form — Tour',
      'Retirees — Interest',
    ],
    scenarios: ['zero-leads'],
  },
  {
    property: 'maple-court',
    name: 'MC | Awareness | Neighborhood Video',
    objective: 'OUTCOME_AWARENESS',
    spend: 700,
    adsets: AWARENESS_ADSETS,
    contacts: 'none',
    scenarios: ['brand'],
  },
  {
    property: 'maple-court',
    name: 'MC | Traffic | Virtual Tour',
    objective: 'OUTCOME_TRAFFIC',
    spend: 390,
    adsets: ['Broad — 25-54', 'Interest — Home Decor', 'Advantage+ Audience', 'Retargeting 30d'],
    contacts: 'none',
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Two-Bedroom Units',
    spend: 450,
    leads: 11,
    adsets: [
      'Families — 10mi',
      'Roommates — 22-30',
      'Instant Form — 2BR',
      'Lookalike 1%',
      'Upsizers',
    ],
  },
  {
    property: 'maple-court',
    name: 'MC | Tiny | Storage Units',
    spend: 38,
    leads: 1.5,
    adsets: ['Current Residents', 'Audience Network — Native'],
    scenarios: ['tiny'],
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Lookalike Test',
    spend: 260,
    leads: 6,
    adsets: ['Lookalike 1%', 'Lookalike 2%', 'Lookalike 5%', 'Lookalike 10%'],
  },
  {
    property: 'maple-court',
    name: 'MC | Leads | Waitlist',
    spend: 30,
    leads: 0.8,
    adsets: ['Waitlist — Lookalike', 'Waitlist — Retargeting'],
    scenarios: ['tiny'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Always On',
    spend: 1500,
    leads: 28,
    adsets: [
      'Lookalike 1% — Residents',
      'Instant Form — Tour',
      'Broad — 25-44',
      'Creatives — UGC',
      'Retargeting 30d',
    ],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Fall Promo',
    spend: 900,
    leads: PROFILES.spike,
    adsets: [
      'Promo — Broad',
      'Promo — Lookalike',
      'Instant Form — Promo',
      'Promo — Retargeting',
      'Promo — Students',
    ],
    scenarios: ['spike'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Awareness | Launch Video',
    objective: 'OUTCOME_AWARENESS',
    spend: 950,
    adsets: [...AWARENESS_ADSETS, 'Reels — 18-34', 'Stories — 25-44'],
    contacts: 'none',
    scenarios: ['brand'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Live-Work Lofts',
    spend: 470,
    leads: 10,
    adsets: ['Freelancers', 'Small Business Owners', 'Instant Form — Studio', 'Artists', 'Makers'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Traffic | Amenities Page',
    objective: 'OUTCOME_TRAFFIC',
    spend: 420,
    leads: 1.5,
    adsets: ['Broad — 21-45', 'Fitness — Interest', 'Advantage+ Audience', 'Retargeting 7d'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Remote Workers',
    spend: 330,
    leads: 7,
    adsets: [
      'Remote Work — Interest',
      'Tech Employees',
      'Coworking — Interest',
      'Instant Form — Remote',
      'Lookalike 2%',
    ],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Early Bird',
    spend: 240,
    leads: 5,
    adsets: [
      'Lookalike 1%',
      'Broad — 25-40',
      'Instant Form — Early Bird',
      'Retargeting 14d',
      'Students',
    ],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Tiny | Rooftop Events',
    spend: 52,
    leads: 2,
    adsets: ['Local — 3mi', 'Audience Network — Native'],
    scenarios: ['tiny'],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Downtown Commuters',
    spend: 560,
    leads: 13,
    adsets: [
      'Transit Riders',
      'Downtown Workers',
      'Instant Form — Commuters',
      'Cyclists',
      'Lookalike 1%',
    ],
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Engagement | Local Artists',
    objective: 'OUTCOME_ENGAGEMENT',
    spend: 210,
    adsets: ['Art Lovers', 'Gallery Visitors', 'Page Followers', 'Music Fans'],
    contacts: 'none',
  },
  {
    property: 'sunset-lofts',
    name: 'SL | Leads | Furnished Units',
    spend: 400,
    leads: 9,
    adsets: [
      'Corporate Travelers',
      'Interns — Summer',
      'Instant Form — Furnished',
      'Nurses',
      'Relocating',
    ],
  },
];

const MEDIA: Record<Objective, { cpm: number; ctr: number }> = {
  OUTCOME_LEADS: { cpm: 18, ctr: 0.0135 },
  OUTCOME_AWARENESS: { cpm: 6.5, ctr: 0.0035 },
  OUTCOME_TRAFFIC: { cpm: 11, ctr: 0.017 },
  OUTCOME_ENGAGEMENT: { cpm: 8, ctr: 0.006 },
};

/** Builds every campaign of the sample with its ids, weekly lead means and ad sets. */
export function buildCampaignPlans(): CampaignPlan[] {
  const counters = new Map<string, number>();

  return SPECS.map((spec) => {
    const property = findProperty(spec.property);
    const number = (counters.get(property.id) ?? 0) + 1;
    counters.set(property.id, number);

    return buildCampaignPlan(spec, property, number);
  });
}

function buildCampaignPlan(spec: CampaignSpec, property: PropertyPlan, number: number) {
  const objective = spec.objective ?? 'OUTCOME_LEADS';
  const [first, last] = spec.weeks ?? [0, WEEK_COUNT - 1];
  const active = WEEK_STARTS.map((_, week) => week >= first && week <= last);
  const plan: CampaignPlan = {
    id: campaignId(property, number),
    name: spec.name,
    property,
    objective,
    weeklySpend: spec.spend,
    ...MEDIA[objective],
    leadMeans: WEEK_STARTS.map((_, week) => (active[week] ? leadMean(spec.leads, week) : 0)),
    active,
    adsets: buildAdSets(spec.adsets, property, number),
    contactStyle: spec.contacts ?? (spec.leads === undefined ? 'none' : 'ids'),
    ruleValues: spec.rule?.values ?? [],
    rule: spec.rule
      ? { pattern: spec.rule.pattern, adsetIndex: spec.rule.adsetIndex ?? null }
      : null,
    scenarios: spec.scenarios ?? [],
    seedSalt: spec.seedSalt ?? 0,
  };

  return plan;
}

function leadMean(leads: CampaignSpec['leads'], week: number): number {
  if (leads === undefined) return 0;
  if (typeof leads === 'number') return leads;

  return leads[week] ?? 0;
}

function buildAdSets(names: string[], property: PropertyPlan, campaign: number): AdSetPlan[] {
  const weights = names.map((name, index) => adSetWeight(name, index));
  const total = weights.reduce((sum, weight) => sum + weight, 0);

  return names.map((name, index) => ({
    id: adSetId(property, campaign, index + 1, '1'),
    adId: adSetId(property, campaign, index + 1, '9'),
    name,
    share: (weights[index] ?? 0) / total,
    formShare: formShareOf(name),
    clickable: !name.startsWith('Audience Network'),
  }));
}

// Audience Network placements take a small slice; the first ad set is usually the workhorse.
function adSetWeight(name: string, index: number): number {
  if (name.startsWith('Audience Network')) return 0.15;

  return index === 0 ? 1.6 : 1 - index * 0.08;
}

function formShareOf(name: string): number {
  if (name.startsWith('Instant Form')) return 1;
  if (name.startsWith('Website') || name.startsWith('Retargeting')) return 0;

  return 0.35;
}

// Meta ids are 18-digit numeric strings. These encode property, campaign and ad set, so a reader
// of the JSON can tell them apart.
function campaignId(property: PropertyPlan, campaign: number): string {
  return `12021${property.index}${String(campaign).padStart(3, '0')}000000000`;
}

function adSetId(property: PropertyPlan, campaign: number, adset: number, kind: string): string {
  const prefix = `1202${kind}${property.index}${String(campaign).padStart(3, '0')}`;

  return `${prefix}0000000${String(adset).padStart(2, '0')}`;
}

function findProperty(id: string): PropertyPlan {
  const property = PROPERTIES.find((candidate) => candidate.id === id);
  if (!property) throw new RangeError(`Unknown property "${id}" in the sample plan`);

  return property;
}

/** Lowercases a campaign name and collapses every run of other characters into one space. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Returns the scheduled fetch time: the Monday after the week, 07:00 in the report's zone. */
export function fetchTime(weekStart: IsoDate, seconds: number): string {
  return DateTime.fromISO(weekStart, { zone: REPORT_TIME_ZONE })
    .plus({ weeks: 1, hours: 7, seconds })
    .toUTC()
    .toISO() as string;
}
