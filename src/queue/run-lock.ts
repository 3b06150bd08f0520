import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes the lock only when it is still ours (a lock that expired and was taken over is not). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the lock only when it is still ours. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Which worker runs a queued run now: `SET key token NX PX ttl`, renewed at a third of its life.
 * Two workers never run one run at once (a stalled job handed to a second worker while the first
 * is only slow), so the journal has one writer and a budget is never spent twice. A worker killed
 * holding it frees it when it expires (`ttl`, the same as BullMQ's job lock).
 */
export class RedisRunLock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;

  private constructor(private readonly redis: Redis, private readonly key: string, private readonly token: string, private readonly ttlMs: number) {}

  /** Takes the lock, waiting up to `waitMs` for a holder's lock to expire; undefined when it did not come free. */
  static async acquire(redis: Redis, key: string, ttlMs: number, waitMs: number): Promise<RedisRunLock | undefined> {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') {
        const lock = new RedisRunLock(redis, key, token, ttlMs);
        lock.keepAlive();
        return lock;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, ttlMs / 4)));
    }
  }

  /** True once a renewal found the lock gone or another's (the run must stop writing). */
  get isLost(): boolean {
    return this.lost;
  }

  private keepAlive(): void {
    this.timer = setInterval(() => {
      this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs)).then(
        (renewed) => {
          if (renewed !== 1) this.lost = true;
        },
        () => undefined, // Redis away: the next renewal tries again
      );
    }, Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
  }
}
