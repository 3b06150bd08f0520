import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import type { FakeOpenAI, FakeOpenAIOptions } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { filesUnder } from './providers-helpers.js';
import { JSON_TEAM_CALLS, JSON_TEAM_SOP, MODEL, queueTestServices, runningOn, until, type Spawned } from './queue-helpers.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { QueueClient, readRedisUrl, type RunJobResult } from '../../src/queue/index.js';

/**
 * Queued runs on a real redis-server and real `sop worker` processes against the loopback
 * OpenAI-compatible server: 30 runs of a JSON team on 3 workers, one worker killed with SIGKILL in
 * the middle of a run (another takes the run over from its journal in Redis, asking no answered
 * call again) and Redis restarted while runs go on (no completed result is lost).
 */
const RUNS = 30;
/** Runs submitted with `sop run --queue` (the rest through the same client the CLI uses). */
const CLI_RUNS = 3;
const LOCK_MS = 2000;

/** The fake server's options, kept: a test holds a call in flight through `hold`. */
const fake: FakeOpenAIOptions = { latencyMs: 150, maxRequests: 2000 };
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
const { start, sopIn } = queueTestServices();
/** Every worker started, in order: worker n keeps its runs in `worker-data-n`. */
const workers: Spawned[] = [];

function startWorker(): Spawned {
  // Its data folder inside the test's own: a worker killed with SIGKILL leaves it, removed with the rest.
  const dataDir = path.join(project, `worker-data-${workers.length}`);
  const worker = sopIn(project, ['worker', '--redis', redis.url, '--concurrency', '2', '--lock-ms', String(LOCK_MS), '--no-cache', '--data-dir', dataDir]);
  workers.push(worker);
  return worker;
}

describe.skipIf(redisProgram.missing)(`queued runs on BullMQ and Redis${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    // A model that takes a while, so runs are in the middle of a call when a worker is killed.
    ({ redis, server, project } = await start('sop-queue-', fake));
    writeFileSync(path.join(project, 'team.yaml'), JSON_TEAM_SOP);
  });

  it('30 runs on 3 workers: one worker SIGKILLed mid-run and Redis restarted; every run completes with the artifacts of a local run, each answered call asked once', async (context) => {
    const [first, second, third] = [startWorker(), startWorker(), startWorker()];
    context.onTestFinished(() => [first, second, third].forEach((worker) => worker.child.kill('SIGKILL')));
    await until(() => workers.every((worker) => worker.output().includes('worker ready')), () => workers.map((worker) => worker.output()).join('\n---\n'));
    const address = readRedisUrl(redis.url);
    const client = await QueueClient.open(address, 'sop');
    const { sop } = await loadResolvedSop(path.join(project, 'team.yaml'));
    const ideas = Array.from({ length: RUNS }, (_, index) => `idea number ${index}`);

    // Three through the CLI, which follows its run to the end; the rest through the library client.
    const followers = ideas.slice(0, CLI_RUNS).map((idea, index) => {
      const cwd = path.join(project, `submitter-${index}`);
      mkdirSync(cwd);
      writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
      return { cwd, idea, spawned: sopIn(cwd, ['run', 'team.yaml', idea, ...MODEL, '--queue', redis.url, '--ci']) };
    });
    const runIds = [];
    for (const idea of ideas.slice(CLI_RUNS)) runIds.push(await client.submit(sop, { inputs: { idea }, models: { model: 'openai:gpt-4o-mini' } }));

    // Kill the first worker once one of its runs has an answered call in its journal in Redis.
    const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    let victim: string | undefined;
    await until(async () => {
      for (const runId of runningOn(first.output())) {
        const journal = (await probe.get(`sop:sop:journal:${runId}`)) ?? '';
        if (journal.includes('"call-answered"')) {
          victim = runId;
          return true;
        }
      }
      return false;
    }, () => `worker 1: ${first.output()}`);
    const requestsAtKill = server.requests.length;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Redis restarts (same data folder, append-only) once some runs have completed.
    const completedBefore = async (): Promise<string[]> => {
      const runs = await client.runs(100);
      return runs.filter((run) => run.state === 'completed').map((run) => run.runId);
    };
    await until(async () => (await completedBefore()).length >= 8, () => 'eight runs completed');
    const doneBeforeRestart = await completedBefore();
    await redis.restart();

    const results = new Map<string, RunJobResult>();
    for (const runId of runIds) results.set(runId, await client.follow(runId, () => undefined));
    const followed = await Promise.all(followers.map(async (follower) => ({ ...follower, exit: await follower.spawned.exited })));
    for (const follower of followed) {
      expect(follower.spawned.output()).not.toMatch(STACK_LINE);
      expect(follower.exit.code, follower.spawned.output()).toBe(0);
      expect(follower.spawned.output()).toContain('status: completed');
    }

    // Every run completed, the ones done before the restart included.
    expect([...results.values()].map((result) => result.status)).toEqual(runIds.map(() => 'completed'));
    for (const runId of doneBeforeRestart) expect(runIds.includes(runId) ? results.get(runId)?.status : 'completed').toBe('completed');
    // The killed worker's run was taken over by another and completed.
    const others = `${second.output()}\n${third.output()}`;
    expect(others).toContain(`run ${victim}: taken over, continuing from its journal`);

    // Each answered call was asked once; only calls in flight at the kill (at most the worker's 2 runs' one each) again.
    const bodies = server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body.messages));
    const repeated = bodies.length - new Set(bodies).size;
    expect(repeated).toBeLessThanOrEqual(2);
    expect(bodies.length).toBeLessThanOrEqual(RUNS * JSON_TEAM_CALLS + 2);
    expect(new Set(bodies).size).toBe(RUNS * JSON_TEAM_CALLS);
    expect(requestsAtKill).toBeGreaterThan(0);

    // The same artifacts as local runs of the same ideas: the CLI submitters' workspaces against `sop run` here.
    for (const follower of followed) {
      const local = path.join(project, `local-${followed.indexOf(follower)}`);
      mkdirSync(local);
      writeFileSync(path.join(local, 'team.yaml'), JSON_TEAM_SOP);
      const ran = sopIn(local, ['run', 'team.yaml', follower.idea, ...MODEL, '--ci', '--no-cache']);
      expect((await ran.exited).code, ran.output()).toBe(0);
      const queued = filesUnder(path.join(follower.cwd, 'workspace', 'json-team'));
      expect(Object.keys(queued).sort()).toEqual(['plan.json', 'review.json', 'summary.json']);
      expect(queued).toEqual(filesUnder(path.join(local, 'workspace', 'json-team')));
    }
    // And the library's results name the same files.
    for (const result of results.values()) expect(result.files.map((file) => file.path)).toEqual(['plan.json', 'review.json', 'summary.json']);

    // SIGTERM: the workers stop cleanly.
    for (const worker of [second, third]) worker.child.kill('SIGTERM');
    for (const worker of [second, third]) expect((await worker.exited).code, worker.output()).toBe(0);
    probe.disconnect();
    await client.close();
  }, 240_000);

  it('a malformed or hostile job fails alone, with a clear error; the worker goes on with the next', async (context) => {
    const worker = startWorker();
    context.onTestFinished(() => void worker.child.kill('SIGKILL'));
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const queue = new Queue('sop', { connection: { url: redis.url, maxRetriesPerRequest: null } as never });
    await queue.add('run', { v: 1, runId: '../../etc', bundle: 'x', sop: 'evil', inputs: {}, models: {} }, { jobId: 'hostile-1' });
    const direct = new Redis(redis.url, { maxRetriesPerRequest: null });
    direct.on('error', () => undefined);
    const hash = 'a'.repeat(64);
    await direct.set(`sop:sop:bundle:${hash}`, JSON.stringify({ hash, sop: '../escape.yaml', files: { '../escape.yaml': Buffer.from('x').toString('base64') } }));
    await queue.add('run', { v: 1, runId: '20260101-000000-abcdef', bundle: hash, sop: 'evil', inputs: {}, models: {} }, { jobId: 'hostile-2' });
    // A well-formed job whose SOP names a script its bundle lacks: the worker's own file of that name is never read.
    writeFileSync(path.join(project, 'worker-file.yaml'), 'apiVersion: sop-script/v1\nanswers: WORKER-SECRET-LINE\n');
    const evilDir = path.join(project, 'evil-script');
    mkdirSync(evilDir);
    writeFileSync(path.join(evilDir, 'team.yaml'), JSON_TEAM_SOP.replace('n_round: 6 }', 'n_round: 6, model: "script:worker-file.yaml" }'));
    const client = await QueueClient.open(readRedisUrl(redis.url, '--queue'), 'sop');
    const evilRun = await client.submit((await loadResolvedSop(path.join(evilDir, 'team.yaml'))).sop, { inputs: { idea: 'x' }, models: {} });
    await client.close();
    await until(() => (worker.output().match(/failed: QUEUE_JOB_INVALID/g) ?? []).length >= 3, () => worker.output());
    expect(worker.output()).toContain(`job ${evilRun} failed: QUEUE_JOB_INVALID: the run's model "script:worker-file.yaml" names no script in its bundle`);
    expect(worker.output()).not.toContain('WORKER-SECRET-LINE');
    expect(worker.output()).toMatch(/job hostile-1 failed: QUEUE_JOB_INVALID: job hostile-1 is not a run job: \/runId: must match pattern/);
    expect(worker.output()).toMatch(/job hostile-2 failed: QUEUE_JOB_INVALID: bundle aaaaaaaaaaaa: unsafe file path "..\/escape.yaml"/);
    expect(worker.output()).not.toMatch(STACK_LINE);

    // Still working: a good run completes on it.
    const cwd = path.join(project, 'after-hostile');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    const ran = sopIn(cwd, ['run', 'team.yaml', 'after the hostile jobs', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await ran.exited).code, ran.output()).toBe(0);
    const runId = ran.output().trim().split('\n').at(-1) as string;
    expect(runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    // Followed later: the run's progress, its files in the local workspace, its exit code.
    const followed = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--ci']);
    expect((await followed.exited).code, `${followed.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(followed.output()).toContain('status: completed');
    expect(Object.keys(filesUnder(path.join(cwd, 'workspace', 'json-team'))).sort()).toEqual(['plan.json', 'review.json', 'summary.json']);
    const listed = sopIn(cwd, ['runs', '--queue', redis.url, '--json']);
    expect((await listed.exited).code, listed.output()).toBe(0);
    const envelope = JSON.parse(listed.output().slice(listed.output().indexOf('{')));
    // Named by `runId` (and `id`), in `runs`, as local runs are; `depth` counts the queue's jobs by state.
    expect(envelope.result.runs).toContainEqual({ id: runId, runId, sop: 'json-team', state: 'completed', status: 'completed', submitted: expect.any(String) });
    expect(envelope.result).not.toHaveProperty('queued');
    expect(envelope.result.depth).toMatchObject({ completed: expect.any(Number) });
    // A run stopped by its round limit exits 5, as locally; `sop resume --queue` with more rounds continues it, asking no call again.
    const before = server.requests.length;
    const limited = sopIn(cwd, ['run', 'team.yaml', 'one round only', ...MODEL, '--queue', redis.url, '--n-round', '1', '--ci']);
    expect((await limited.exited).code, limited.output()).toBe(5);
    const limitedId = /queued run (\S+) on/.exec(limited.output())?.[1] as string;
    const continued = sopIn(cwd, ['resume', limitedId, '--queue', redis.url, '--n-round', '6', '--ci']);
    expect((await continued.exited).code, `${continued.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(continued.output()).toContain(`queued run ${limitedId} again, to continue from its journal`);
    const asked = server.requests.slice(before).filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body.messages));
    expect(asked).toHaveLength(JSON_TEAM_CALLS);
    expect(new Set(asked).size).toBe(JSON_TEAM_CALLS);

    // `sop eval --queue`: one job per case × model, checked and aggregated as a local eval.
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: "eval one" } }\n  - { name: second, inputs: { idea: "eval two" } }\n');
    const evaluated = sopIn(cwd, ['eval', 'team.yaml', '--dataset', 'cases.yaml', ...MODEL, '--queue', redis.url, '--json']);
    expect((await evaluated.exited).code, `${evaluated.output()}\nworker: ${worker.output()}`).toBe(0);
    const evalEnvelope = JSON.parse(evaluated.output().slice(evaluated.output().indexOf('{')));
    expect(evalEnvelope.result.summary).toEqual([expect.objectContaining({ model: 'openai:gpt-4o-mini', passRate: 1 })]);
    expect(worker.output()).toMatch(/run \S+: completed[\s\S]*run \S+: completed[\s\S]*run \S+: completed/);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    direct.disconnect();
    await queue.close();
  }, 120_000);

  it('SIGTERM on a worker mid-run: it exits 0 and hands the run back; another worker continues it from its journal', async (context) => {
    const first = startWorker();
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const address = readRedisUrl(redis.url);
    const client = await QueueClient.open(address, 'sop');
    const { sop } = await loadResolvedSop(path.join(project, 'team.yaml'));
    const before = server.requests.length;
    // The run's second call is held in flight until the worker is stopping: the run cannot end
    // before the signal, however slowly this process gets to send it.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held: number[] = [];
    let chats = 0;
    fake.hold = (index) => {
      if (++chats !== 2) return undefined;
      held.push(index);
      return released;
    };
    context.onTestFinished(() => {
      fake.hold = undefined;
      release();
    });
    const runId = await client.submit(sop, { inputs: { idea: 'handed back on SIGTERM' }, models: { model: 'openai:gpt-4o-mini' } });
    const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    await until(async () => held.length === 1 && ((await probe.get(`sop:sop:journal:${runId}`)) ?? '').includes('"call-answered"'), () => first.output());
    first.child.kill('SIGTERM');
    // Draining, the worker waits for the call in flight: answered now, it is journaled, not asked again.
    await until(() => first.output().includes('stopping: no new runs'), () => first.output());
    release();
    expect((await first.exited).code, first.output()).toBe(0);
    expect(first.output()).toContain(`run ${runId}: stopped, back in the queue for another worker`);

    const second = startWorker();
    context.onTestFinished(() => void second.child.kill('SIGKILL'));
    const result = await client.follow(runId, () => undefined);
    expect(result.status).toBe('completed');
    expect(second.output()).toContain(`run ${runId}: taken over, continuing from its journal`);
    // The answered calls were not asked again, the one in flight at the stop included.
    const bodies = server.requests.slice(before).filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body.messages));
    expect(new Set(bodies).size).toBe(JSON_TEAM_CALLS);
    expect(bodies).toHaveLength(JSON_TEAM_CALLS);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // Neither worker keeps a copy of the run on its machine once its job ended (removed after the job, before the worker exits).
    for (const worker of [first, second]) expect(readdirSync(path.join(project, `worker-data-${workers.indexOf(worker)}`, 'runs'))).toEqual([]);
    probe.disconnect();
    await client.close();
  }, 120_000);

  it('a Redis URL with credentials is a secret: an unreachable queue fails with exit 18, the password masked', async () => {
    const cwd = path.join(project, 'unreachable');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    const ran = sopIn(cwd, ['run', 'team.yaml', 'an idea', '--queue', 'redis://sop:Sup3rSecretPassw0rd@127.0.0.1:1/0']);
    expect((await ran.exited).code, ran.output()).toBe(18);
    expect(ran.output()).toContain('cannot reach Redis at redis://***:***@127.0.0.1:1/0');
    expect(ran.output()).not.toContain('Sup3rSecretPassw0rd');
    expect(ran.output()).not.toMatch(STACK_LINE);
  }, 60_000);
});
