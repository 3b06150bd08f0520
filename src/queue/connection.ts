import { Redis, type RedisOptions } from 'ioredis';
import { SopError } from '../errors/index.js';
import { isConnectionLost } from './connection-watch.js';
import type { RedisAddress } from './redis-url.js';

/** How long a command line waits for Redis at start before it gives up (a worker keeps retrying later). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One connection to Redis. Commands wait through a reconnect instead of failing
 * (`maxRetriesPerRequest: null`, which BullMQ's blocking connections require anyway), so a Redis
 * restart pauses the queue rather than failing runs; ioredis resends unanswered commands in order.
 */
export function redisConnection(address: RedisAddress, options: RedisOptions = {}): Redis {
  const redis = new Redis(address.url, { maxRetriesPerRequest: null, lazyConnect: true, enableAutoPipelining: false, ...options });
  // A dropped connection is retried by ioredis itself; unheard, its 'error' events would print stacks.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * A connection to hand BullMQ, which works on it or on copies of it (`duplicate`): it and each
 * copy connect at once and are retried by ioredis until Redis answers, each given to `onConnection`
 * (to watch it and to end it). A lazy one's first connect, which BullMQ makes, fails for good with
 * `Connection is closed.` when its socket closes before it is ready (Redis going away at that moment).
 * `copiesOnly`: for a class that reads only on copies (`QueueEvents`), the connection itself is
 * never used, so it never connects and is not given to `onConnection`.
 */
export function eagerConnection(address: RedisAddress, onConnection: (connection: Redis) => void, { copiesOnly = false } = {}): Redis {
  const connection = redisConnection(address, { lazyConnect: copiesOnly });
  connection.duplicate = (override) => {
    const copy = redisConnection(address, { ...override, lazyConnect: false });
    onConnection(copy);
    return copy;
  };
  if (!copiesOnly) onConnection(connection);
  return connection;
}

/** Connects, or fails with `QUEUE_UNREACHABLE` naming the server (credentials masked). */
export async function connectRedis(address: RedisAddress): Promise<Redis> {
  const redis = redisConnection(address);
  // A connection refused is reported here, not as an unhandled 'error' event.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => setTimeout(() => reject(lastError ?? new Error('no answer')), CONNECT_TIMEOUT_MS).unref()),
    ]);
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const why = (lastError ?? (error as Error)).message.replaceAll(address.url, address.shown);
    // Redis answered and refused the credentials: starting it is no fix.
    if (/^(WRONGPASS|NOAUTH)\b/.test(why)) {
      throw new SopError('QUEUE_UNREACHABLE', `Redis at ${address.shown} refused the connection's credentials: ${why}`, {
        hint: 'put the server\'s password in the URL, percent-encoded: redis://:PASSWORD@host:port (with an ACL user, redis://USER:PASSWORD@host:port)',
      });
    }
    throw new SopError('QUEUE_UNREACHABLE', `cannot reach Redis at ${address.shown}: ${why}`, {
      hint: 'start Redis (redis-server, or `docker compose up redis`) and check the URL, its password and the port',
    });
  }
  await selectDatabase(redis, address);
  return redis;
}

/**
 * Checks that the server has the URL's database: ioredis selects it on connecting but, refused
 * (an index the server lacks), only logs that and goes on in database 0, where runs would be
 * queued that no worker of the URL's database sees.
 */
async function selectDatabase(redis: Redis, address: RedisAddress): Promise<void> {
  if (!address.db) return;
  try {
    await redis.select(address.db);
  } catch (error) {
    redis.disconnect();
    if (isConnectionLost(error)) throw new SopError('QUEUE_UNREACHABLE', `lost Redis at ${address.shown} as it connected: ${(error as Error).message}`, { hint: 'run the command again once Redis is back' });
    throw new SopError('QUEUE_UNREACHABLE', `Redis at ${address.shown} has no database ${address.db}: ${(error as Error).message}`, {
      hint: 'name a database the server has in the URL\'s path (0 up to its `databases` setting minus 1: 0 to 15 by default), or none for database 0',
    });
  }
}
