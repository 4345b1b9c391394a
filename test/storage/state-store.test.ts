import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { StoreError } from '../../src/shared/errors.ts';
import { logger } from '../../src/shared/logger.ts';
import { type RunRecord, StateStore } from '../../src/storage/state-store.ts';
import { uniqueId, useLocalBackend } from '../helpers/local-backend.ts';

const backend = useLocalBackend();

/** Returns a store whose clock the test moves by hand. */
function storeAt(start = '2026-11-30T07:00:00.000Z') {
  const clock = { now: new Date(start) };
  const store = new StateStore(backend().clients.dynamo, backend().stateTable, {
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };

  return { store, advance };
}

function delivery(runId: string, reportId = 'acme-weekly') {
  return { reportId, weekStart: '2026-11-23', channel: 'email' as const, runId, leaseMs: 60_000 };
}

describe('StateStore claimDelivery', () => {
  it('claims a free delivery', async () => {
    const { store } = storeAt();

    const claim = await store.claimDelivery(delivery('run-a', uniqueId('r')));

    expect(claim).toBe('claimed');
  });

  it('grants one of two concurrent claims', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');

    const claims = await Promise.all([
      store.claimDelivery(delivery('run-a', reportId)),
      store.claimDelivery(delivery('run-b', reportId)),
    ]);

    expect(claims.sort()).toEqual(['busy', 'claimed']);
  });

  it('grants exactly one of ten concurrent claims', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');

    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claimDelivery(delivery(`run-${i}`, reportId))),
    );

    expect(claims.filter((claim) => claim === 'claimed')).toHaveLength(1);
  });

  it('returns claimed again to its holder', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));

    const claim = await store.claimDelivery(delivery('run-a', reportId));

    expect(claim).toBe('claimed');
  });

  it('takes over an expired lease', async () => {
    const { store, advance } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));
    advance(60_001);

    const claim = await store.claimDelivery(delivery('run-b', reportId));

    expect(claim).toBe('claimed');
    expect((await store.getDelivery(reportId, '2026-11-23', 'email'))?.runId).toBe('run-b');
  });

  it('stays busy while the lease runs', async () => {
    const { store, advance } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));
    advance(59_000);

    const claim = await store.claimDelivery(delivery('run-b', reportId));

    expect(claim).toBe('busy');
  });

  it('returns done after completion', async () => {
    const { store, advance } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));
    await store.completeDelivery({ ...delivery('run-a', reportId), detail: { messageId: 'm-1' } });
    advance(24 * 3_600_000);

    const claim = await store.claimDelivery(delivery('run-b', reportId));

    expect(claim).toBe('done');
  });

  it('keeps channels apart', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));

    const claim = await store.claimDelivery({ ...delivery('run-b', reportId), channel: 'slack' });

    expect(claim).toBe('claimed');
  });
});

describe('StateStore completeDelivery', () => {
  it('stores the detail', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));

    await store.completeDelivery({ ...delivery('run-a', reportId), detail: { messageId: 'm-1' } });

    expect(await store.getDelivery(reportId, '2026-11-23', 'email')).toEqual({
      status: 'done',
      runId: 'run-a',
      detail: { messageId: 'm-1' },
    });
  });

  it('never overwrites a done delivery', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.completeDelivery({ ...delivery('run-a', reportId), detail: { messageId: 'm-1' } });

    await store.completeDelivery({ ...delivery('run-b', reportId), detail: { messageId: 'm-2' } });

    expect((await store.getDelivery(reportId, '2026-11-23', 'email'))?.detail).toEqual({
      messageId: 'm-1',
    });
  });
});

describe('StateStore completeDelivery logging', () => {
  it.each([
    { forced: true, info: 1, warn: 0 },
    { forced: false, info: 0, warn: 1 },
  ])('logs a done repeat, forced: $forced', async ({ forced, info, warn }) => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.completeDelivery({ ...delivery('run-a', reportId), detail: { messageId: 'm-1' } });
    const infoSpy = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const warnSpy = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => {
      vi.restoreAllMocks();
    });

    const repeat = { ...delivery('run-b', reportId), detail: { messageId: 'm-2' }, forced };
    await store.completeDelivery(repeat);

    const repeats = (spy: typeof infoSpy) =>
      spy.mock.calls.filter(([message]) =>
        String(message).startsWith('Delivery already completed'),
      );
    expect(repeats(infoSpy)).toHaveLength(info);
    expect(repeats(warnSpy)).toHaveLength(warn);
  });
});

describe('StateStore releaseDelivery', () => {
  it('frees the claim for a retry', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));
    await store.releaseDelivery(delivery('run-a', reportId));

    const claim = await store.claimDelivery(delivery('run-b', reportId));

    expect(claim).toBe('claimed');
  });

  it('leaves another run’s claim alone', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));

    await store.releaseDelivery(delivery('run-b', reportId));

    expect((await store.getDelivery(reportId, '2026-11-23', 'email'))?.runId).toBe('run-a');
  });

  it('leaves a done delivery alone', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));
    await store.completeDelivery({ ...delivery('run-a', reportId), detail: {} });

    await store.releaseDelivery(delivery('run-a', reportId));

    expect((await store.getDelivery(reportId, '2026-11-23', 'email'))?.status).toBe('done');
  });
});

describe('StateStore getDelivery', () => {
  it('returns the lease end of a claim', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    await store.claimDelivery(delivery('run-a', reportId));

    const state = await store.getDelivery(reportId, '2026-11-23', 'email');

    expect(state?.leaseExpiresMs).toBe(Date.parse('2026-11-30T07:01:00.000Z'));
  });

  it('returns null for an unclaimed delivery', async () => {
    const { store } = storeAt();

    const state = await store.getDelivery(uniqueId('r'), '2026-11-23', 'email');

    expect(state).toBeNull();
  });
});

describe('StateStore posted parts', () => {
  it('returns no parts before any post', async () => {
    const { store } = storeAt();

    const parts = await store.getPostedParts(uniqueId('r'), '2026-11-23');

    expect(parts).toEqual([]);
  });

  it('returns the parts last stored', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    const key = { reportId, weekStart: '2026-11-23', runId: 'run-a' };
    await store.putPostedParts(key, ['1.000100']);
    await store.putPostedParts(key, ['1.000100', '1.000200']);

    const parts = await store.getPostedParts(reportId, '2026-11-23');

    expect(parts).toEqual(['1.000100', '1.000200']);
  });

  it('keeps the parts when the claim is released', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    const slack = { ...delivery('run-a', reportId), channel: 'slack' as const };
    await store.claimDelivery(slack);
    await store.putPostedParts({ reportId, weekStart: '2026-11-23', runId: 'run-a' }, ['1.1']);

    await store.releaseDelivery(slack);

    expect(await store.getPostedParts(reportId, '2026-11-23')).toEqual(['1.1']);
  });
});

function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: uniqueId('run'),
    reportId: 'acme-weekly',
    weekStart: '2026-11-23',
    trigger: 'schedule',
    startedAt: '2026-11-30T07:00:00.000Z',
    finishedAt: null,
    outcome: 'running',
    notes: [],
    steps: { fetch: { status: 'ok', durationMs: 812 } },
    ...overrides,
  };
}

describe('StateStore runs', () => {
  it('reads back a run record', async () => {
    const { store } = storeAt();
    const record = runRecord({ analysis: { usage: { inputTokens: 10 } } });
    await store.putRun(record);

    const read = await store.getRun(record.runId);

    expect(read).toEqual(record);
  });

  it('returns null for an unknown run', async () => {
    const { store } = storeAt();

    expect(await store.getRun(uniqueId('run'))).toBeNull();
  });

  it('lists runs newest first', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    const starts = [
      '2026-11-16T07:00:00.000Z',
      '2026-11-30T07:00:00.000Z',
      '2026-11-23T07:00:00.000Z',
    ];
    for (const startedAt of starts) await store.putRun(runRecord({ reportId, startedAt }));

    const runs = await store.listRuns(reportId, 2);

    expect(runs.map((run) => run.startedAt)).toEqual([
      '2026-11-30T07:00:00.000Z',
      '2026-11-23T07:00:00.000Z',
    ]);
  });

  it('updates a run in place', async () => {
    const { store } = storeAt();
    const reportId = uniqueId('r');
    const record = runRecord({ reportId });
    await store.putRun(record);
    await store.putRun({ ...record, outcome: 'delivered', finishedAt: '2026-11-30T07:01:00.000Z' });

    const runs = await store.listRuns(reportId, 10);

    expect(runs.map((run) => run.outcome)).toEqual(['delivered']);
  });

  it('rejects a record without a run id', async () => {
    const { store } = storeAt();

    await expect(store.putRun(runRecord({ runId: '' }))).rejects.toBeInstanceOf(StoreError);
  });
});

describe('StateStore claimEvent', () => {
  it('returns true for the first claim only', async () => {
    const { store } = storeAt();
    const eventKey = uniqueId('Ev');

    const claims = await Promise.all([
      store.claimEvent(eventKey, 600),
      store.claimEvent(eventKey, 600),
    ]);

    expect(claims.sort()).toEqual([false, true]);
  });

  it('allows a claim after expiry', async () => {
    const { store, advance } = storeAt();
    const eventKey = uniqueId('Ev');
    await store.claimEvent(eventKey, 600);
    advance(600_000);

    expect(await store.claimEvent(eventKey, 600)).toBe(true);
  });

  it('rejects a repeat before expiry', async () => {
    const { store, advance } = storeAt();
    const eventKey = uniqueId('Ev');
    await store.claimEvent(eventKey, 600);
    advance(599_000);

    expect(await store.claimEvent(eventKey, 600)).toBe(false);
  });
});

describe('StateStore conversations', () => {
  it('reads back stored messages', async () => {
    const { store } = storeAt();
    const thread = uniqueId('C1:1700000000.000100');
    const messages = [{ role: 'user', content: 'Why did CPL rise?' }];
    await store.putConversation(thread, messages, 3_600);

    expect(await store.getConversation(thread)).toEqual(messages);
  });

  it('returns null once expired', async () => {
    const { store, advance } = storeAt();
    const thread = uniqueId('thread');
    await store.putConversation(thread, [{ role: 'user', content: 'hi' }], 3_600);
    advance(3_600_000);

    expect(await store.getConversation(thread)).toBeNull();
  });

  it('rejects an oversized conversation', async () => {
    const { store } = storeAt();

    const error = await store
      .putConversation(uniqueId('thread'), [{ content: 'x'.repeat(360_000) }], 60)
      .catch((e: unknown) => e);

    expect((error as StoreError).code).toBe('conversation_too_large');
  });
});
