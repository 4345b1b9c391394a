import { describe, expect, it } from 'vitest';
import { DeliveryGate } from '../../src/pipeline/delivery-gate.ts';

/** Returns a promise and the function that resolves it. */
function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });

  return { promise, resolve };
}

describe('DeliveryGate', () => {
  it('returns the delivery result', async () => {
    const gate = new DeliveryGate();

    const result = await gate.pass(async () => 'sent');

    expect(result).toBe('sent');
  });

  it('is busy during a delivery', async () => {
    const gate = new DeliveryGate();
    const send = deferred();

    const passing = gate.pass(() => send.promise);
    const busy = gate.busy;
    send.resolve();
    await passing;

    expect(busy).toBe(true);
    expect(gate.busy).toBe(false);
  });

  it('closes after the delivery in progress', async () => {
    const gate = new DeliveryGate();
    const send = deferred();
    const events: string[] = [];
    const passing = gate.pass(async () => {
      await send.promise;
      events.push('recorded');
    });

    const closing = gate.close().then(() => events.push('closed'));
    send.resolve();
    await Promise.all([passing, closing]);

    expect(events).toEqual(['recorded', 'closed']);
  });

  it('skips deliveries once closed', async () => {
    const gate = new DeliveryGate();
    let ran = false;
    await gate.close();

    const result = await gate.pass(async () => {
      ran = true;
    });

    expect(result).toBeNull();
    expect(ran).toBe(false);
  });
});
