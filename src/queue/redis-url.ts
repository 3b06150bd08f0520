import { SopError } from '../errors/index.js';

/** A Redis address as given (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS), and its secrets. */
export interface RedisAddress {
  url: string;
  /** The password and user name, if any: masked in everything sop prints or writes. */
  secrets: string[];
  /** The URL with its credentials masked, for messages. */
  shown: string;
  /** The database the URL's path names (`/2`), checked on connecting; absent: database 0. */
  db?: number;
}

/**
 * Reads a Redis URL. Credentials in it are secrets: the caller adds `secrets` to its mask, and
 * messages name the server by `shown`. A URL that is not a Redis one is a usage error.
 */
export function readRedisUrl(url: string, flag = '--redis'): RedisAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SopError('USAGE', `${flag}: not a URL (expected redis://[user:password@]host:port[/db])`, { hint: `${flag} redis://127.0.0.1:6379` });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new SopError('USAGE', `${flag}: expected a redis:// or rediss:// URL, got ${parsed.protocol}//…`, { hint: `${flag} redis://127.0.0.1:6379` });
  }
  const masked = new URL(url);
  if (masked.password) masked.password = '***';
  if (masked.username) masked.username = '***';
  const shown = masked.toString();
  const secrets = [credential(parsed.password, 'password', flag, shown), credential(parsed.username, 'user name', flag, shown)].filter((value) => value !== '');
  // ioredis reads the path as the database: a word would crash the connection, an index Redis
  // lacks is refused by SELECT, which ioredis only logs, going on in database 0.
  const database = /^\/?(\d*)$/.exec(parsed.pathname);
  if (!database) {
    throw new SopError('USAGE', `${flag}: the database after the address must be a number, got ${parsed.pathname} in ${shown}`, { hint: `${flag} redis://127.0.0.1:6379/0 (or no path: database 0)` });
  }
  return { url, secrets, shown, ...(database[1] ? { db: Number(database[1]) } : {}) };
}

/** A percent-encoded part of the URL decoded, or USAGE naming which part (never its value: it is a secret). */
function credential(encoded: string, part: string, flag: string, shown: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new SopError('USAGE', `${flag}: the ${part} in ${shown} is not valid percent-encoding (a % not followed by two hex digits)`, {
      hint: 'write a % in a password or user name as %25 (and @ as %40, : as %3A, / as %2F)',
    });
  }
}
