import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CUT_SHORT_DELIVERY,
  exitOnEarlyInterrupt,
  exitOnInterrupt,
  FINISH_LIMIT_MS,
  FINISHED_DELIVERY,
  FINISHING_DELIVERY,
  type InterruptProgress,
  interruptedMessage,
  RERUN_NOTES,
  stopEarlyInterrupt,
  watchDeliveries,
} from '../../src/cli/exit-on-interrupt.ts';
import { DeliveryGate } from '../../src/pipeline/delivery-gate.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

const CLI = resolve(import.meta.dirname, '../../bin/adreport.js');
/** Preload that delays the CLI's import of tsx, after its first SIGINT handler is installed. */
const STALL_TSX = resolve(import.meta.dirname, '../helpers/stall-tsx-load.mjs');

const dir = useTempDir('adreport-interrupt-');

function progress(overrides: Partial<InterruptProgress> = {}): InterruptProgress {
  return { started: true, working: false, delivers: true, finished: [], ...overrides };
}

const RERUN =
  'Re-running the same command is safe: weeks are stored again and a report already sent is not ' +
  'sent twice.\n';

describe('exitOnInterrupt', () => {
  it('prints one line and exits 130 on SIGINT', () => {
    const io = { writeError: vi.fn(), exit: vi.fn() };
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    stop();

    expect(io.writeError).toHaveBeenCalledWith(
      `\nadreport: run interrupted (Ctrl-C) before it finished. ${RERUN}`,
    );
    expect(io.exit).toHaveBeenCalledWith(130);
  });

  it('removes its listener when stopped', () => {
    const before = process.listenerCount('SIGINT');
    const io = { writeError: vi.fn(), exit: vi.fn() };

    exitOnInterrupt('backfill', io)();

    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('keeps a SIGINT received during hand-over', async () => {
    const early = { writeError: vi.fn(), exit: vi.fn() };
    const io = { writeError: vi.fn(), exit: vi.fn() };
    exitOnEarlyInterrupt(early);
    process.kill(process.pid, 'SIGINT');
    // Blocks the thread so the signal is caught and queued but not dispatched, as during the
    // synchronous module evaluation of the CLI.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);

    const stop = exitOnInterrupt('run', io);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();

    expect(io.exit).toHaveBeenCalledWith(130);
  });

  it('replaces the early handler', () => {
    const before = process.listenerCount('SIGINT');
    const io = { writeError: vi.fn(), exit: vi.fn() };
    exitOnEarlyInterrupt(io);

    exitOnInterrupt('run', io)();

    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

/**
 * Starts a delivery on a watched gate that lasts until `record` is called. `unwatch` stops the
 * interrupt handlers from waiting for it.
 */
function watchBusyGate() {
  const gate = new DeliveryGate();
  let record = () => {};
  const delivering = gate.pass(
    () =>
      new Promise<void>((done) => {
        record = done;
      }),
  );

  return { delivering, record: () => record(), unwatch: watchDeliveries(gate) };
}

describe('exitOnInterrupt during a delivery', () => {
  it('exits once the delivery is recorded', async () => {
    const io = { writeError: vi.fn(), exit: vi.fn() };
    const { delivering, record, unwatch } = watchBusyGate();
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    const exitedBeforeRecord = io.exit.mock.calls.length;
    record();
    await delivering;
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    unwatch();

    expect(io.writeError).toHaveBeenNthCalledWith(1, `\n${FINISHING_DELIVERY}\n`);
    expect(io.writeError).toHaveBeenNthCalledWith(
      2,
      `\nadreport: run interrupted (Ctrl-C) before it finished. ${FINISHED_DELIVERY} ${RERUN}`,
    );
    expect(exitedBeforeRecord).toBe(0);
    expect(io.exit).toHaveBeenCalledWith(130);
  });

  it('stops at once on a second Ctrl-C', async () => {
    const io = { writeError: vi.fn(), exit: vi.fn() };
    const { delivering, record, unwatch } = watchBusyGate();
    const stop = exitOnInterrupt('run', io);

    process.emit('SIGINT');
    process.emit('SIGINT');
    const exitsBeforeRecord = io.exit.mock.calls.length;
    record();
    await delivering;
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    unwatch();

    expect(exitsBeforeRecord).toBe(1);
    expect(io.exit).toHaveBeenCalledTimes(1);
    expect(io.writeError).toHaveBeenLastCalledWith(
      `\nadreport: run interrupted (Ctrl-C) before it finished. ${CUT_SHORT_DELIVERY}\n`,
    );
  });

  it('stops a delivery that outlasts the limit', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const io = { writeError: vi.fn(), exit: vi.fn() };
    const gate = new DeliveryGate();
    void gate.pass(() => new Promise<void>(() => {}));
    const unwatch = watchDeliveries(gate);
    const stop = exitOnInterrupt('run', io);

    try {
      process.emit('SIGINT');
      vi.advanceTimersByTime(FINISH_LIMIT_MS - 1);
      const exitsBeforeLimit = io.exit.mock.calls.length;
      vi.advanceTimersByTime(1);

      expect(exitsBeforeLimit).toBe(0);
      expect(io.exit).toHaveBeenCalledWith(130);
      expect(io.writeError).toHaveBeenLastCalledWith(
        `\nadreport: run interrupted (Ctrl-C) before it finished. ${CUT_SHORT_DELIVERY}\n`,
      );
    } finally {
      stop();
      unwatch();
      vi.useRealTimers();
    }
  });
});

describe('exitOnEarlyInterrupt', () => {
  it('says nothing was sent while starting', () => {
    const io = { writeError: vi.fn(), exit: vi.fn() };
    exitOnEarlyInterrupt(io);

    process.emit('SIGINT');
    stopEarlyInterrupt();

    expect(io.writeError).toHaveBeenCalledWith(
      '\nadreport: interrupted (Ctrl-C) while starting: nothing was fetched, stored or sent.\n',
    );
    expect(io.exit).toHaveBeenCalledWith(130);
  });
});

describe('interruptedMessage', () => {
  it.each([
    {
      case: 'before the checks passed',
      progress: progress({ started: false }),
      expected:
        'adreport: run interrupted (Ctrl-C) before it started: nothing was fetched, stored or sent.\n',
    },
    {
      case: 'during the first week',
      progress: progress({ working: true }),
      expected:
        'adreport: run interrupted (Ctrl-C). No report week had finished. The week in progress ' +
        `may be partly stored, and its email or Slack post may have gone out. ${RERUN}`,
    },
    {
      case: 'after a delivered week',
      progress: progress({ finished: ['acme: week of 23–29 Nov 2026 — delivered'] }),
      expected:
        'adreport: run interrupted (Ctrl-C). Finished before it: acme: week of 23–29 Nov 2026 — ' +
        `delivered. ${RERUN}`,
    },
  ])('describes a run interrupted $case', ({ progress, expected }) => {
    const message = interruptedMessage('run', progress);

    expect(message).toBe(expected);
  });

  it('counts many finished backfill weeks', () => {
    const finished = ['a, 1: stored', 'a, 2: stored', 'a, 3: failed (x)', 'a, 4: stored'];

    const message = interruptedMessage(
      'backfill',
      progress({ finished, working: true, delivers: false }),
    );

    expect(message).toBe(
      'adreport: backfill interrupted (Ctrl-C). Finished before it: 4 report weeks, the last ' +
        `a, 4: stored. The week in progress may be partly stored. ${RERUN}`,
    );
  });
  it('uses the finished phrase it is given', () => {
    const finished = ['a, 1: failed (x)', 'a, 2: stored'];
    const describeFinished = () => 'By then, 1 week was stored and 1 failed';

    const message = interruptedMessage(
      'backfill',
      progress({ finished, delivers: false, describeFinished }),
      RERUN_NOTES.storeOnly,
    );

    expect(message).toBe(
      'adreport: backfill interrupted (Ctrl-C). By then, 1 week was stored and 1 failed. ' +
        'Re-running the same command is safe: it stores the weeks again.\n',
    );
  });
});

describe('adreport on SIGINT', () => {
  it('prints a line while loading tsx', async () => {
    const child = spawn(process.execPath, ['--import', STALL_TSX, CLI, 'run'], {
      cwd: dir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const tsxDelayed = new Promise<void>((done) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.includes('tsx import delayed\n')) done();
      });
    });
    const closed = new Promise<number | null>((done) => child.on('close', done));

    await tsxDelayed;
    child.kill('SIGINT');
    const code = await closed;

    expect(code).toBe(130);
    expect(stderr).toContain(
      '\nadreport: interrupted (Ctrl-C) while starting: nothing was fetched, stored or sent.\n',
    );
  }, 60_000);

  it('prints a line when interrupted mid-fetch', async () => {
    const meta = await startSilentServer();
    const config = join(dir(), 'config.json');
    await writeFile(config, JSON.stringify(SILENT_META_CONFIG));
    const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--data', 'data'], {
      cwd: dir(),
      env: {
        ...process.env,
        SMTP_TRANSPORT: '',
        META_ACCESS_TOKEN: 'test-token',
        HUBSPOT_ACCESS_TOKEN: '',
        ANTHROPIC_API_KEY: '',
        SLACK_BOT_TOKEN: '',
        ADREPORT_META_BASE_URL: meta.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const closed = new Promise<number | null>((done) => child.on('close', done));

    // The first Graph API request shows the run is under way; the server never responds to it.
    await meta.firstRequest;
    child.kill('SIGINT');
    const code = await closed;
    await meta.close();

    expect(code).toBe(130);
    expect(stderr).toMatch(/^\nadreport: run interrupted \(Ctrl-C\)/);
  }, 60_000);
});

const SILENT_META_CONFIG = {
  reports: [
    {
      id: 'acme',
      name: 'Acme weekly',
      timeZone: 'America/New_York',
      recipients: ['marketing@example.com'],
      properties: [{ id: 'home', name: 'Home', metaAdAccountId: 'act_1234567890' }],
    },
  ],
  email: { sender: 'reports@example.com' },
};

/** Starts a loopback server that accepts requests and never responds to them. */
async function startSilentServer() {
  let seen: () => void = () => undefined;
  const firstRequest = new Promise<void>((done) => {
    seen = done;
  });
  const server = createServer(() => seen());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });

  return { url: `http://127.0.0.1:${port}`, firstRequest, close };
}
