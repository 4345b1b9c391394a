import { describe, expect, it } from 'vitest';
import { cachedSecrets } from '../../src/config/cached-secrets.ts';

/** A provider over a secret text that counts its reads, on a clock the test moves. */
function counted() {
  const state = { reads: 0, clock: 0 };
  const secrets = cachedSecrets({
    secretId: 'adreport/test',
    maxAgeMs: 1_000,
    now: () => state.clock,
    read: async () => {
      state.reads += 1;

      return JSON.stringify({ SLACK_BOT_TOKEN: `xoxb-${state.reads}` });
    },
  });

  return { state, secrets };
}

describe('cachedSecrets', () => {
  it('reads once within the maximum age', async () => {
    const { state, secrets } = counted();

    await secrets.get();
    state.clock = 999;
    const second = await secrets.get();

    expect(state.reads).toBe(1);
    expect(second.SLACK_BOT_TOKEN).toBe('xoxb-1');
  });

  it('reads again once the copy is too old', async () => {
    const { state, secrets } = counted();
    await secrets.get();
    state.clock = 1_000;

    const later = await secrets.get();

    expect(later.SLACK_BOT_TOKEN).toBe('xoxb-2');
  });

  it('reads again on refresh', async () => {
    const { state, secrets } = counted();
    await secrets.get();

    const fresh = await secrets.refresh();

    expect(state.reads).toBe(2);
    expect(fresh.SLACK_BOT_TOKEN).toBe('xoxb-2');
  });
});
