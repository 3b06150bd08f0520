import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';
import { RedisEndpointLimits } from '../../src/queue/index.js';

/**
 * Endpoint limits shared by a queue's workers, on a real redis-server: two limiters stand for two
 * worker processes (each its own connection), as `sop worker` makes one per process.
 */
let redis: RedisServer;
const connections: Redis[] = [];

function connect(): Redis {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connections.push(connection);
  return connection;
}

describe.skipIf(redisProgram.missing)(`shared endpoint limits${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await redis?.close();
  });

  it('concurrency 1 across two workers: the second call waits until the first worker\'s call is over', async () => {
    const settings = { concurrency: 1, ratePerSecond: 0 };
    const [first, second] = [new RedisEndpointLimits(connect(), 'sop:t1', settings), new RedisEndpointLimits(connect(), 'sop:t1', settings)];
    const release = await first.acquire('http://127.0.0.1:1/v1');
    let secondHasTurn = false;
    const waiting = second.acquire('http://127.0.0.1:1/v1').then((done) => {
      secondHasTurn = true;
      return done;
    });
    // The other endpoint is not held up.
    (await second.acquire('http://127.0.0.1:2/v1'))();
    expect(secondHasTurn).toBe(false);
    release();
    (await waiting)();
    expect(secondHasTurn).toBe(true);
  });

  it('a Retry-After one worker was told holds for the others: their next call waits until it passed', async () => {
    const settings = { concurrency: 0, ratePerSecond: 0 };
    const probe = connect();
    const [told, other] = [new RedisEndpointLimits(connect(), 'sop:t2', settings), new RedisEndpointLimits(connect(), 'sop:t2', settings)];
    told.pause('http://127.0.0.1:3/v1', 1500);
    // The pause is in Redis before the other worker asks.
    await expect.poll(async () => (await probe.keys('sop:t2:endpoint:*:pause')).length).toBe(1);
    const [pauseKey] = await probe.keys('sop:t2:endpoint:*:pause');
    const release = await other.acquire('http://127.0.0.1:3/v1');
    // Its turn came only once the pause had passed.
    expect(await probe.pttl(pauseKey as string)).toBeLessThanOrEqual(0);
    release();
  });

  it('a rate of 2 per second across workers: the third call of a burst waits for a token', async () => {
    const settings = { concurrency: 0, ratePerSecond: 2 };
    const probe = connect();
    const [a, b] = [new RedisEndpointLimits(connect(), 'sop:t3', settings), new RedisEndpointLimits(connect(), 'sop:t3', settings)];
    (await a.acquire('http://127.0.0.1:4/v1'))();
    (await b.acquire('http://127.0.0.1:4/v1'))();
    const [bucket] = await probe.keys('sop:t3:endpoint:*:bucket');
    expect(Number(await probe.hget(bucket as string, 'tokens'))).toBeLessThan(1);
    (await a.acquire('http://127.0.0.1:4/v1'))();
    // Granted only after a token had been refilled: the bucket went below one and came back.
    expect(Number(await probe.hget(bucket as string, 'tokens'))).toBeLessThan(1);
  });
});
