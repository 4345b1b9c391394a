import { describe, expect, it } from 'vitest';
import { canonicalTimeZone } from '../../src/config/canonical-time-zone.ts';

describe('canonicalTimeZone', () => {
  it.each([
    { input: 'america/new_york', zone: 'America/New_York' },
    { input: 'AMERICA/NEW_YORK', zone: 'America/New_York' },
    { input: 'america/port-au-prince', zone: 'America/Port-au-Prince' },
    { input: 'Europe/Berlin', zone: 'Europe/Berlin' },
    { input: 'Asia/Kolkata', zone: 'Asia/Kolkata' },
    { input: 'utc', zone: 'UTC' },
    { input: 'Etc/UTC', zone: 'UTC' },
  ])('returns $zone for $input', ({ input, zone }) => {
    expect(canonicalTimeZone(input)).toEqual({ zone });
  });

  it.each([
    { input: 'EST', fix: 'America/New_York' },
    { input: 'est', fix: 'America/New_York' },
    { input: 'MST', fix: 'America/Denver' },
    { input: 'HST', fix: 'Pacific/Honolulu' },
    { input: 'Etc/GMT+5', fix: 'America/New_York or Europe/Berlin' },
  ])('rejects the fixed offset $input', ({ input, fix }) => {
    const checked = canonicalTimeZone(input);

    expect(checked).toHaveProperty('problem', 'is a fixed UTC offset with no daylight saving time');
    expect(checked).toHaveProperty('fix', expect.stringContaining(fix));
  });

  it.each([
    { input: 'US/Eastern', fix: 'use the region id America/New_York' },
    { input: 'EST5EDT', fix: 'use the region id America/New_York' },
    { input: 'Cuba', fix: 'use the region id America/Havana' },
  ])('rejects the deprecated alias $input', ({ input, fix }) => {
    const checked = canonicalTimeZone(input);

    expect(checked).toHaveProperty('problem', expect.stringContaining('deprecated alias'));
    expect(checked).toHaveProperty('fix', fix);
  });

  it('rejects an unknown zone', () => {
    expect(canonicalTimeZone('Mars/Base')).toHaveProperty('problem', 'is not an IANA time zone');
  });

  it('rejects a lowercase alias it cannot recapitalise', () => {
    const checked = canonicalTimeZone('asia/kolkata');

    expect(checked).toHaveProperty('fix', 'write it as listed there, such as Asia/Calcutta');
  });
});
