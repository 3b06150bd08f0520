import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * A run queued long ago whose SOP bundle expired from Redis (a bundle is kept as long as the longest
 * kept run of it that ended) before a worker took it. The worker and the follower say so, naming
 * the run and the command that queues it again; that command (`sop resume RUN --queue`, where the
 * run was submitted) sends the bundle again from the SOP file, and the run completes. Real `sop`
 * processes on a real redis-server; the expiry is the bundle's key deleted.
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a run whose bundle expired before a worker took it${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-bundle-gone-', { latencyMs: 0, maxRequests: 50 }));
    mkdirSync(path.join(project, 'worker'));
  }, 60_000);

  /** A run queued with no worker, whose bundle Redis then lost. */
  async function queuedWithoutBundle(idea: string): Promise<string> {
    const submitted = sopIn(cwd, ['run', 'team.yaml', idea, ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const runId = submitted.stdout().trim();
    const bundle = (JSON.parse((await look.hget(`sop:sop:run:${runId}`, 'data')) as string) as { bundle: string }).bundle;
    expect(await look.del(`sop:sop:bundle:${bundle}`)).toBe(1);
    return runId;
  }

  it('the worker and the follower name the run and `sop resume RUN --queue URL`, which sends the bundle again and completes the run', async () => {
    const runId = await queuedWithoutBundle('long ago');
    // The follower first, following the waiting job (it says no worker takes it), then the worker:
    // a resume started after the job failed queues the run again, the case the second resume tests.
    const follower = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
    await until(() => follower.output().includes(`run ${runId} waits until one starts`), () => follower.output());
    const worker = sopIn(path.join(project, 'worker'), ['worker', '--redis', redis.url, '--no-cache']);
    try {
      expect((await follower.exited).code, follower.output()).toBe(18);
      expect(follower.output()).toContain(`error QUEUE_JOB_INVALID: queued run ${runId}: its SOP bundle (`);
      expect(follower.output()).toContain(`) is no longer in Redis: it expired or was evicted before a worker took run ${runId}`);
      expect(follower.output()).toContain(`hint: queue the run again where it was submitted (its SOP file is read and sent again): sop resume ${runId} --queue ${redis.url}; or submit a new run`);
      expect(follower.output()).not.toMatch(/\n\s+at /);
      await until(() => worker.output().includes(`job ${runId} failed`), () => worker.output());
      expect(worker.output()).toContain(`is no longer in Redis: it expired or was evicted before a worker took run ${runId}`);

      const again = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
      expect((await again.exited).code, again.output()).toBe(0);
      expect(again.output()).toContain(`sent the SOP bundle of run ${runId} again, from team.yaml: Redis no longer had it`);
      expect(again.output()).toContain('completed');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  }, 120_000);

  it('a resume whose SOP file changed since is refused, saying to submit a new run, and queues nothing', async () => {
    const runId = await queuedWithoutBundle('changed since');
    const worker = sopIn(path.join(project, 'worker'), ['worker', '--redis', redis.url, '--no-cache']);
    try {
      await until(() => worker.output().includes(`job ${runId} failed`), () => worker.output());
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP.replace('n_round: 6', 'n_round: 7'));
    const again = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
    expect((await again.exited).code, again.output()).toBe(2);
    expect(again.output()).toContain(`queued run ${runId}: its SOP bundle is no longer in Redis (it expired or was evicted before a worker took the run), and team.yaml or a file it references changed since the run was submitted`);
    expect(again.output()).toContain(`hint: submit a new run: sop run team.yaml … --queue ${redis.url}`);
    expect(await look.hget(`sop:sop:run:${runId}`, 'job')).toBe(runId);
  }, 120_000);
});
