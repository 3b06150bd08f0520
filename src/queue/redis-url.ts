import { SopError } from '../errors/index.js';

/** A Redis address as given (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS), and its secrets. */
export interface RedisAddress {
  url: string;
  /** The password and user name, if any: masked in everything sop prints or writes. */
  secrets: string[];
  /** The URL with its credentials masked, for messages. */
  shown: string;
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
  const secrets = [decodeURIComponent(parsed.password), decodeURIComponent(parsed.username)].filter((value) => value !== '');
  const masked = new URL(url);
  if (masked.password) masked.password = '***';
  if (masked.username) masked.username = '***';
  return { url, secrets, shown: masked.toString() };
}
