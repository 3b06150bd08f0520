import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, queueTestServices, until, type Spawned } from './queue-helpers.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { QueueClient, readRedisUrl, type HeldLimits } from '../../src/queue/index.js';
import type { ResolvedSop } from '../../src/spec/resolved.js';

/**
 * A library program that submits runs and never follows them: the client holds the events of the
 * runs it queued until their follower listens, within bounds (`held` of `QueueClient.open`), so
 * its memory does not grow with every run it submits. A real redis-server and a real worker.
 */
let redis: RedisServer;
let project: string;
const { start, sopIn } = queueTestServices();
const MODELS = { model: 'openai:gpt-4o-mini' };

describe.skipIf(redisProgram.missing)(`a submitter that never follows its runs${redisProgram.skipNote}`, () => {
  let worker: Spawned;
  let sop: ResolvedSop;
  const clients: QueueClient[] = [];

  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-held-', { maxRequests: 500 }));
    writeFileSync(path.join(project, 'team.yaml'), JSON_TEAM_SOP);
    ({ sop } = await loadResolvedSop(path.join(project, 'team.yaml')));
    const dir = path.join(project, 'worker');
    mkdirSync(dir);
    worker = sopIn(dir, ['worker', '--redis', redis.url, '--no-cache', '--concurrency', '4']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  /** A client whose event stream is open (it followed one run), then `count` runs submitted and never followed, all ended. */
  async function submittedUnfollowed(held: HeldLimits, count: number): Promise<QueueClient> {
    const client = await QueueClient.open(readRedisUrl(redis.url), 'sop', { held });
    clients.push(client);
    const followed = await client.submit(sop, { inputs: { idea: 'followed' }, models: MODELS });
    expect((await client.follow(followed, () => undefined)).status).toBe('completed');
    const runIds: string[] = [];
    for (let n = 0; n < count; n += 1) runIds.push(await client.submit(sop, { inputs: { idea: `never followed ${n}` }, models: MODELS }));
    await until(async () => (await Promise.all(runIds.map(async (runId) => (await client.run(runId)).state))).every((state) => state === 'completed'), () => worker.output());
    // The stream has read their ends by now (it reads as they come).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return client;
  }

  it('the events of ended runs nobody followed are dropped after a while', async () => {
    const client = await submittedUnfollowed({ perJob: 1000, jobs: 1000, afterEndMs: 300 }, 4);
    expect(client.heldEvents).toBe(0);
  }, 120_000);

  it('at most so many events per run and so many runs are held, however many are submitted', async () => {
    const client = await submittedUnfollowed({ perJob: 2, jobs: 3, afterEndMs: 60_000 }, 8);
    expect(client.heldEvents).toBeLessThanOrEqual(2 * 3);
  }, 120_000);
});
