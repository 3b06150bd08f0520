import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedEndpointLimits } from '../providers/resilience/index.js';

/**
 * One turn at an endpoint for every worker of a queue (KEYS: leases, bucket, pause; ARGV: lease id,
 * lease life ms, most calls in flight, calls per second, burst). Returns 0 when the turn is taken,
 * else how many ms to wait before asking again. Time is Redis's own (`TIME`), so workers' clocks
 * need not agree.
 */
const TAKE_TURN = `local paused = redis.call('pttl', KEYS[3])
if paused > 0 then return paused end
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local most = tonumber(ARGV[3])
if most > 0 then
  redis.call('zremrangebyscore', KEYS[1], 0, now)
  if redis.call('zcard', KEYS[1]) >= most then return 25 end
end
local rate = tonumber(ARGV[4])
if rate > 0 then
  local burst = tonumber(ARGV[5])
  local state = redis.call('hmget', KEYS[2], 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  if tokens < 1 then
    redis.call('hset', KEYS[2], 'tokens', tostring(tokens), 'at', now)
    return math.max(1, math.ceil((1 - tokens) * 1000 / rate))
  end
  redis.call('hset', KEYS[2], 'tokens', tostring(tokens - 1), 'at', now)
  redis.call('pexpire', KEYS[2], 3600000)
end
if most > 0 then
  redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('pexpire', KEYS[1], 3600000)
end
return 0`;

export interface SharedLimitSettings {
  /** Calls in flight at one endpoint across all workers; 0: no bound. */
  concurrency: number;
  /** Calls started per second at one endpoint across all workers; 0: no bound. */
  ratePerSecond: number;
  /** How long a turn counts when its worker died holding it (a kill -9 leaks no turn for longer). Default 10 min. */
  leaseMs?: number;
}

/**
 * Endpoint limits in Redis for every worker of a queue: a lease set per endpoint (concurrency; a
 * dead worker's lease expires), a token bucket (rate) and a pause key (`Retry-After`, for all).
 * Keys are per endpoint URL's hash: `sop:<queue>:endpoint:<sha256 prefix>:…`.
 */
export class RedisEndpointLimits implements SharedEndpointLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: SharedLimitSettings,
  ) {}

  async acquire(endpoint: string, signal?: AbortSignal): Promise<() => void> {
    const keys = this.keys(endpoint);
    const lease = randomUUID();
    const leaseMs = this.settings.leaseMs ?? 600_000;
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(await this.redis.eval(TAKE_TURN, 3, keys.leases, keys.bucket, keys.pause, lease, String(leaseMs), String(this.settings.concurrency), String(this.settings.ratePerSecond), String(Math.max(1, this.settings.ratePerSecond))));
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1000), signal);
    }
    return () => {
      if (this.settings.concurrency > 0) void this.redis.zrem(keys.leases, lease).catch(() => undefined);
    };
  }

  pause(endpoint: string, ms: number): void {
    if (ms <= 0) return;
    // Never shortens a longer pause another worker was told.
    void this.redis.set(this.keys(endpoint).pause, '1', 'PX', Math.ceil(ms), 'NX').catch(() => undefined);
  }

  private keys(endpoint: string): { leases: string; bucket: string; pause: string } {
    const id = createHash('sha256').update(endpoint).digest('hex').slice(0, 16);
    const base = `${this.prefix}:endpoint:${id}`;
    return { leases: `${base}:leases`, bucket: `${base}:bucket`, pause: `${base}:pause` };
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
