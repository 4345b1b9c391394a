import { afterEach, describe, expect, it } from 'vitest';
import { checkAdAccounts } from '../../src/doctor/check-ad-accounts.ts';
import { testContext } from './doctor-test-context.ts';
import { type FakeAdAccount, startGraphFake } from './fakes/graph-fake.ts';
import type { LoopbackServer } from './fakes/loopback-server.ts';

const TOKEN = 'EAAtesttokenvalue';
const ACTIVE: FakeAdAccount = {
  name: 'Acme',
  currency: 'EUR',
  timezone_name: 'Europe/Berlin',
  account_status: 1,
};

let graph: LoopbackServer | null = null;

afterEach(async () => {
  await graph?.close();
  graph = null;
});

/** Runs the check with act_1001 as given and act_1002 active (the test config names both). */
async function checkAll(act1001: FakeAdAccount, accessTier?: string) {
  graph = await startGraphFake({
    token: TOKEN,
    accounts: { act_1001: act1001, act_1002: ACTIVE },
    ...(accessTier ? { accessTier } : {}),
  });

  return checkAdAccounts({ context: testContext(), baseUrl: graph.origin, token: TOKEN });
}

async function checkWith(act1001: FakeAdAccount) {
  const results = await checkAll(act1001);

  return results.find((result) => result.subject === 'Ad account act_1001');
}

describe('checkAdAccounts', () => {
  it('passes an active account', async () => {
    const result = await checkWith(ACTIVE);

    expect(result?.status).toBe('pass');
    expect(result?.detail).toBe('"Acme", EUR, Europe/Berlin, active');
  });

  it('reads an account shared by two properties once', async () => {
    await checkWith(ACTIVE);

    const reads = graph?.requests.filter((request) => request.url.pathname.endsWith('/act_1001'));
    expect(reads).toHaveLength(1);
  });

  it.each([
    { case: 'disabled', status: 2, word: 'disabled' },
    { case: 'unsettled', status: 3, word: 'unsettled' },
    { case: 'closed', status: 101, word: 'closed' },
    { case: 'unknown', status: 999, word: 'status 999' },
  ])('fails a $case account', async ({ status, word }) => {
    const result = await checkWith({ ...ACTIVE, account_status: status });

    expect(result?.status).toBe('fail');
    expect(result?.detail).toContain(word);
  });

  it.each([
    {
      case: 'object not found (100/33)',
      error: { code: 100, subcode: 33, message: 'does not exist' },
    },
    { case: 'permission error (200)', error: { code: 200, message: '(#200) Permissions error' } },
    {
      case: 'ads_management required (294)',
      error: { code: 294, message: 'Requires ads_management' },
    },
  ])('explains Development mode on $case', async ({ error }) => {
    const result = await checkWith({ error });

    expect(result?.status).toBe('fail');
    expect(result?.detail).toContain(`Graph error ${error.code}`);
    expect(result?.fix).toContain('Development mode');
    expect(result?.fix).toContain('Live');
  });

  it('names the access tier for error 270', async () => {
    const result = await checkWith({ error: { code: 270, message: 'development access' } });

    expect(result?.status).toBe('fail');
    expect(result?.fix).toContain('Marketing API access');
  });

  it.each([17, 613, 80_000])('asks to retry on rate limit %i', async (code) => {
    const result = await checkWith({ error: { code, message: 'User request limit reached' } });

    expect(result?.status).toBe('fail');
    expect(result?.fix).toContain('run doctor again');
  });

  it('warns about development access', async () => {
    const results = await checkAll(ACTIVE, 'development_access');

    const tier = results.find((result) => result.subject === 'Ad account act_1001 access tier');
    expect(tier?.status).toBe('warn');
  });

  it('fails a body that is not an ad account', async () => {
    const result = await checkWith({ ...ACTIVE, currency: 'euro' });

    expect(result?.status).toBe('fail');
    expect(result?.detail).toContain('currency');
  });
});
