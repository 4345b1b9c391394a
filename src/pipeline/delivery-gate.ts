/**
 * Lets a process stop between deliveries instead of inside one. A delivery runs from its claim
 * in the state table to the record that it was made. A process that exits in between leaves a
 * claim that a later run cannot tell from an unsent delivery, so it waits for the lease to expire
 * and then sends again, even when the first send went out.
 */
export class DeliveryGate {
  private inFlight = 0;
  private closed = false;
  private idle: Array<() => void> = [];

  /** True while a delivery is between its claim and its record. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Runs `deliver` and returns its result, or returns null without running it once closed. */
  async pass<T>(deliver: () => Promise<T>): Promise<T | null> {
    if (this.closed) return null;
    this.inFlight += 1;
    try {
      return await deliver();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Lets no new delivery start and resolves once the deliveries in progress have finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0) return Promise.resolve();

    return new Promise((resolve) => {
      this.idle.push(resolve);
    });
  }
}
