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

/**
 * What ioredis says with `console.warn` on every connection when the AUTH it sent went unused (its
 * exact texts): a server that needs no password (Redis 6+, and before), a Redis 5 given a user name.
 * The CLI keeps them from the terminal (a raw library line, once per connection) and says it once
 * (`redisAuthNote`); a library caller's console is left as it is (the filter replaces `console.warn`).
 */
const AUTH_WARNINGS: ReadonlyArray<[RegExp, AuthNote]> = [
  [/^\[WARN\] (Redis server|This Redis server's `default` user) does not require a password, but a password was supplied/, 'no-password'],
  [/^\[ERROR\] The server returned "wrong number of arguments for 'auth' command"/, 'user-name'],
];
type AuthNote = 'no-password' | 'user-name';
const authNotes = new Set<AuthNote>();
let quieted = false;
let authNoted = false;

export function quietRedisAuthWarnings(): void {
  if (quieted) return;
  quieted = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    const found = typeof args[0] === 'string' ? AUTH_WARNINGS.find(([text]) => text.test(args[0] as string)) : undefined;
    if (found) authNotes.add(found[1]);
    else warn(...args);
  };
}

/**
 * Once per process, after a connection: what the server said of the URL's credentials that is
 * worth a line (its password not checked: anyone who reaches it can queue runs, which run commands
 * on the workers), naming the server by its masked URL; undefined when nothing (or said already).
 */
export function redisAuthNote(address: RedisAddress): string | undefined {
  if (authNoted) return undefined;
  const note = authNotes.has('user-name')
    ? `Redis at ${address.shown} takes no user name (Redis 5 or older): the URL's credentials were not sent; write the password alone, redis://:PASSWORD@host:port`
    : authNotes.has('no-password')
      ? `Redis at ${address.shown} requires no password: the URL's password is not checked, so whoever reaches the server can queue runs (which run commands on the workers); set one on the server (requirepass, or an ACL user), or drop it from the URL`
      : undefined;
  authNoted = note !== undefined;
  return note;
}
