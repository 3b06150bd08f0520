import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../src/queue/connection.js';
import { ConnectionWatch, isConnectionLost, type ConnectionState } from '../../src/queue/connection-watch.js';
import { readRedisUrl } from '../../src/queue/index.js';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';
import { until } from '../e2e/queue-helpers.js';

/**
 * Lost and back, as `sop worker` and a follower of queued runs say them, on a real redis-server
 * stopped and started again under connections made as theirs are (ioredis reconnecting by itself).
 */
let redis: RedisServer;
let opened: Redis[] = [];

async function connected(count: number): Promise<Redis[]> {
  const made = Array.from({ length: count }, () => redisConnection(readRedisUrl(redis.url)));
  opened.push(...made);
  await Promise.all(made.map((connection) => connection.connect()));
  return made;
}

/** What the watch said, with every watched connection's status at the moment it said it. */
function told(watch: ConnectionWatch, connections: Redis[]): Array<{ state: ConnectionState; why: string; statuses: string[] }> {
  const said: Array<{ state: ConnectionState; why: string; statuses: string[] }> = [];
  watch.onChange((state, why) => said.push({ state, why, statuses: connections.map((connection) => connection.status) }));
  return said;
}

describe.skipIf(redisProgram.missing)(`lost and back of a process's Redis connections${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(() => {
    for (const connection of opened) connection.disconnect();
    opened = [];
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('Redis restarted under three connections: lost once, back once and only when all three are ready again', async () => {
    const connections = await connected(3);
    const watch = new ConnectionWatch();
    const said = told(watch, connections);
    for (const connection of connections) watch.watch(connection);
    await redis.stop();
    await until(() => said.length > 0, () => JSON.stringify(said));
    // An error that says so while Redis is away (BullMQ's, seen by the worker) is the same outage.
    watch.lose('connect ECONNREFUSED 127.0.0.1');
    expect(watch.isLost).toBe(true);
    await redis.start();
    await until(() => said.length > 1, () => JSON.stringify(said));
    await Promise.all(connections.map((connection) => connection.ping()));
    expect(said).toEqual([
      { state: 'lost', why: 'connection closed', statuses: expect.any(Array) },
      { state: 'back', why: '', statuses: ['ready', 'ready', 'ready'] },
    ]);
    expect(watch.isLost).toBe(false);
  }, 60_000);

  it('an error that says Redis is lost, with every connection up: said lost with its message, and back at the next reconnect', async () => {
    const connections = await connected(1);
    const watch = new ConnectionWatch();
    const said = told(watch, connections);
    watch.watch(connections[0]!);
    watch.lose('Connection is closed.');
    expect(said.map(({ state, why }) => [state, why])).toEqual([['lost', 'Connection is closed.']]);
    await redis.restart();
    await until(() => said.length > 1, () => JSON.stringify(said));
    expect(said.map(({ state }) => state)).toEqual(['lost', 'back']);
  }, 60_000);

  it('a connection no longer watched (a follower\'s event stream, closed) neither loses Redis nor holds its back', async () => {
    const [client, stream] = (await connected(2)) as [Redis, Redis];
    const watch = new ConnectionWatch();
    const said = told(watch, [client]);
    watch.watch(client);
    const unwatch = watch.watch(stream);
    unwatch();
    stream.disconnect();
    await until(() => stream.status === 'end', () => stream.status);
    expect(said).toEqual([]);
    await redis.restart();
    await until(() => said.length > 1, () => JSON.stringify(said));
    expect(said.map(({ state }) => state)).toEqual(['lost', 'back']);
  }, 60_000);

  it('once ended (the process stopping), connections that close say nothing', async () => {
    const connections = await connected(2);
    const watch = new ConnectionWatch();
    const said = told(watch, connections);
    for (const connection of connections) watch.watch(connection);
    watch.end();
    for (const connection of connections) connection.disconnect();
    await redis.restart();
    watch.lose('Connection is closed.');
    await until(() => connections.every((connection) => connection.status === 'end'), () => connections.map((connection) => connection.status).join());
    expect(said).toEqual([]);
    expect(watch.ended).toBe(true);
  }, 60_000);

  it('the errors ioredis gives a command when Redis is gone are told apart from a command Redis refused', async () => {
    const [ended, refused] = (await connected(2)) as [Redis, Redis];
    ended.disconnect();
    const closed = await ended.ping().catch((error: unknown) => error);
    const nobody = redisConnection(readRedisUrl('redis://127.0.0.1:1'), { retryStrategy: () => null });
    opened.push(nobody);
    const unreachable = await nobody.connect().catch((error: unknown) => error);
    const wrong = await refused.call('NO-SUCH-COMMAND').catch((error: unknown) => error);
    expect([closed, unreachable].map(isConnectionLost), String([closed, unreachable])).toEqual([true, true]);
    expect(isConnectionLost(wrong), String(wrong)).toBe(false);
  });
});
