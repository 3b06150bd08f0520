import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import type { FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * A queued run's secret inputs (named like a secret: `api_key`) travel sealed with SOP_QUEUE_KEY,
 * on a real redis-server and real `sop worker` processes: nothing in the queue's Redis holds the
 * value, the worker that has the key runs with it, one without it (or with another) fails that run
 * clearly and goes on, and a submitter without a key is refused before anything is queued.
 */
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
let client: Redis;
const { start, sopIn } = queueTestServices();

const SECRET = 'sk-live-Qu3ueSecret-4711-zebra';
const KEY = 'w0QhW5o1n0V2mQH8m2q3c9u8W1kYxj0tq0h5f6Lr2Zc='; // 32 bytes, base64
const OTHER_KEY = 'a'.repeat(64); // 32 bytes, hex
const WITH_KEY = { SOP_QUEUE_KEY: KEY };

/** The JSON team with a secret input the planner's prompt reads: a request to the model proves the worker opened it. */
const SECRET_SOP = JSON_TEAM_SOP.replace('inputs.idea }}"\n', 'inputs.idea }}"\ninputs:\n  idea: { type: string }\n  api_key: { type: string, default: none }\n').replace(
  'prompt: "Plan {{ inputs.idea }}: {{ message.content }}"',
  'prompt: "Plan {{ inputs.idea }} with key {{ inputs.api_key }}: {{ message.content }}"',
);

/** Every value of every key in the Redis database, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function everyValue(): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const key of await client.keys('*')) {
    const type = await client.type(key);
    const value =
      type === 'string' ? await client.get(key)
      : type === 'hash' ? JSON.stringify(await client.hgetall(key))
      : type === 'list' ? JSON.stringify(await client.lrange(key, 0, -1))
      : type === 'set' ? JSON.stringify(await client.smembers(key))
      : type === 'zset' ? JSON.stringify(await client.zrange(key, 0, -1, 'WITHSCORES'))
      : type === 'stream' ? JSON.stringify(await client.xrange(key, '-', '+'))
      : `(${type})`;
    values.set(key, value ?? '');
  }
  return values;
}

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] as string;

describe.skipIf(redisProgram.missing)(`secret inputs of queued runs are sealed with SOP_QUEUE_KEY${redisProgram.skipNote}`, () => {
  let submitter: string;
  const workers: Record<string, Spawned> = {};

  /** A worker of queue `name` in a folder of its own, started with `env`; resolves once it is ready. */
  const startWorker = async (name: string, env: Record<string, string>): Promise<void> => {
    const cwd = path.join(project, `worker-${name}`);
    mkdirSync(cwd);
    const worker = sopIn(cwd, ['worker', '--redis', redis.url, '--queue', name, '--no-cache', '--lock-ms', '2000'], env);
    workers[name] = worker;
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  };

  beforeAll(async () => {
    ({ redis, server, project } = await start('sop-queue-secrets-', { maxRequests: 2000 }));
    client = new Redis(redis.url);
    submitter = path.join(project, 'submitter');
    mkdirSync(submitter);
    writeFileSync(path.join(submitter, 'team.yaml'), SECRET_SOP);
    await Promise.all([startWorker('keyed', WITH_KEY), startWorker('keyless', {}), startWorker('otherkey', { SOP_QUEUE_KEY: OTHER_KEY })]);
  }, 90_000);

  afterAll(() => client?.disconnect());

  it('the worker with the key runs with the secret; no key or value in Redis holds it, nor does sop runs --queue', async () => {
    const ran = sopIn(submitter, ['run', 'team.yaml', 'a sealed idea', '--input', `api_key=${SECRET}`, ...MODEL, '--queue', redis.url, '--queue-name', 'keyed', '--ci'], WITH_KEY);
    expect((await ran.exited).code, `${ran.output()}\nworker: ${workers['keyed']?.output()}`).toBe(0);
    // The worker opened it: the planner's prompt carried the value to the model.
    expect(server.requests.some((request) => JSON.stringify(request.body).includes(`with key ${SECRET}`))).toBe(true);
    const runId = runIdOf(ran.output());
    const job = JSON.parse((await client.hget(`bull:keyed:${runId}`, 'data')) as string);
    expect(job.inputs).toEqual({ idea: 'a sealed idea' });
    expect(Object.keys(job.sealed)).toEqual(['api_key']);
    const facts = JSON.parse((await client.hget(`sop:keyed:run:${runId}`, 'data')) as string);
    expect(facts.sealed.api_key).toBe(job.sealed.api_key);
    const holding = [...(await everyValue())].filter(([, value]) => value.includes(SECRET)).map(([key]) => key);
    expect(holding).toEqual([]);
    const listed = sopIn(submitter, ['runs', '--queue', redis.url, '--queue-name', 'keyed', '--json']);
    expect((await listed.exited).code, listed.output()).toBe(0);
    expect(listed.output()).toContain(runId);
    expect(listed.output()).not.toContain(SECRET);
    expect(ran.output()).not.toContain(SECRET);
    expect(workers['keyed']?.output()).not.toContain(SECRET);
  }, 90_000);

  it('without SOP_QUEUE_KEY, a run with a secret input is refused (exit 2) before anything is queued, naming the input and the fix', async () => {
    const before = await client.zcard('sop:keyed:runs');
    const refused = sopIn(submitter, ['run', 'team.yaml', 'an idea', '--input', `api_key=${SECRET}`, ...MODEL, '--queue', redis.url, '--queue-name', 'keyed']);
    expect((await refused.exited).code, refused.output()).toBe(2);
    expect(refused.output()).toContain('input "api_key" is a secret, and SOP_QUEUE_KEY is not set');
    expect(refused.output()).toContain('set SOP_QUEUE_KEY (32 random bytes: `openssl rand -base64 32`) to the same value here and on every worker');
    expect(refused.output()).toContain('${env:NAME}');
    expect(refused.output()).not.toContain(SECRET);
    expect(refused.output()).not.toMatch(STACK_LINE);
    expect(await client.zcard('sop:keyed:runs')).toBe(before);
    // A run without a secret input needs no key.
    const plain = sopIn(submitter, ['run', 'team.yaml', 'a plain idea', ...MODEL, '--queue', redis.url, '--queue-name', 'keyed', '--ci']);
    expect((await plain.exited).code, plain.output()).toBe(0);
  }, 90_000);

  it('sop eval --queue seals every case\'s secret inputs; without SOP_QUEUE_KEY it is refused before any case is queued', async () => {
    writeFileSync(path.join(submitter, 'cases.yaml'), `apiVersion: sop-eval/v1\ncases:\n  - { name: plain, inputs: { idea: "one" } }\n  - { name: keyed, inputs: { idea: "two", api_key: "${SECRET}" } }\n`);
    const before = await client.zcard('sop:keyed:runs');
    const keyedCalls = (): number => server.requests.filter((request) => JSON.stringify(request.body).includes(`with key ${SECRET}`)).length;
    const callsBefore = keyedCalls();
    const refused = sopIn(submitter, ['eval', 'team.yaml', '--dataset', 'cases.yaml', ...MODEL, '--queue', redis.url, '--queue-name', 'keyed']);
    expect((await refused.exited).code, refused.output()).toBe(2);
    expect(refused.output()).toContain('input "api_key" is a secret, and SOP_QUEUE_KEY is not set');
    expect(refused.output()).not.toMatch(STACK_LINE);
    expect(await client.zcard('sop:keyed:runs')).toBe(before);
    const evaluated = sopIn(submitter, ['eval', 'team.yaml', '--dataset', 'cases.yaml', ...MODEL, '--queue', redis.url, '--queue-name', 'keyed'], WITH_KEY);
    expect((await evaluated.exited).code, `${evaluated.output()}\nworker: ${workers['keyed']?.output()}`).toBe(0);
    expect(await client.zcard('sop:keyed:runs')).toBe(before + 2);
    // The keyed case's planner was asked with the opened value.
    expect(keyedCalls()).toBe(callsBefore + 1);
    const holding = [...(await everyValue())].filter(([, value]) => value.includes(SECRET)).map(([key]) => key);
    expect(holding).toEqual([]);
  }, 120_000);

  it('a malformed or short SOP_QUEUE_KEY is a usage error naming the variable, never its value, on a submitter and a worker', async () => {
    const short = 'c2hvcnQta2V5LW9mLTE2Yg=='; // 16 bytes
    const submitted = sopIn(submitter, ['run', 'team.yaml', 'x', '--input', `api_key=${SECRET}`, ...MODEL, '--queue', redis.url], { SOP_QUEUE_KEY: short });
    const malformed = sopIn(submitter, ['run', 'team.yaml', 'x', ...MODEL, '--queue', redis.url], { SOP_QUEUE_KEY: 'not a key at all!' });
    const worker = sopIn(project, ['worker', '--redis', redis.url, '--queue', 'never'], { SOP_QUEUE_KEY: short });
    expect((await submitted.exited).code, submitted.output()).toBe(2);
    expect(submitted.output()).toContain('SOP_QUEUE_KEY is not a queue key: it holds 16 bytes, a queue key is 32');
    expect((await malformed.exited).code, malformed.output()).toBe(2);
    expect(malformed.output()).toContain('SOP_QUEUE_KEY is not a queue key: it must be 32 bytes written as 64 hex digits or in base64');
    expect((await worker.exited).code, worker.output()).toBe(2);
    expect(worker.output()).toContain('SOP_QUEUE_KEY is not a queue key: it holds 16 bytes');
    for (const ran of [submitted, malformed, worker]) {
      expect(ran.output()).toContain('openssl rand -base64 32');
      expect(ran.output()).not.toContain(short);
      expect(ran.output()).not.toContain('not a key at all');
      expect(ran.output()).not.toMatch(STACK_LINE);
    }
  }, 60_000);

  it.each([
    ['keyless', 'its secret input "api_key" is sealed with the submitter\'s SOP_QUEUE_KEY, and this worker has no SOP_QUEUE_KEY'],
    ['otherkey', 'this worker\'s SOP_QUEUE_KEY does not open its secret input "api_key": the run was submitted with another key'],
  ])('a worker of queue %s fails that run with QUEUE_KEY_MISMATCH (exit 18 for the follower) and goes on with the next', async (queue, message) => {
    const ran = sopIn(submitter, ['run', 'team.yaml', 'a sealed idea', '--input', `api_key=${SECRET}`, ...MODEL, '--queue', redis.url, '--queue-name', queue, '--ci'], WITH_KEY);
    expect((await ran.exited).code, `${ran.output()}\nworker: ${workers[queue]?.output()}`).toBe(18);
    const runId = runIdOf(ran.output());
    expect(ran.output()).toContain(`QUEUE_KEY_MISMATCH: queued run ${runId}: run ${runId}: ${message}`);
    expect(ran.output()).toContain(`give this worker the SOP_QUEUE_KEY the run was submitted with (the same on the submitters and every worker), then continue the run: sop resume ${runId} --queue ${redis.url} --queue-name ${queue}`);
    // The follower learns of the failure from Redis, maybe before the worker has printed it.
    const failed = `failed: QUEUE_KEY_MISMATCH: run ${runId}: ${message}`;
    await until(() => (workers[queue]?.output() ?? '').includes(failed), () => workers[queue]?.output() ?? '', 10_000);
    const log = workers[queue]?.output() ?? '';
    for (const text of [ran.output(), log]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(STACK_LINE);
    }
    // The worker goes on: a run without a secret input completes on it.
    const next = sopIn(submitter, ['run', 'team.yaml', 'a plain idea', ...MODEL, '--queue', redis.url, '--queue-name', queue, '--ci']);
    expect((await next.exited).code, `${next.output()}\nworker: ${workers[queue]?.output()}`).toBe(0);
  }, 90_000);
});
