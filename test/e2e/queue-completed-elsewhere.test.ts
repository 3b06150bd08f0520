import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisRunLock } from '../../src/queue/run-lock.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * A run whose worker (A) wrote its journal to the end, then lost the run's lock before saving its
 * result (Redis away longer than the lock), while BullMQ handed its job to another worker (B). B
 * finds the journal complete and no result, and waits for A's: A's last write is fenced, so B must
 * not hold the run meanwhile. Set up on a real redis-server from a real run; A is played by the
 * test through the run lock's own scripts, B is a real `sop worker`.
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a completed run whose worker lost the run before saving its result${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-elsewhere-', { latencyMs: 0, maxRequests: 50 }));
  }, 60_000);

  it("the worker taking its job over lets the run go, so the first worker's result is saved and returned, not lost (RUN_NOT_RESUMABLE)", async () => {
    for (const name of ['first', 'second']) mkdirSync(path.join(project, name));
    const first = sopIn(path.join(project, 'first'), ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'saved late', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const runId = submitted.stdout().trim();
    await until(() => first.output().includes(`run ${runId}: completed`), () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);

    // As A left it: the journal complete, the result not saved; its job handed on (a new job id: B's).
    const runKey = `sop:sop:run:${runId}`;
    const lockKey = `sop:sop:run-lock:${runId}`;
    const [result, bytes, data] = (await look.hmget(runKey, 'result', 'resultJournalBytes', 'data')) as [string, string, string];
    const bundle = (JSON.parse(data) as { bundle: string }).bundle;
    await look.hdel(runKey, 'result', 'resultJournalBytes', 'status');
    const jobId = `${runId}-handed-on`;
    await look.hset(runKey, 'job', jobId);
    const jobs = new Queue('sop', { connection: { host: '127.0.0.1', port: redis.port } });
    await jobs.add('run', JSON.parse(data), { jobId });
    // A held the run; its lock expired (a long life: its heartbeat must not take it back here).
    const guards = { run: runKey, job: `bull:sop:${jobId}`, bundle: `sop:sop:bundle:${bundle}` };
    const a = await RedisRunLock.acquireReading(look, lockKey, 600_000, 0, guards, () => undefined);
    if (!a) throw new Error('the test could not take the run lock');
    await look.del(lockKey);

    // B's hold of the run, seen as it happens (keyspace events of the lock's key).
    await look.config('SET', 'notify-keyspace-events', 'K$g');
    const watch = new Redis(redis.url);
    const seen: string[] = [];
    watch.on('message', (_channel: string, event: string) => seen.push(event));
    await watch.subscribe(`__keyspace@0__:${lockKey}`);
    // A long lock: B waits twice its length for A's result, time enough for this test on a loaded machine.
    const second = sopIn(path.join(project, 'second'), ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '10000']);
    try {
      await until(() => seen.includes('set'), () => `${seen.join(',')}\n${second.output()}`, 30_000);
      // B waits for A's result without the run: it let the lock go (else A's save below is refused).
      await until(() => seen.indexOf('del', seen.indexOf('set')) > 0, () => `lock events: ${seen.join(',')}\nworker: ${second.output()}`, 15_000);
      await a.lock.finish([['hset', runKey, 'result', result, 'resultJournalBytes', bytes, 'status', 'completed']], { runs: 'sop:sop:runs', runPrefix: 'sop:sop:run:', keepSeconds: 3600 });
      await until(async () => (await jobs.getJobState(jobId)) === 'completed', () => second.output(), 10_000);
      const done = await jobs.getJob(jobId);
      expect(done?.returnvalue).toEqual(JSON.parse(result));
      expect(second.output()).not.toContain('did not save its result');
    } finally {
      watch.disconnect();
      await jobs.close();
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 90_000);
});
