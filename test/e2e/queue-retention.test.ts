import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * How long a queued run stays in Redis, on a real redis-server and real workers: its keys (facts
 * and result, journal, workspace files, bundle) get an expiry when the run ends (7 days, or
 * `--queue-keep-days`), none while it is queued or running, and lose it again when a resume
 * queues it to continue. The runs list drops runs that expired as they are listed and as runs end.
 */
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
const { start, sopIn } = queueTestServices();

const DAY = 24 * 3600;

/** The JSON team with a human gate on the plan: a queued run in CI stops awaiting approval (exit 8). */
const GATED_SOP = JSON_TEAM_SOP.replace(
  '        artifacts: [{ path: plan.json }]\n',
  '        artifacts: [{ path: plan.json }]\n        gates:\n          - name: approve-plan\n            human: { prompt: Check the plan. }\n            on_fail: { revise: 1 }\n',
);

describe.skipIf(redisProgram.missing)(`a queued run's retention in Redis${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    // Slow enough that a run is still going when the test looks at its keys.
    ({ redis, server, project } = await start('sop-queue-keep-', { latencyMs: 500, maxRequests: 200 }));
    cwd = path.join(project, 'submitter');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    writeFileSync(path.join(cwd, 'gated.yaml'), GATED_SOP);
    look = new Redis(redis.url);
  }, 60_000);

  afterAll(() => look?.disconnect());

  function startWorker(name: string): Spawned {
    const dir = path.join(project, name);
    mkdirSync(dir);
    return sopIn(dir, ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
  }

  /** The expiry (TTL, s) of each key of the run: facts, journal, workspace files, bundle. */
  async function ttls(runId: string): Promise<Record<string, number>> {
    const bundle = JSON.parse((await look.hget(`sop:sop:run:${runId}`, 'data')) ?? '{}').bundle as string;
    const keys = { run: `sop:sop:run:${runId}`, journal: `sop:sop:journal:${runId}`, artifacts: `sop:sop:artifacts:${runId}`, bundle: `sop:sop:bundle:${bundle}` };
    return Object.fromEntries(await Promise.all(Object.entries(keys).map(async ([name, key]) => [name, await look.ttl(key)] as const)));
  }

  it('a running run\'s keys never expire; once it ended they expire after 7 days', async () => {
    const worker = startWorker('worker-default');
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'kept a week', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const runId = submitted.stdout().trim();
    // Running: its journal is being written, its first call not answered yet (each takes 500 ms).
    await until(async () => (await look.exists(`sop:sop:journal:${runId}`)) === 1, () => worker.output());
    const running = await ttls(runId);
    expect(worker.output()).not.toContain(`run ${runId}: completed`);
    expect(running.run).toBe(-1);
    expect(running.journal).toBe(-1);
    // Its bundle too: a worker taking the run over after its retention would find it still.
    expect(running.bundle).toBe(-1);
    await until(() => worker.output().includes(`run ${runId}: completed`), () => worker.output());
    const ended = await ttls(runId);
    for (const [key, ttl] of Object.entries(ended)) {
      expect(ttl, key).toBeGreaterThan(7 * DAY - 60);
      expect(ttl, key).toBeLessThanOrEqual(7 * DAY);
    }
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
  }, 90_000);

  it('--queue-keep-days sets it; a resume that queues the run to continue takes the expiry off until it ends again', async () => {
    let worker = startWorker('worker-paused');
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const paused = sopIn(cwd, ['run', 'gated.yaml', 'kept two days', ...MODEL, '--queue', redis.url, '--queue-keep-days', '2', '--ci']);
    expect((await paused.exited).code, `${paused.output()}\nworker: ${worker.output()}`).toBe(8);
    const runId = /queued run (\S+) on/.exec(paused.output())?.[1] as string;
    const ended = await ttls(runId);
    for (const [key, ttl] of Object.entries(ended)) {
      expect(ttl, key).toBeGreaterThan(2 * DAY - 60);
      expect(ttl, key).toBeLessThanOrEqual(2 * DAY);
    }
    // No worker now: the run is queued again and waits, kept for good meanwhile.
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
    const approved = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--approve', '--ci']);
    await until(() => approved.output().includes(`queued run ${runId} again`), () => approved.output());
    const queued = await ttls(runId);
    expect(queued.run).toBe(-1);
    expect(queued.journal).toBe(-1);
    expect(queued.artifacts).toBe(-1);
    expect(queued.bundle).toBe(-1);
    worker = startWorker('worker-resumed');
    expect((await approved.exited).code, `${approved.output()}\nworker: ${worker.output()}`).toBe(0);
    // Ended again, queued by a resume without --queue-keep-days: 7 days; the bundle keeps its longest.
    const again = await ttls(runId);
    for (const [key, ttl] of Object.entries(again)) {
      expect(ttl, key).toBeGreaterThan(7 * DAY - 60);
      expect(ttl, key).toBeLessThanOrEqual(7 * DAY);
    }
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
  }, 120_000);

  it('sop runs --queue leaves out a run that expired, and lists the others', async () => {
    const listed = sopIn(cwd, ['runs', '--queue', redis.url]);
    expect((await listed.exited).code, listed.output()).toBe(0);
    const [first] = /\d{8}-\d{6}-[0-9a-f]{6}/.exec(listed.stdout()) ?? [];
    expect(first).toBeDefined();
    // Expired as its time came: every key of the run gone, its place in the list left behind.
    const runId = first as string;
    await look.del(`sop:sop:run:${runId}`, `sop:sop:journal:${runId}`, `sop:sop:artifacts:${runId}`, `bull:sop:${runId}`);
    const after = sopIn(cwd, ['runs', '--queue', redis.url]);
    expect((await after.exited).code, after.output()).toBe(0);
    expect(after.stdout()).not.toContain(runId);
    expect(after.stdout()).toMatch(/\d{8}-\d{6}-[0-9a-f]{6}/);
    expect(await look.zscore('sop:sop:runs', runId)).toBeNull();
  }, 60_000);

  it('a run that ends drops runs that expired from the list, without anyone listing it', async () => {
    // Two runs long expired (their facts gone), oldest in the list, as `sop runs --queue` would find them.
    const expired = ['20200101-000000-aaaaaa', '20200101-000001-bbbbbb'];
    await look.zadd('sop:sop:runs', 1, expired[0] as string, 2, expired[1] as string);
    const worker = startWorker('worker-prune');
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'prunes the list', ...MODEL, '--queue', redis.url, '--ci']);
    expect((await submitted.exited).code, `${submitted.output()}\nworker: ${worker.output()}`).toBe(0);
    const runId = /queued run (\S+) on/.exec(submitted.output())?.[1] as string;
    for (const id of expired) expect(await look.zscore('sop:sop:runs', id), id).toBeNull();
    // Runs still kept stay listed.
    expect(await look.zscore('sop:sop:runs', runId)).not.toBeNull();
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
  }, 90_000);

  it('sop runs --queue --limit N lists the newest N, and says how many more the queue has', async () => {
    for (const idea of ['one', 'two', 'three']) {
      const submitted = sopIn(cwd, ['run', 'team.yaml', idea, ...MODEL, '--queue', redis.url, '--detach']);
      expect((await submitted.exited).code, submitted.output()).toBe(0);
    }
    const total = await look.zcard('sop:sop:runs');
    const listed = sopIn(cwd, ['runs', '--queue', redis.url, '--limit', '2']);
    expect((await listed.exited).code, listed.output()).toBe(0);
    expect(listed.stdout().match(/^\d{8}-\d{6}-[0-9a-f]{6} /gm)).toHaveLength(2);
    expect(listed.output()).toContain(`listed the newest 2 of its ${total} runs: \`--limit N\` lists more`);
    const json = sopIn(cwd, ['runs', '--queue', redis.url, '--limit', '2', '--json']);
    expect((await json.exited).code, json.output()).toBe(0);
    const envelope = JSON.parse(json.stdout()) as { result: { runs: unknown[]; total: number } };
    expect(envelope.result.runs).toHaveLength(2);
    expect(envelope.result.total).toBe(total);
  }, 60_000);
});
