import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRunGone, RedisRunLock, type FencedWrite, type RunEndKeys } from '../../src/queue/run-lock.js';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';

/**
 * A queued run's end (`RedisRunLock.finish`) on a real redis-server: its last writes, the lock's
 * release and what lies beyond its keys (its bundle's expiry, the runs list's pruning) are one
 * command, one round trip; and it is fenced as every write of the run is: a run Redis lost, or one
 * another worker took over, gets none of them written.
 */
let redis: RedisServer;
let probe: Redis;
let worker: Redis;

const KEEP = 3600;
const keys = (runId: string) => ({
  lock: `sop:t:run-lock:${runId}`,
  run: `sop:t:run:${runId}`,
  job: `bull:t:${runId}`,
  artifacts: `sop:t:artifacts:${runId}`,
  bundle: 'sop:t:bundle:b',
});
const END: RunEndKeys = { runs: 'sop:t:runs', runPrefix: 'sop:t:run:', keepSeconds: KEEP };

/** A run as a worker holds it: its facts, its job, its bundle (no expiry), in the runs list beside one whose facts expired. */
async function heldRun(runId: string): Promise<RedisRunLock> {
  const at = keys(runId);
  await probe.hset(at.run, 'sop', 'team', 'job', runId);
  await probe.hset(at.job, 'name', 'run');
  await probe.set(at.bundle, '{}');
  await probe.zadd(END.runs, 1, 'expired-long-ago', Date.now(), runId);
  const taken = await RedisRunLock.acquireReading(worker, at.lock, 30_000, 0, { run: at.run, job: at.job, bundle: at.bundle }, () => undefined);
  if (!taken) throw new Error('lock not taken');
  return taken.lock;
}

function lastWrites(runId: string): FencedWrite[] {
  const at = keys(runId);
  return [
    ['hset', at.artifacts, 'plan.md', JSON.stringify({ content: 'cGxhbg==' })],
    ['hset', at.run, 'result', '{"status":"completed"}', 'status', 'completed'],
    ['expire', at.run, String(KEEP)],
  ];
}

/** Calls of each command Redis ran since the last `CONFIG RESETSTAT` (scripts' own commands included). */
async function calls(): Promise<Record<string, number>> {
  const info = await probe.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, count]) => [name, Number(count)]));
}

describe.skipIf(redisProgram.missing)(`a queued run's end${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url, { maxRetriesPerRequest: null });
    worker = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  beforeEach(async () => {
    await probe.flushall();
  });
  afterAll(async () => {
    probe?.disconnect();
    worker?.disconnect();
    await redis?.close();
  });

  it('writes the result, the files and the expiries, releases the lock, keeps the bundle and prunes the list: one EVALSHA', async () => {
    // The script's first use on a connection loads it (EVALSHA refused, then EVAL): done by an earlier run.
    await (await heldRun('warm')).finish(lastWrites('warm'), END);
    const lock = await heldRun('r1');
    await probe.config('RESETSTAT');
    await lock.finish(lastWrites('r1'), END);
    const ran = await calls();
    expect(ran.evalsha).toBe(1);
    expect([ran.eval, ran.multi, ran.exec, ran.persist]).toEqual([undefined, undefined, undefined, undefined]);
    const at = keys('r1');
    expect(await probe.hget(at.run, 'result')).toBe('{"status":"completed"}');
    expect(await probe.hget(at.artifacts, 'plan.md')).toBe(JSON.stringify({ content: 'cGxhbg==' }));
    expect(await probe.ttl(at.run)).toBeGreaterThan(KEEP - 10);
    expect(await probe.exists(at.lock)).toBe(0);
    expect(await probe.ttl(at.bundle)).toBeGreaterThan(KEEP - 10);
    expect(await probe.zrange(END.runs, 0, -1)).toEqual(['warm', 'r1']);
  });

  it('of a run Redis lost (its facts gone): writes nothing of it, says so, releases the lock; the bundle and the list are still kept', async () => {
    const lock = await heldRun('r2');
    const at = keys('r2');
    await probe.del(at.run);
    const refused = await lock.finish(lastWrites('r2'), END).then(() => undefined, (error: unknown) => error);
    expect(isRunGone(refused)).toBe(true);
    expect(lock.isGone).toBe(true);
    expect(await probe.exists(at.run, at.artifacts, at.lock)).toBe(0);
    expect(await probe.ttl(at.bundle)).toBeGreaterThan(KEEP - 10);
    expect(await probe.zrange(END.runs, 0, -1)).toEqual([]);
  });

  it('of a run another worker took over: writes nothing, leaves that worker its lock', async () => {
    const lock = await heldRun('r3');
    const at = keys('r3');
    await probe.set(at.lock, 'another-worker');
    await expect(lock.finish(lastWrites('r3'), END)).rejects.toThrow('SOPLOCKLOST the run is held by another worker now');
    expect(await probe.hget(at.run, 'result')).toBeNull();
    expect(await probe.ttl(at.run)).toBe(-1);
    expect(await probe.exists(at.artifacts)).toBe(0);
    expect(await probe.get(at.lock)).toBe('another-worker');
  });
});
