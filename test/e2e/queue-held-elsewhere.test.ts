import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRunLock } from '../../src/queue/run-lock.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * A run still running on the worker that holds it (A) while BullMQ hands its job to a second worker
 * (B: A stalled), which is refused the run (RUN_LOCKED). Its follower (`sop resume RUN --queue`) is
 * told the run goes on on the worker holding it and follows it there, to its result; B's log says
 * it did not run the job, not that the run failed. Real `sop worker` and `sop resume` processes on a
 * real redis-server; A is played by the test through the run lock's own scripts, from a real run's
 * saved result.
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a run whose job a second worker was refused while the first still runs it${redisProgram.skipNote}`, () => {
  let look: Redis;
  let jobs: Queue;
  let cwd: string;
  /** A real run's result, as its worker saved it. */
  let runId: string;
  let result: string;
  let bytes: string;
  let data: string;

  beforeAll(async () => {
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-held-', { latencyMs: 0, maxRequests: 50 }));
    jobs = new Queue('sop', { connection: { host: '127.0.0.1', port: redis.port } });
    mkdirSync(path.join(project, 'first'));
    const first = sopIn(path.join(project, 'first'), ['worker', '--redis', redis.url, '--no-cache']);
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'held elsewhere', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    runId = submitted.stdout().trim();
    await until(() => first.output().includes(`run ${runId}: completed`), () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    [result, bytes, data] = (await look.hmget(`sop:sop:run:${runId}`, 'result', 'resultJournalBytes', 'data')) as [string, string, string];
  }, 90_000);

  afterAll(async () => {
    await jobs?.close();
  });

  /** The run as A holds it: running (no result), its lock A's, its job queued (`suffix`: a new job id) for B to take. */
  async function heldByA(suffix: string): Promise<RedisRunLock> {
    const runKey = `sop:sop:run:${runId}`;
    await look.hdel(runKey, 'result', 'resultJournalBytes', 'status', 'failure');
    const jobId = `${runId}-${suffix}`;
    await look.hset(runKey, 'job', jobId);
    await jobs.add('run', JSON.parse(data), { jobId });
    const bundle = (JSON.parse(data) as { bundle: string }).bundle;
    const guards = { run: runKey, job: `bull:sop:${jobId}`, bundle: `sop:sop:bundle:${bundle}` };
    const a = await RedisRunLock.acquireReading(look, `sop:sop:run-lock:${runId}`, 600_000, 0, guards, () => undefined);
    if (!a) throw new Error('the test could not take the run lock');
    return a.lock;
  }

  it('the follower follows the run on the worker holding it to its result (exit 0), and sop runs shows it active', async () => {
    const lock = await heldByA('held');
    const follower = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
    mkdirSync(path.join(project, 'second'));
    // A short lock: B waits twice its length for the run's lock before it leaves the run to A.
    const second = sopIn(path.join(project, 'second'), ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
    try {
      // B was refused the run: its job failed while A runs the run.
      await until(async () => (await jobs.getJobState(`${runId}-held`)) === 'failed', () => second.output());
      await until(() => follower.output().includes('is already running on another worker') || follower.child.exitCode !== null, () => follower.output());
      expect(follower.child.exitCode, follower.output()).toBeNull();
      expect(follower.output()).toContain(`run ${runId} is already running on another worker (a second worker took its job and left the run to the one holding it); following it there`);
      // B's log: it left the run to the worker holding it, and how to follow it; no failure of the run.
      await until(() => second.output().includes(`job ${runId}-held not run`), () => second.output());
      expect(second.output()).toContain(`RUN_LOCKED: run ${runId} is already running on another worker, which holds its lock: this job leaves the run to it`);
      expect(second.output()).toContain(`hint: the run goes on there; follow it (its files come home when it ends): sop resume ${runId} --queue ${redis.url}`);
      const listed = sopIn(cwd, ['runs', '--queue', redis.url, '--json']);
      expect((await listed.exited).code, listed.output()).toBe(0);
      const runs = (JSON.parse(listed.stdout()) as { result: { runs: Array<{ runId: string; state: string }> } }).result.runs;
      expect(runs.find((run) => run.runId === runId)?.state).toBe('active');

      // A saves the run's result: the follower brings it home, with the run's own exit code.
      await lock.finish([['hset', `sop:sop:run:${runId}`, 'result', result, 'resultJournalBytes', bytes, 'status', 'completed']], { runs: 'sop:sop:runs', runPrefix: 'sop:sop:run:', keepSeconds: 3600 });
      const ended = await follower.exited;
      expect(ended.code, follower.output()).toBe(0);
      expect(follower.output()).not.toContain('RUN_LOCKED');
      expect(JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')).status).toBe('completed');
    } finally {
      await lock.release();
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);

  it('when the worker holding it stops without saving a result, the follower says so and how to continue it (exit 130), not a refusal', async () => {
    const lock = await heldByA('dropped');
    const follower = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
    // A short lock: B waits twice its length for the run's lock before it leaves the run to A.
    const second = sopIn(path.join(project, 'second'), ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
    try {
      await until(async () => (await jobs.getJobState(`${runId}-dropped`)) === 'failed', () => second.output());
      await until(() => follower.output().includes('is already running on another worker') || follower.child.exitCode !== null, () => `${follower.output()}\n${second.output()}`);
      await lock.release();
      const ended = await follower.exited;
      expect(ended.code, follower.output()).toBe(130);
      expect(follower.output()).toContain(`run ${runId}: the worker that was running it stopped without saving its result, and no job of it is queued`);
      expect(follower.output()).toContain(`continue it from its last checkpoint with \`sop resume ${runId} --queue ${redis.url}\``);
      expect(follower.output()).not.toMatch(/\n\s+at /);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);
});
