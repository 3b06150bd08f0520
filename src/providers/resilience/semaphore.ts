/**
 * The project's one semaphore: calls in flight to one endpoint, and a run's model calls and
 * commands (`settings.max_concurrency`). Counts what is in flight and queues the rest (FIFO).
 * A released slot is handed
 * straight to the next waiter, so a caller arriving meanwhile cannot overtake it. A queued caller
 * whose signal aborts leaves the queue at once.
 */
export class Semaphore {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public limit: number) {}

  get active(): number {
    return this.inFlight;
  }

  /** Resolves with a release function once a slot is held. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.inFlight < this.limit) {
      this.inFlight += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiting.indexOf(handOver);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const handOver = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(handOver);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  /** Runs `task` holding a slot (released however it ends). */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes to the next waiter without ever being free (unless the limit was lowered).
      const next = this.inFlight <= this.limit ? this.waiting.shift() : undefined;
      if (next) next();
      else this.inFlight -= 1;
    };
  }
}
