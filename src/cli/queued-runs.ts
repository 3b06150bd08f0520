import { SopError } from '../errors/index.js';
import type { QueueClient, RedisAddress } from '../queue/index.js';

/** Opens the queue of `--queue URL --queue-name NAME`; the URL's credentials are secrets the caller masks. */
export async function openQueue(url: string, given: string | undefined): Promise<{ client: QueueClient; address: RedisAddress; name: string }> {
  const { readRedisUrl, QueueClient, QUEUE_NAME_PATTERN, DEFAULT_QUEUE } = await import('../queue/index.js');
  const name = given ?? DEFAULT_QUEUE;
  const address = readRedisUrl(url, '--queue');
  if (!QUEUE_NAME_PATTERN.test(name)) throw new SopError('USAGE', `--queue-name ${name}: letters, digits, _ and - only (1 to 64)`, { hint: '--queue-name support' });
  return { client: await QueueClient.open(address, name), address, name };
}

/** A redactor that masks the queue's secrets too (the secret mask's rules: `createRedactor`). */
export async function maskingAlso(address: RedisAddress, redact: (text: string) => string): Promise<(text: string) => string> {
  const { createRedactor } = await import('../providers/redact.js');
  const mask = createRedactor(address.secrets);
  return (text) => mask(redact(text).replaceAll(address.url, address.shown));
}
