import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * What a queued run prints names nothing on its worker's machine (the worker's run folders are
 * temporary, on another machine): its header names the local workspace its files come to and the
 * commands that reach the run (`sop resume RUN --queue URL`, `sop runs --queue URL`); its hints
 * name only what works through the queue. On a real redis-server and a real `sop worker` whose
 * data folder (`--data-dir`) the test knows, so no path of it may show.
 */
let redis: RedisServer;
let project: string;
let workerData: string;
let worker: Spawned;
const { start, sopIn } = queueTestServices();

/** The JSON team with the planner watching a type nobody publishes: the run stalls at once. */
const STALLED_SOP = JSON_TEAM_SOP.replace('watch: [Idea]', 'watch: [Ideas]').replace('  Idea: {}\n', '  Idea: {}\n  Ideas: {}\n');

function submitter(name: string): string {
  const cwd = path.join(project, name);
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
  writeFileSync(path.join(cwd, 'stalled.yaml'), STALLED_SOP);
  return cwd;
}

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] as string;

/** Every line of a `--log-format json` command's output as JSON (a line that is not fails, naming it). */
function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .trim()
    .split('\n')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}\n--- the whole output:\n${output}`);
      }
    });
}

/** No path of the worker's machine: its data folder, or a default one in the temp folder. */
function expectNoWorkerPath(output: string): void {
  expect(output).not.toContain(workerData);
  expect(output).not.toContain(path.join(os.tmpdir(), 'sop-worker-'));
  expect(output).not.toMatch(/bundles\/[0-9a-f]{64}/);
}

/** The copy of a queued run brought home names the submitter's SOP and workspace: in each of its files, and in what `sop report` and `sop runs --json` make of it. */
async function expectHomeCopy(cwd: string, runId: string): Promise<void> {
  const runDir = path.join(cwd, '.sop', 'runs', runId);
  for (const file of readdirSync(runDir)) expectNoWorkerPath(readFileSync(path.join(runDir, file), 'utf8'));
  const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n');
  const workspace = path.join(cwd, 'workspace', 'json-team');
  expect(JSON.parse(journal[0] as string)).toMatchObject({ type: 'run-info', sop: { file: 'team.yaml' }, workspace });
  expect(JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'))).toMatchObject({ sop: { file: 'team.yaml' }, workspace });
  const report = sopIn(cwd, ['report', runId]);
  expect((await report.exited).code, report.output()).toBe(0);
  expectNoWorkerPath(readFileSync(path.join(runDir, 'report.html'), 'utf8'));
  const listed = sopIn(cwd, ['runs', '--json']);
  expect((await listed.exited).code, listed.output()).toBe(0);
  expect(listed.output()).toContain(runId);
  expectNoWorkerPath(listed.output());
}

describe.skipIf(redisProgram.missing)(`a queued run's header and hints name what its user can use${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-hints-', { maxRequests: 200 }));
    workerData = path.join(project, 'worker-data');
    const workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache', '--data-dir', workerData]);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  }, 60_000);

  it('the workspace header names the local workspace and how to follow the run again; the round limit\'s hint, and a local resume of its copy, resume through the queue', async () => {
    const cwd = submitter('round-limit');
    const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', ...MODEL, '--n-round', '1', '--queue', redis.url, '--ci']);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(5);
    const output = run.output();
    const runId = runIdOf(output);
    const queue = `--queue ${redis.url}`;
    expect(output).toContain(
      `workspace: ${path.join(cwd, 'workspace', 'json-team')} (its files come here when the run ends; it runs on a worker: \`sop resume ${runId} ${queue}\` follows it again, \`sop runs ${queue}\` lists queued runs)\n`,
    );
    expect(output).toContain(`hint: resume with more rounds: sop resume ${runId} ${queue} --n-round 7`);
    expectNoWorkerPath(output);

    // Its record here is a copy naming the worker's SOP and workspace: a local resume says to go through the queue.
    const local = sopIn(cwd, ['resume', runId, '--n-round', '3', '--ci']);
    expect((await local.exited).code, local.output()).toBe(2);
    expect(local.output()).toContain(`error RUN_NOT_RESUMABLE: run ${runId} ran on a queue's worker`);
    expect(local.output()).toContain(`hint: continue it through the queue: sop resume ${runId} ${queue} (\`sop runs ${queue}\` lists queued runs)`);
    expectNoWorkerPath(local.output());
  }, 90_000);

  it('its brought-home copy names the SOP as submitted and the local workspace, none of the worker\'s folders; a resume through the queue still continues it', async () => {
    const cwd = submitter('home-copy');
    const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', ...MODEL, '--n-round', '1', '--queue', redis.url, '--ci']);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(5);
    const runId = runIdOf(run.output());
    await expectHomeCopy(cwd, runId);

    // The worker continues the run from its journal in Redis; the copy brought home then is the whole run's.
    const resumed = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--n-round', '7', '--json']);
    expect((await resumed.exited).code, `${resumed.output()}\nworker: ${worker.output()}`).toBe(0);
    expect(JSON.parse(resumed.stdout())).toMatchObject({ result: { status: 'completed', rounds: 3, sop: { file: 'team.yaml' } } });
    expectNoWorkerPath(resumed.output());
    await expectHomeCopy(cwd, runId);
    const journal = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"run-closed"[^\n]*"status":"completed"/);
  }, 90_000);

  it('a strict script\'s miss says to submit a new run, not a local --allow-changed-sop (a queued run\'s script is its bundle\'s)', async () => {
    const cwd = submitter('script-miss');
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nstrict: true\nanswers: []\n');
    const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', '--model', 'script:answers.yaml', '--queue', redis.url, '--ci']);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(10);
    expect(run.output()).toMatch(/; then submit a new run \(a queued run's script is fixed when it is submitted\)$/m);
    expect(run.output()).not.toContain('--allow-changed-sop');
    // The script as the submitter named it, not the worker's bundle copy.
    expect(run.output()).toContain('error SCRIPT_MISS: the strict script answers.yaml has no answer for');
    expectNoWorkerPath(run.output());
  }, 90_000);

  it('a stalled run\'s hint says to submit a new run, not a local --allow-changed-sop; with --log-format json, its run-start and run-end lines too', async () => {
    const cwd = submitter('stalled');
    const text = sopIn(cwd, ['run', 'stalled.yaml', 'a todo app', ...MODEL, '--queue', redis.url, '--ci']);
    expect((await text.exited).code, `${text.output()}\nworker: ${worker.output()}`).toBe(4);
    expect(text.output()).toMatch(/^hint: no role acted on Idea from user \(m0001\): .*; fix the SOP and submit a new run \(a queued run's SOP is fixed when it is submitted\)$/m);
    expect(text.output()).not.toContain('--allow-changed-sop');
    expectNoWorkerPath(text.output());

    // A queue whose worker starts once the follower listens: every event is followed.
    const json = sopIn(cwd, ['run', 'stalled.yaml', 'a todo app', ...MODEL, '--queue', redis.url, '--queue-name', 'later', '--log-format', 'json']);
    await until(() => json.output().includes('queued run'), () => json.output());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const laterDir = path.join(project, 'later-worker');
    mkdirSync(laterDir);
    const later = sopIn(laterDir, ['worker', '--redis', redis.url, '--queue', 'later', '--no-cache', '--data-dir', workerData]);
    expect((await json.exited).code, `${json.output()}\nworker: ${later.output()}`).toBe(4);
    const lines = jsonLines(json.output());
    expect(lines.find((line) => line['event'] === 'run-start')).toMatchObject({ file: 'stalled.yaml', workspace: path.join(cwd, 'workspace', 'json-team') });
    expect(lines.at(-1)).toMatchObject({ event: 'run-end', status: 'stalled', hint: expect.stringContaining('fix the SOP and submit a new run') });
    expectNoWorkerPath(json.output());
    later.child.kill('SIGTERM');
  }, 90_000);

  it('--log-format json, following a run whose events were over before it listened: its outcome is a JSON line all the same', async () => {
    const cwd = submitter('ended');
    const done = sopIn(cwd, ['run', 'team.yaml', 'a todo app', ...MODEL, '--queue', redis.url, '--ci']);
    expect((await done.exited).code, `${done.output()}\nworker: ${worker.output()}`).toBe(0);
    const followed = sopIn(cwd, ['resume', runIdOf(done.output()), '--queue', redis.url, '--log-format', 'json']);
    expect((await followed.exited).code, followed.output()).toBe(0);
    expect(jsonLines(followed.output()).at(-1)).toMatchObject({ event: 'note', level: 'info', msg: 'status: completed (exit 0)' });
  }, 90_000);
});
