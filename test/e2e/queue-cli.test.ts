import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import type { FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { startTcpProxy } from '../support/services/tcp-proxy.js';
import { filesUnder } from './providers-helpers.js';
import { freePort, JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * What a user of `sop run --queue` meets beyond the happy path, on a real redis-server and real
 * `sop worker` processes: a scripted model travelling with the run, flags that cannot travel,
 * CI reports written locally, a paused run approved through the queue, Ctrl-C while following,
 * Redis lost and back, and the worker's metrics scraped from its endpoint.
 */
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
const { start, sopIn } = queueTestServices();

/** The JSON team with a human gate on the plan (on when `--input review=true`). */
const GATED_SOP = JSON_TEAM_SOP.replace('inputs.idea }}"\n', 'inputs.idea }}"\ninputs:\n  idea: { type: string }\n  review: { type: boolean, default: false }\n').replace(
  '        artifacts: [{ path: plan.json }]\n',
  '        artifacts: [{ path: plan.json }]\n        gates:\n          - name: approve-plan\n            human: { prompt: Check the plan., enabled: inputs.review }\n            on_fail: { revise: 1 }\n',
);

const SCRIPT = `apiVersion: sop-script/v1
strict: true
answers:
  - { role: planner, action: plan, output: { title: scripted plan, steps: [one, two] } }
  - { role: planner, action: plan, gate: approve-plan, human: approve }
  - { role: reviewer, action: review, output: { verdict: scripted verdict } }
  - { role: lead, action: summarize, output: { summary: scripted summary } }
`;

/** A folder with the SOPs (and the script) a submitter runs from; the workers run elsewhere, sharing nothing. */
function submitter(name: string): string {
  const cwd = path.join(project, name);
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
  writeFileSync(path.join(cwd, 'gated.yaml'), GATED_SOP);
  writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
  return cwd;
}

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] as string;

describe.skipIf(redisProgram.missing)(`sop run --queue, as a user meets it${redisProgram.skipNote}`, () => {
  let worker: Spawned;
  let workerDir: string;
  let metricsPort: number;

  beforeAll(async () => {
    // Slow enough that a run is in the middle of a call when the test acts on it.
    ({ redis, server, project } = await start('sop-queue-cli-', { latencyMs: 400, maxRequests: 2000 }));
    workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    metricsPort = await freePort();
    worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache', '--concurrency', '2', '--lock-ms', '2000', '--metrics-port', String(metricsPort)]);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  }, 60_000);

  it('flags that cannot travel to a worker are refused with exit 2, each saying why', async () => {
    const cwd = submitter('refused');
    const cases: Array<[string[], string]> = [
      [['--record', 'x.cassette'], '--record cannot be used with --queue: the cassette would be a file on the worker'],
      [['--replay', 'x.cassette'], '--replay cannot be used with --queue: the cassette is a file on this machine'],
      [['--cache-dir', 'cache'], '--cache-dir cannot be used with --queue: the response cache is the worker\'s own'],
      [['--durability', 'machine'], '--durability cannot be used with --queue'],
      [['--inc', '--workspace', 'app'], '--inc cannot be used with --queue: incremental mode works on the project in --workspace on this machine'],
      [['--metrics-port', '9999'], '--metrics-port cannot be used with --queue: the run\'s metrics are the worker\'s'],
    ];
    const runs = cases.map(([flags]) => sopIn(cwd, ['run', 'team.yaml', 'an idea', '--queue', redis.url, ...flags]));
    for (const [index, [, message]] of cases.entries()) {
      const ran = runs[index] as Spawned;
      expect((await ran.exited).code, ran.output()).toBe(2);
      expect(ran.output()).toContain(message);
      expect(ran.output()).not.toMatch(STACK_LINE);
    }
    // --input: the queued job holds the run's inputs, secrets included, and gives them to the resumed run.
    const resumes = [['--edit', 'plan.json'], ['--allow-changed-sop'], ['--input', 'token=x']].map((flags) => sopIn(cwd, ['resume', '20260101-000000-abcdef', '--queue', redis.url, ...flags]));
    for (const [index, flag] of ['--edit', '--allow-changed-sop', '--input'].entries()) {
      const ran = resumes[index] as Spawned;
      expect((await ran.exited).code, ran.output()).toBe(2);
      expect(ran.output()).toContain(`${flag} cannot be used with --queue`);
    }
  }, 60_000);

  it('--model script:FILE travels with the run: the worker, without the file, answers from it; --junit and --events are written locally', async () => {
    const cwd = submitter('scripted');
    const before = server.requests.length;
    const ran = sopIn(cwd, ['run', 'gated.yaml', 'a scripted idea', '--input', 'review=true', '--model', 'script:answers.yaml', '--queue', redis.url, '--ci', '--junit', 'junit.xml', '--events', 'events.ndjson']);
    expect((await ran.exited).code, `${ran.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(server.requests.length).toBe(before);
    const files = filesUnder(path.join(cwd, 'workspace', 'json-team'));
    expect(JSON.parse(files['plan.json'] as string)).toEqual({ title: 'scripted plan', steps: ['one', 'two'] });
    expect(JSON.parse(files['summary.json'] as string)).toEqual({ summary: 'scripted summary' });
    const events = readFileSync(path.join(cwd, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toContain('run-end');
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval-decided', gate: 'approve-plan', decision: 'approve', by: 'script' }));
    expect(readFileSync(path.join(cwd, 'junit.xml'), 'utf8')).toMatch(/<testcase[^>]*name="[^"]*plan/);
    // A broken script fails here, before anything is queued.
    writeFileSync(path.join(cwd, 'broken.yaml'), 'apiVersion: sop-script/v1\nanswers: 3\n');
    const broken = sopIn(cwd, ['run', 'team.yaml', 'x', '--model', 'script:broken.yaml', '--queue', redis.url]);
    expect((await broken.exited).code).not.toBe(0);
    expect(broken.output()).not.toContain('queued run');
    expect(broken.output()).not.toMatch(STACK_LINE);
  }, 90_000);

  it('sop eval --queue --model script:FILE: the script travels with every case; the server is never asked', async () => {
    const cwd = submitter('scripted-eval');
    writeFileSync(path.join(cwd, 'ungated.yaml'), SCRIPT.replace(/^.*gate: approve-plan.*\n/m, ''));
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: "one" } }\n  - { name: second, inputs: { idea: "two" } }\n');
    const before = server.requests.length;
    const evaluated = sopIn(cwd, ['eval', 'team.yaml', '--dataset', 'cases.yaml', '--model', 'script:ungated.yaml', '--queue', redis.url, '--json']);
    expect((await evaluated.exited).code, `${evaluated.output()}\nworker: ${worker.output()}`).toBe(0);
    const envelope = JSON.parse(evaluated.output().slice(evaluated.output().indexOf('{')));
    expect(envelope.result.summary).toEqual([expect.objectContaining({ model: 'script:ungated.yaml', passRate: 1 })]);
    expect(server.requests.length).toBe(before);
  }, 90_000);

  it('a script the SOP names (model: script:FILE) travels too, for run and eval; the worker never reads its own file of that name', async () => {
    const cwd = submitter('sop-scripted');
    writeFileSync(path.join(cwd, 'ungated.yaml'), SCRIPT.replace(/^.*gate: approve-plan.*\n/m, ''));
    writeFileSync(path.join(cwd, 'named.yaml'), JSON_TEAM_SOP.replace('settings: { max_concurrency: 1, n_round: 6 }', 'settings: { max_concurrency: 1, n_round: 6, model: "script:ungated.yaml" }'));
    // The worker's folder has a file of that name: a job must never make the worker read it.
    writeFileSync(path.join(workerDir, 'ungated.yaml'), 'apiVersion: sop-script/v1\nanswers: WORKER-SECRET-LINE\n');
    const before = server.requests.length;
    const ran = sopIn(cwd, ['run', 'named.yaml', 'a scripted idea', '--queue', redis.url, '--ci']);
    expect((await ran.exited).code, `${ran.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(JSON.parse(filesUnder(path.join(cwd, 'workspace', 'json-team'))['summary.json'] as string)).toEqual({ summary: 'scripted summary' });
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: "one" } }\n');
    const evaluated = sopIn(cwd, ['eval', 'named.yaml', '--dataset', 'cases.yaml', '--queue', redis.url, '--json']);
    expect((await evaluated.exited).code, `${evaluated.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(JSON.parse(evaluated.output().slice(evaluated.output().indexOf('{'))).result.summary).toEqual([expect.objectContaining({ passRate: 1 })]);
    expect(server.requests.length).toBe(before);
    expect(`${ran.output()}${evaluated.output()}${worker.output()}`).not.toContain('WORKER-SECRET-LINE');
    // A broken script the SOP names fails here, before anything is queued.
    writeFileSync(path.join(cwd, 'ungated.yaml'), 'apiVersion: sop-script/v1\nanswers: 3\n');
    const broken = sopIn(cwd, ['run', 'named.yaml', 'x', '--queue', redis.url]);
    expect((await broken.exited).code).toBe(2);
    expect(broken.output()).toContain('ungated.yaml:2:10');
    expect(broken.output()).not.toContain('queued run');
  }, 90_000);

  it('a paused queued run: the hint names the queue (credentials masked) and only --approve/--reject; sop resume --queue --approve finishes it', async () => {
    const cwd = submitter('gated');
    const gates = path.join(project, 'gates-worker');
    mkdirSync(gates);
    const gatesWorker = sopIn(gates, ['worker', '--redis', redis.url, '--queue', 'gates', '--no-cache', '--lock-ms', '2000']);
    await until(() => gatesWorker.output().includes('worker ready'), () => gatesWorker.output());
    // Redis's default user has no password: any password is accepted, and must never be shown.
    const secretUrl = redis.url.replace('redis://', 'redis://default:Sup3rSecretPassw0rd@');
    const shown = redis.url.replace('redis://', 'redis://***:***@');
    const paused = sopIn(cwd, ['run', 'gated.yaml', 'a gated idea', '--input', 'review=true', ...MODEL, '--queue', secretUrl, '--queue-name', 'gates', '--ci']);
    expect((await paused.exited).code, `${paused.output()}\nworker: ${gatesWorker.output()}`).toBe(8);
    const runId = runIdOf(paused.output());
    expect(paused.output()).toContain('awaiting approval: gate approve-plan');
    expect(paused.output()).toContain(`sop resume ${runId} --queue ${shown} --queue-name gates --approve`);
    expect(paused.output()).toContain(`sop resume ${runId} --queue ${shown} --queue-name gates --reject "what to change"`);
    expect(paused.output()).not.toContain('--edit');
    expect(paused.output()).not.toContain('Sup3rSecretPassw0rd');
    const undecided = sopIn(cwd, ['resume', runId, '--queue', secretUrl, '--queue-name', 'gates']);
    expect((await undecided.exited).code).toBe(2);
    expect(undecided.output()).toContain(`queued run ${runId} awaits approval`);
    const approved = sopIn(cwd, ['resume', runId, '--queue', secretUrl, '--queue-name', 'gates', '--approve', '--ci']);
    expect((await approved.exited).code, `${approved.output()}\nworker: ${gatesWorker.output()}`).toBe(0);
    expect(approved.output()).toContain('status: completed');
    expect(Object.keys(filesUnder(path.join(cwd, 'workspace', 'json-team'))).sort()).toEqual(['plan.json', 'review.json', 'summary.json']);
    const journal = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"approval-decided"[^\n]*"decision":"approve"/);
    // Approving again: the run awaits nothing now.
    const again = sopIn(cwd, ['resume', runId, '--queue', secretUrl, '--queue-name', 'gates', '--approve']);
    expect((await again.exited).code).toBe(2);
    expect(again.output()).toContain('is not awaiting approval');
    gatesWorker.child.kill('SIGTERM');
    expect((await gatesWorker.exited).code).toBe(0);
  }, 120_000);

  it('Ctrl-C while following exits 130 and says the run goes on on its worker; following it again brings it home', async () => {
    const cwd = submitter('interrupted');
    const following = sopIn(cwd, ['run', 'team.yaml', 'followed then left', ...MODEL, '--queue', redis.url, '--ci']);
    await until(() => following.output().includes('queued run') && worker.output().includes(`run ${runIdOf(following.output())}: started`), () => `${following.output()}\nworker: ${worker.output()}`);
    const runId = runIdOf(following.output());
    following.child.kill('SIGINT');
    expect((await following.exited).code, following.output()).toBe(130);
    expect(following.output()).toContain(`stopped following run ${runId}; it goes on on its worker`);
    expect(following.output()).toContain(`sop resume ${runId} --queue ${redis.url}`);
    expect(following.output()).not.toMatch(STACK_LINE);
    const again = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--ci']);
    expect((await again.exited).code, `${again.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(Object.keys(filesUnder(path.join(cwd, 'workspace', 'json-team'))).sort()).toEqual(['plan.json', 'review.json', 'summary.json']);
  }, 90_000);

  it('Ctrl-C the moment the run is queued, before following has begun, is the same stop: exit 130, the run goes on and is brought home by a resume', async () => {
    const cwd = submitter('interrupted-early');
    const following = sopIn(cwd, ['run', 'team.yaml', 'left at once', ...MODEL, '--queue', redis.url, '--ci']);
    // Sent as the line arrives: the follower is then still loading what it follows with (the signal
    // ended the process by default then, exit code null).
    const queued = new Promise<void>((resolve) => {
      const onData = (): void => {
        if (!following.output().includes('queued run')) return;
        following.child.stderr?.off('data', onData);
        following.child.kill('SIGINT');
        resolve();
      };
      following.child.stderr?.on('data', onData);
    });
    await queued;
    const runId = runIdOf(following.output());
    expect((await following.exited).code, following.output()).toBe(130);
    expect(following.output()).toContain(`stopped following run ${runId}; it goes on on its worker`);
    expect(following.output()).not.toMatch(STACK_LINE);
    const again = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--ci']);
    expect((await again.exited).code, `${again.output()}\nworker: ${worker.output()}`).toBe(0);
  }, 90_000);

  it('Redis lost while following: the submitter and the worker each say so once and when it is back; the run completes', async () => {
    const cwd = submitter('redis-lost');
    const following = sopIn(cwd, ['run', 'team.yaml', 'through a Redis restart', ...MODEL, '--queue', redis.url, '--ci']);
    await until(() => following.output().includes('queued run') && worker.output().includes(`run ${runIdOf(following.output())}: started`), () => `${following.output()}\nworker: ${worker.output()}`);
    await redis.restart();
    expect((await following.exited).code, `${following.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(following.output().match(/lost the connection to Redis/g)).toHaveLength(1);
    expect(following.output()).toContain('Redis is back');
    await until(() => worker.output().includes('is back'), () => worker.output());
    expect(worker.output().match(/warning: lost Redis at/g)).toHaveLength(1);
    expect(worker.output()).not.toMatch(STACK_LINE);
  }, 90_000);

  it('Redis stopped just as the follower opens its event stream: said once and when it is back, never an internal error; the run completes', async () => {
    const cwd = submitter('redis-lost-at-stream');
    // The submitter's first connection is its client's, its second the queue's event stream: Redis
    // is stopped while that one is held at its opening, so it meets a server that has gone.
    let stopped = false;
    const proxy = await startTcpProxy(redis.port, async (n) => {
      if (n !== 2) return;
      await redis.stop();
      stopped = true;
    });
    try {
      const following = sopIn(cwd, ['run', 'team.yaml', 'through a stop at the stream', ...MODEL, '--queue', `redis://127.0.0.1:${proxy.port}`, '--ci']);
      await until(() => stopped && (following.output().includes('lost the connection to Redis') || following.child.exitCode !== null), () => `${following.output()}\nworker: ${worker.output()}`);
      await redis.start();
      stopped = false;
      expect((await following.exited).code, `${following.output()}\nworker: ${worker.output()}`).toBe(0);
      expect(following.output()).not.toContain('internal error');
      expect(following.output().match(/lost the connection to Redis/g)).toHaveLength(1);
      expect(following.output()).toContain('Redis is back');
      expect(Object.keys(filesUnder(path.join(cwd, 'workspace', 'json-team'))).sort()).toEqual(['plan.json', 'review.json', 'summary.json']);
    } finally {
      if (stopped) await redis.start();
      await proxy.close();
    }
  }, 90_000);

  it('Ctrl-C of sop eval --queue says what it does: the runs on the workers end and come home; the resume it names runs the cases left on this machine', async () => {
    const cwd = submitter('eval-interrupted');
    writeFileSync(path.join(cwd, 'cases.yaml'), `apiVersion: sop-eval/v1\ncases:\n${['a', 'b', 'c', 'd'].map((name) => `  - { name: ${name}, inputs: { idea: "idea ${name}" } }\n`).join('')}`);
    const evaluated = sopIn(cwd, ['eval', 'team.yaml', '--dataset', 'cases.yaml', ...MODEL, '--queue', redis.url, '--concurrency', '1']);
    await until(() => /run (\S+): started/.test(worker.output()) && evaluated.output().includes('cases × 1 model'), () => `${evaluated.output()}\nworker: ${worker.output()}`);
    evaluated.child.kill('SIGINT');
    expect((await evaluated.exited).code, evaluated.output()).toBe(130);
    // The eval's own id, as its last hint names it (`ID` only before its record is made).
    const evalId = /hint: continue with: sop eval --resume (\S+)/.exec(evaluated.output())?.[1];
    expect(evaluated.output()).toContain(`interrupting: queueing no more cases, waiting for the runs on the workers to end and saving the eval's record; \`sop eval --resume ${evalId}\` continues it on this machine`);
    expect(evaluated.output()).toMatch(/hint: continue with: sop eval --resume \S+ \(the cases left run on this machine: a queued eval is not resumed through the queue yet\)/);
    expect(evaluated.output()).not.toMatch(STACK_LINE);
  }, 90_000);

  it('sop worker --metrics-port serves the queue\'s metrics: jobs started and ended, processing duration, depth', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await response.text();
    expect(text).toMatch(/^sop_queue_jobs_started_total\{[^}]*messaging_destination_name="sop"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^sop_queue_jobs_ended_total\{[^}]*sop_queue_job_outcome="completed"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^messaging_process_duration_count\{[^}]*messaging_operation_name="process"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^sop_queue_depth\{[^}]*sop_queue_job_state="completed"[^}]*\} [1-9]/m);
    // Handed-back runs in the docs' word; BullMQ's `delayed` kept beside it, deprecated, with the same count.
    const interrupted = /^sop_queue_depth\{[^}]*sop_queue_job_state="interrupted"[^}]*\} (\d+)/m.exec(text)?.[1];
    const delayed = /^sop_queue_depth\{[^}]*sop_queue_job_state="delayed"[^}]*\} (\d+)/m.exec(text)?.[1];
    expect([interrupted, delayed]).toEqual([expect.stringMatching(/^\d+$/), interrupted]);
    // The runs' own metrics too, as `sop run --metrics-port` serves them.
    expect(text).toMatch(/^sop_runs_total\{[^}]*\} [1-9]/m);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
  }, 60_000);
});
