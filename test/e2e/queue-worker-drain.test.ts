import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { firstRequests } from '../support/fake-llm/faults.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_CALLS, JSON_TEAM_SOP, queueTestServices, until } from './queue-helpers.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { QueueClient, readRedisUrl } from '../../src/queue/index.js';

/**
 * A worker's SIGTERM drains (what Kubernetes, systemd and CI send on scale-down): on a real
 * redis-server, real `sop worker` processes and a loopback model server, the model call in flight
 * at the signal is let finish and its answer saved, so the worker that continues the run does not
 * ask (and bill) it again; past `--drain-timeout` the call is cut off as before.
 */
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
const { start, sopIn } = queueTestServices();
/** A model that never answers its first request: only the drain's deadline ends that call. */
let hanging: FakeOpenAI;

const chatCalls = (fake: FakeOpenAI, from: number): string[] =>
  fake.requests.slice(from).filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body.messages));

describe.skipIf(redisProgram.missing)(`sop worker drains on SIGTERM${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    // Each call takes 2.5 s: the signal lands while the first one is in flight.
    ({ redis, server, project } = await start('sop-queue-drain-', { latencyMs: 2500 }));
    hanging = await startFakeOpenAI({ faults: firstRequests({ kind: 'hang' }) });
    writeFileSync(path.join(project, 'team.yaml'), JSON_TEAM_SOP);
  }, 60_000);
  afterAll(async () => hanging?.close());

  /** A worker of queue `queue` in a folder of its own, its model server at `baseUrl`. */
  const worker = (name: string, queue: string, flags: string[], baseUrl = server.url) => {
    const dir = path.join(project, name);
    mkdirSync(dir);
    return sopIn(dir, ['worker', '--redis', redis.url, '--queue', queue, '--lock-ms', '2000', '--no-cache', ...flags], { OPENAI_BASE_URL: baseUrl });
  };

  it('SIGTERM during a model call: the call finishes and is saved, the worker exits 0 and hands the run back; the next worker does not ask that call again', async (context) => {
    const first = worker('drain-1', 'drain', ['--drain-timeout', '120']);
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const client = await QueueClient.open(readRedisUrl(redis.url), 'drain');
    context.onTestFinished(() => client.close());
    const { sop } = await loadResolvedSop(path.join(project, 'team.yaml'));
    const before = server.requests.length;
    const runId = await client.submit(sop, { inputs: { idea: 'drained on SIGTERM' }, models: { model: 'openai:gpt-4o-mini' } });
    await until(() => chatCalls(server, before).length === 1, () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    expect(first.output()).toContain('stopping: no new runs; running ones finish their model calls and commands in flight (up to 120 s, --drain-timeout) and go back to the queue (a second signal quits now)\n');
    expect(first.output()).toContain(`run ${runId}: stopped, back in the queue for another worker`);
    expect(first.output()).toContain('worker stopped: 0 jobs completed, 0 failed, 1 handed back\n');
    expect(first.output()).not.toContain('drain timeout');
    expect(first.output()).not.toMatch(STACK_LINE);
    // The call in flight at the signal was answered and its answer is in the run's journal; no other call started.
    expect(chatCalls(server, before)).toHaveLength(1);
    const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
    context.onTestFinished(() => void probe.disconnect());
    expect((await probe.get(`sop:drain:journal:${runId}`)) ?? '').toContain('"call-answered"');

    const second = worker('drain-2', 'drain', []);
    context.onTestFinished(() => void second.child.kill('SIGKILL'));
    const result = await client.follow(runId, () => undefined);
    expect(result.status).toBe('completed');
    expect(second.output()).toContain(`run ${runId}: taken over, continuing from its journal`);
    // Every call of the run asked once: the drained one was given back from the journal.
    const bodies = chatCalls(server, before);
    expect(new Set(bodies).size).toBe(JSON_TEAM_CALLS);
    expect(bodies).toHaveLength(JSON_TEAM_CALLS);
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 120_000);

  it('a second SIGTERM during the drain quits at once (exit 130); the run is taken over once its lock expires and completes', async (context) => {
    const first = worker('quit-1', 'quit', []);
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const client = await QueueClient.open(readRedisUrl(redis.url), 'quit');
    context.onTestFinished(() => client.close());
    const { sop } = await loadResolvedSop(path.join(project, 'team.yaml'));
    const before = server.requests.length;
    const runId = await client.submit(sop, { inputs: { idea: 'quit during the drain' }, models: { model: 'openai:gpt-4o-mini' } });
    await until(() => chatCalls(server, before).length === 1, () => first.output());
    first.child.kill('SIGTERM');
    await until(() => first.output().includes('stopping:'), () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(130);
    expect(first.output()).toContain('quitting now: runs not yet handed back are taken over by another worker once their lock expires (--lock-ms 2000)\n');
    expect(first.output()).not.toMatch(STACK_LINE);

    const second = worker('quit-2', 'quit', []);
    context.onTestFinished(() => void second.child.kill('SIGKILL'));
    expect((await client.follow(runId, () => undefined)).status).toBe('completed');
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 120_000);

  it('a call still in flight after --drain-timeout is cut off: the worker says so, exits 0, and the next worker asks that call again', async (context) => {
    const first = worker('cut-1', 'cut', ['--drain-timeout', '1'], hanging.url);
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const client = await QueueClient.open(readRedisUrl(redis.url), 'cut');
    context.onTestFinished(() => client.close());
    const { sop } = await loadResolvedSop(path.join(project, 'team.yaml'));
    const runId = await client.submit(sop, { inputs: { idea: 'cut off after the drain timeout' }, models: { model: 'openai:gpt-4o-mini' } });
    await until(() => chatCalls(hanging, 0).length === 1, () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    expect(first.output()).toContain('drain timeout (1 s): cutting off the model calls and commands still in flight of 1 run; the worker that continues it runs those again\n');
    expect(first.output()).toContain(`run ${runId}: stopped, back in the queue for another worker`);
    expect(first.output()).not.toMatch(STACK_LINE);

    const second = worker('cut-2', 'cut', [], hanging.url);
    context.onTestFinished(() => void second.child.kill('SIGKILL'));
    const result = await client.follow(runId, () => undefined);
    expect(result.status).toBe('completed');
    // The cut-off call was asked again (it was never answered), the others once.
    const bodies = chatCalls(hanging, 0);
    expect(new Set(bodies).size).toBe(JSON_TEAM_CALLS);
    expect(bodies).toHaveLength(JSON_TEAM_CALLS + 1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 120_000);
});
