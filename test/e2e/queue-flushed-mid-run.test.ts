import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * Redis loses a run while a worker runs it (FLUSHALL here; a restart without persistence or an
 * eviction alike): on a real redis-server and a real worker process, the worker notices at its next
 * write or heartbeat, says so naming the run, writes nothing of it again (no key re-created without
 * an expiry) and goes on serving the queue.
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a run Redis loses while a worker runs it${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    // Slow model calls: the run is mid-call when Redis loses it.
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-flushed-', { latencyMs: 1500, maxRequests: 200 }));
  }, 60_000);

  it('FLUSHALL mid-run: the worker says the run is lost and why, re-creates none of its keys, and runs the next run', async () => {
    const dir = path.join(project, 'worker');
    mkdirSync(dir);
    const worker = sopIn(dir, ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'lost mid-run', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const lost = submitted.stdout().trim();
    // Running: its journal is being written, its first call not answered yet.
    await until(async () => (await look.exists(`sop:sop:journal:${lost}`)) === 1, () => worker.output());
    await look.flushall();
    await until(() => worker.output().includes(`no longer has run ${lost}`), () => worker.output());
    expect(worker.output()).toContain(
      `job ${lost} failed: QUEUE_RUN_NOT_FOUND: queue sop on ${redis.url} no longer has run ${lost}, which this worker was running: its Redis lost it (restarted without persistence, flushed, evicting keys under maxmemory)\n` +
        '  hint: this worker stopped the run and goes on with other jobs; the run cannot be continued; submit it again (`sop run FILE --queue URL`), and have Redis persist what it holds so a restart keeps queued runs (`appendonly yes`, `maxmemory-policy noeviction`): docs/queue.md, "Retention and persistence"\n',
    );
    // The worker goes on: a new run completes on it.
    const next = sopIn(cwd, ['run', 'team.yaml', 'after the loss', ...MODEL, '--queue', redis.url, '--ci']);
    expect((await next.exited).code, `${next.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(worker.child.exitCode, worker.output()).toBeNull();
    // Longer than the lock's heartbeat and the lost run's model call: nothing of it was written back.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await look.keys(`*${lost}*`)).toEqual([]);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
    expect(worker.output()).not.toMatch(STACK_LINE);
    expect(worker.output()).not.toMatch(/unhandled|could not renew lock/i);
    expect(worker.output()).toContain('worker stopped: 1 job completed, 1 failed, 0 handed back; their runs: 1 completed');
  }, 120_000);
});
