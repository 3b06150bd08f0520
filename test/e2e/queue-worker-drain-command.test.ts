import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sop as runCli, STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { queueTestServices, until } from './queue-helpers.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { QueueClient, readRedisUrl } from '../../src/queue/index.js';

/**
 * A worker's SIGTERM during a command (a `run:` step, a real child process): the command finishes
 * within --drain-timeout instead of being cut off, the run goes back to the queue and `sop runs
 * --queue` shows it `interrupted` (not BullMQ's `delayed`) until another worker continues it; that
 * worker runs the unfinished round again, its command included (commands are not journaled).
 */
let redis: RedisServer;
let project: string;
const { start, sopIn } = queueTestServices();

/** Writes `s` to STARTED as it starts and, 4 s later, `d` to MARKER: one character a run of it. */
const slowStep = (marker: string, started: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: slow-step, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Done: { description: done }
start: [{ type: Idea, content: go }]
roles:
  builder:
    profile: Builder
    watch: [Idea]
    actions:
      - id: step
        run:
          command: [node, -e, "const fs = require('fs'); fs.appendFileSync(process.argv[2], 's'); setTimeout(() => fs.appendFileSync(process.argv[1], 'd'), 4000)", ${JSON.stringify(marker)}, ${JSON.stringify(started)}]
        output: { type: Done }
stop_when: { type: Done }
`;

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

describe.skipIf(redisProgram.missing)(`sop worker drains a command in flight${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-drain-command-', {}));
  }, 60_000);

  const worker = (name: string, flags: string[]) => {
    const dir = path.join(project, name);
    mkdirSync(dir);
    return sopIn(dir, ['worker', '--redis', redis.url, '--queue', 'cmd', '--lock-ms', '2000', '--no-cache', ...flags]);
  };

  it('SIGTERM during a command: it finishes, the run shows interrupted until a worker takes it, and that worker runs the round again', async (context) => {
    const marker = path.join(project, 'marker');
    const started = path.join(project, 'started');
    writeFileSync(path.join(project, 'slow.yaml'), slowStep(marker, started));
    const first = worker('first', ['--drain-timeout', '120']);
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const client = await QueueClient.open(readRedisUrl(redis.url), 'cmd');
    context.onTestFinished(() => client.close());
    const { sop: resolved } = await loadResolvedSop(path.join(project, 'slow.yaml'));
    const runId = await client.submit(resolved, { inputs: { idea: 'a slow step' }, models: { model: 'openai:gpt-4o-mini' } });
    await until(() => read(started) === 's', () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    // Not cut off: the command wrote its marker before the worker handed the run back.
    expect(read(marker)).toBe('d');
    expect(first.output()).toContain('stopping: no new runs; running ones finish their model calls and commands in flight (up to 120 s, --drain-timeout) and go back to the queue (a second signal quits now)\n');
    expect(first.output()).toContain(`run ${runId}: stopped, back in the queue for another worker`);
    expect(first.output()).not.toContain('drain timeout');
    expect(first.output()).not.toMatch(STACK_LINE);

    // Handed back: `interrupted`, in the table, the JSON and the --status filter alike.
    const queue = ['runs', '--queue', redis.url, '--queue-name', 'cmd'];
    const table = await runCli(queue, { cwd: project });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+slow-step\\s+interrupted\\s+-\\s`, 'm'));
    expect(table.stdout).not.toContain('delayed');
    // The queue's depth says it in the same word (it said BullMQ's `delayed`).
    expect(table.stderr).toMatch(/^queue cmd on .*: 0 waiting, 0 active, 1 interrupted, \d+ completed, \d+ failed$/m);
    expect(table.stderr).not.toContain('delayed');
    expect(table.stderr).toMatch(new RegExp(`interrupted: handed back by a draining worker \\(SIGTERM\\), waiting for a worker to continue it from the journal: ${runId} at \\d{4}-\\d\\d-\\d\\dT`));
    const json = await runCli([...queue, '--json'], { cwd: project });
    const [listed] = (JSON.parse(json.stdout) as { result: { runs: Array<Record<string, unknown>> } }).result.runs;
    expect(listed).toMatchObject({ runId, state: 'interrupted' });
    expect((JSON.parse(json.stdout) as { result: { depth: Record<string, number> } }).result.depth).toMatchObject({ interrupted: 1 });
    expect((JSON.parse(json.stdout) as { result: { depth: Record<string, number> } }).result.depth).not.toHaveProperty('delayed');
    expect(listed?.['status']).toBeUndefined();
    expect(Date.parse(String(listed?.['handedBack']))).not.toBeNaN();
    const filtered = await runCli([...queue, '--status', 'interrupted', '--json'], { cwd: project });
    expect((JSON.parse(filtered.stdout) as { result: { runs: Array<{ runId: string }> } }).result.runs.map((run) => run.runId)).toEqual([runId]);
    const delayed = await runCli([...queue, '--status', 'delayed', '--json'], { cwd: project });
    expect((JSON.parse(delayed.stdout) as { result: { runs: unknown[] } }).result.runs).toEqual([]);

    const approve = await runCli(['resume', runId, '--queue', redis.url, '--queue-name', 'cmd', '--approve'], { cwd: project });
    expect(approve.stderr).toContain(`error USAGE: --approve: queued run ${runId} is not awaiting approval (interrupted)`);
    expect(approve.code).toBe(2);

    // The next worker continues it: the round it stopped in runs again from its start, its command included.
    const second = worker('second', []);
    context.onTestFinished(() => void second.child.kill('SIGKILL'));
    expect((await client.follow(runId, () => undefined)).status).toBe('completed');
    expect(read(started)).toBe('ss');
    expect(read(marker)).toBe('dd');
    const after = await runCli([...queue, '--json'], { cwd: project });
    expect((JSON.parse(after.stdout) as { result: { runs: Array<Record<string, unknown>> } }).result.runs[0]).toMatchObject({ runId, state: 'completed', status: 'completed' });
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 120_000);

  it('a command still running after --drain-timeout is cut off: the worker says so and exits 0', async (context) => {
    const marker = path.join(project, 'cut-marker');
    const started = path.join(project, 'cut-started');
    // 4 s of work, 1 s of drain: cut off before it writes its marker.
    writeFileSync(path.join(project, 'cut.yaml'), slowStep(marker, started));
    const first = worker('cut', ['--drain-timeout', '1']);
    context.onTestFinished(() => void first.child.kill('SIGKILL'));
    await until(() => first.output().includes('worker ready'), () => first.output());
    const client = await QueueClient.open(readRedisUrl(redis.url), 'cmd');
    context.onTestFinished(() => client.close());
    const { sop: resolved } = await loadResolvedSop(path.join(project, 'cut.yaml'));
    const runId = await client.submit(resolved, { inputs: { idea: 'cut off' }, models: { model: 'openai:gpt-4o-mini' } });
    await until(() => read(started) === 's', () => first.output());
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    expect(first.output()).toContain('drain timeout (1 s): cutting off the model calls and commands still in flight of 1 run; the worker that continues it runs those again\n');
    expect(first.output()).toContain(`run ${runId}: stopped, back in the queue for another worker`);
    // Its process group was killed: it never writes its marker.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(read(marker)).toBe('');
  }, 120_000);
});
