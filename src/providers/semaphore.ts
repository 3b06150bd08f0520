/**
 * The project's one semaphore: at most `limit` tasks at once, the rest queued first come, first
 * served. A released slot is handed straight to the next waiter, so a caller arriving meanwhile
 * cannot overtake it. A queued caller whose signal aborts leaves the queue at once. Used for an
 * endpoint's calls in flight (resilience) and a run's `max_concurrency` (runtime).
 */
export class Semaphore {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public limit: number) {}

  get active(): number {
    return this.inFlight;
  }

  /**
   * Runs `task` once a slot is held, and frees the slot when it settles. With a slot free the task
   * starts at once, in this call (no await before it): a wide fan-out's calls all start in the
   * turn that asked for them.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.inFlight < this.limit && !signal?.aborted) {
      this.inFlight += 1;
      let running: Promise<T>;
      try {
        running = task();
      } catch (error) {
        this.releaseOne();
        return Promise.reject(error);
      }
      // Handlers shared by every task (a wide fan-out runs a thousand at once): no release closure per task.
      return running.then(this.passValue as (value: T) => T, this.passError);
    }
    return this.acquire(signal).then((release) => settleThenRelease(task, release));
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

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseOne();
    };
  }

  /** Frees one slot: it passes to the next waiter without ever being free (unless the limit was lowered). */
  private releaseOne(): void {
    const next = this.inFlight <= this.limit ? this.waiting.shift() : undefined;
    if (next) next();
    else this.inFlight -= 1;
  }

  /** A task that started at once settled: its slot is freed, its answer passed on (each settles once, so once each). */
  private readonly passValue = (value: unknown): unknown => {
    this.releaseOne();
    return value;
  };

  private readonly passError = (error: unknown): never => {
    this.releaseOne();
    throw error;
  };
}

/** Runs `task` and calls `release` once it settles (also when it throws before returning a promise). */
function settleThenRelease<T>(task: () => Promise<T>, release: () => void): Promise<T> {
  let running: Promise<T>;
  try {
    running = task();
  } catch (error) {
    release();
    return Promise.reject(error);
  }
  return running.then(
    (value) => {
      release();
      return value;
    },
    (error: unknown) => {
      release();
      throw error;
    },
  );
}
