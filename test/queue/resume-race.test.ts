import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient, readRedisUrl } from '../../src/queue/index.js';
import { isSopError } from '../../src/errors/index.js';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';

/**
 * Two `sop resume RUN --queue URL` of one paused run at once, with different decisions, on a real
 * redis-server: each its own client (its own connection), as two processes are. One queues the run
 * to continue; the other is refused (RUN_LOCKED, exit 13) naming the decision that stands.
 */
let redis: RedisServer;
let probe: Redis;
const clients: QueueClient[] = [];

const QUEUE = 'race';

/** A run the queue knows, as `sop run --queue` leaves it once its job ended (the job itself gone). */
async function pausedRun(runId: string): Promise<void> {
  const data = { v: 1, runId, bundle: 'a'.repeat(64), sop: 'team', inputs: { idea: 'x' }, models: {} };
  await probe.hset(`sop:${QUEUE}:run:${runId}`, 'sop', 'team', 'submitted', new Date().toISOString(), 'job', runId, 'data', JSON.stringify(data), 'status', 'awaiting_approval');
}

async function client(queue = QUEUE): Promise<QueueClient> {
  const opened = await QueueClient.open(readRedisUrl(redis.url), queue);
  clients.push(opened);
  return opened;
}

describe.skipIf(redisProgram.missing)(`sop resume --queue, two at once${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const opened of clients) await opened.close();
    probe?.disconnect();
    await redis?.close();
  });

  it('of a reject and an approve sent together, one is queued and the other refused with RUN_LOCKED naming the decision that stands', async () => {
    for (let round = 0; round < 5; round += 1) {
      const runId = `20260101-00000${round}-abcdef`;
      await pausedRun(runId);
      const [rejecting, approving] = [await client(), await client()];
      const outcomes = await Promise.allSettled([
        rejecting.resume(runId, { decision: { kind: 'reject', feedback: 'v2 please' } }),
        approving.resume(runId, { decision: { kind: 'approve' } }),
      ]);
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      expect(refused, `round ${round}`).toHaveLength(1);
      const error = refused[0];
      if (!isSopError(error)) throw error;
      expect(error.code).toBe('RUN_LOCKED');
      const stands = JSON.parse((await probe.hget(`sop:${QUEUE}:run:${runId}`, 'data')) as string).decision;
      expect(error.message).toBe(`run ${runId} is already queued to continue by another sop resume, with ${stands.kind === 'approve' ? '--approve' : '--reject "v2 please"'}`);
      // Exactly one job queued for the run: the one whose decision stands.
      const job = (await probe.hget(`sop:${QUEUE}:run:${runId}`, 'job')) as string;
      const waiting = (await probe.lrange(`bull:${QUEUE}:wait`, 0, -1)).filter((id) => id.startsWith(runId));
      expect(waiting).toEqual([job]);
    }
  });

  it('a run a worker saved completed after the resume found its job ended is not queued again: its saved result stays', async () => {
    // The interleaving, set up as it stands at the claim: the resume read the run's job ended short
    // (failed, or completed before its status was read); a worker saved the run completed since.
    const runId = '20260101-000100-abcdef';
    const key = `sop:${QUEUE}:run:${runId}`;
    await pausedRun(runId);
    await probe.hset(key, 'status', 'completed', 'result', '{"runId":"saved"}', 'resultJournalBytes', '42');
    const queued = await (await client()).resume(runId, {});
    expect(queued).toBe(false);
    expect(await probe.hmget(key, 'status', 'result', 'job')).toEqual(['completed', '{"runId":"saved"}', runId]);
    expect((await probe.lrange(`bull:${QUEUE}:wait`, 0, -1)).filter((id) => id.startsWith(runId))).toEqual([]);
  });

  it('a resume decided from a job another resume replaced since is refused, even once that job ended: the decision was for a gate that run no longer awaits', async () => {
    const runId = '20260101-000200-abcdef';
    const key = `sop:${QUEUE}:run:${runId}`;
    await pausedRun(runId);
    const rejecting = await client();
    const seen = await rejecting.run(runId);
    expect(seen.job).toBe(runId);
    // Meanwhile another resume queued the run with --approve, and its job ran to the next gate.
    const approved = { v: 1, runId, bundle: 'a'.repeat(64), sop: 'team', inputs: { idea: 'x' }, models: {}, decision: { kind: 'approve' } };
    await probe.hset(key, 'job', `${runId}-r1`, 'data', JSON.stringify(approved), 'status', 'awaiting_approval');
    const refused = await rejecting.resume(runId, { decision: { kind: 'reject', feedback: 'v2 please' } }, seen.job).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!isSopError(refused)) throw new Error(`not refused: ${String(refused)}`);
    expect(refused.code).toBe('RUN_LOCKED');
    expect(refused.message).toBe(`run ${runId} is already queued to continue by another sop resume, with --approve`);
    expect(await probe.hmget(key, 'job', 'status')).toEqual([`${runId}-r1`, 'awaiting_approval']);
    expect((await probe.lrange(`bull:${QUEUE}:wait`, 0, -1)).filter((id) => id.startsWith(runId))).toEqual([]);
  });

  it('a run whose job failed as another worker held it, and which that worker completed and saved, is brought home, never queued again', async () => {
    // A stalled job handed to a second worker, refused (RUN_LOCKED) while the first still held the
    // run: the job failed; the first then completed the run and saved its result. A real failed job.
    const queue = 'held';
    const runId = '20260101-000300-abcdef';
    const key = `sop:${queue}:run:${runId}`;
    const data = { v: 1, runId, bundle: 'a'.repeat(64), sop: 'team', inputs: { idea: 'x' }, models: {} };
    const jobs = new Queue(queue, { connection: { host: '127.0.0.1', port: redis.port } });
    await jobs.add('run', data, { jobId: runId });
    const refusing = new Worker(queue, async () => Promise.reject(new Error(`run ${runId} is held by another worker`)), { connection: { host: '127.0.0.1', port: redis.port } });
    await new Promise<void>((resolve) => refusing.on('failed', () => resolve()));
    await refusing.close();
    await jobs.close();
    const result = { runId, status: 'completed', exitCode: 0, report: { status: 'completed' }, files: [] };
    await probe.hset(key, 'sop', 'team', 'submitted', new Date().toISOString(), 'job', runId, 'data', JSON.stringify(data));
    await probe.hset(key, 'failure', JSON.stringify({ job: runId, code: 'RUN_LOCKED', message: `run ${runId} is held by another worker` }));
    await probe.hset(key, 'status', 'completed', 'result', JSON.stringify(result), 'resultJournalBytes', '42');
    const resuming = await client(queue);
    const seen = await resuming.run(runId);
    expect(seen.state).toBe('failed');
    expect(await resuming.resume(runId, {}, seen.job)).toBe(false);
    expect(await resuming.follow(runId, () => undefined)).toEqual(result);
  });
});
