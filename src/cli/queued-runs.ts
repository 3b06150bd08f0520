import path from 'node:path';
import { SopError } from '../errors/index.js';
import type { QueuedCaseRunner } from '../eval/case-run.js';
import type { QueueClient, RedisAddress } from '../queue/index.js';
import type { ResolvedSop } from '../spec/resolved.js';

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

/** `sop eval --queue`: each case's run submitted, followed to its end and brought home as a local run record. */
export function queuedCaseRunner(client: QueueClient, sop: ResolvedSop): QueuedCaseRunner {
  return async (request) => {
    const runId = await client.submit(sop, {
      inputs: request.inputs,
      models: { model: request.model },
      ...(request.investment === undefined ? {} : { investment: request.investment }),
      ...(request.nRound === undefined ? {} : { nRound: request.nRound }),
    });
    request.onStart(runId);
    const outcome = await client.follow(runId, () => undefined);
    return client.bringHome(runId, outcome, { runsDir: request.runsDir, workspace: path.join(request.workspacesDir, runId) });
  };
}
