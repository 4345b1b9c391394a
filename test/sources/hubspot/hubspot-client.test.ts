import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/shared/errors.ts';
import {
  CLIENT_CALL_OPTIONS,
  createHubSpotClient,
} from '../../../src/sources/hubspot/hubspot-client.ts';
import { type FakeHubSpot, hubspotFaults, startFakeHubSpot } from '../../fakes/hubspot-api.ts';

let fake: FakeHubSpot;

beforeEach(async () => {
  fake = await startFakeHubSpot();
});

afterEach(async () => {
  await fake.close();
});

describe('createHubSpotClient', () => {
  it('sends the token as a Bearer header', async () => {
    const client = createHubSpotClient({ baseUrl: `${fake.url}/`, accessToken: 'pat-test-token' });

    await client.crm.contacts.searchApi.doSearch({ limit: 1 });

    expect(fake.requests[0]?.authorization).toBe('Bearer pat-test-token');
    expect(fake.requests[0]?.path).toBe('/crm/v3/objects/contacts/search');
  });

  it('leaves retries to the caller', async () => {
    const client = createHubSpotClient({ baseUrl: fake.url, accessToken: 'pat-test-token' });
    fake.enqueue(hubspotFaults.secondlyLimit(), hubspotFaults.serverError());

    const first = client.crm.contacts.searchApi.doSearch({ limit: 1 });
    await expect(first).rejects.toMatchObject({ code: 429 });
    const second = client.crm.contacts.searchApi.doSearch({ limit: 1 });
    await expect(second).rejects.toMatchObject({ code: 502 });

    expect(fake.requests).toHaveLength(2);
  });

  it('fails a silent request after timeoutMs', async () => {
    const client = createHubSpotClient({
      baseUrl: fake.url,
      accessToken: 'pat-test-token',
      timeoutMs: 100,
    });
    fake.enqueue(hubspotFaults.timeout());

    const search = client.crm.contacts.searchApi.doSearch({ limit: 1 }, CLIENT_CALL_OPTIONS);

    await expect(search).rejects.toMatchObject({ name: 'FetchError' });
    await expect(search).rejects.toThrow(/HubSpot sent no data for 100 ms/);
  });

  it.each(['not a url', 'ftp://api.hubapi.com'])('rejects the base URL %s', (baseUrl) => {
    const create = () => createHubSpotClient({ baseUrl, accessToken: 'pat-test-token' });

    expect(create).toThrow(InputError);
  });
});
