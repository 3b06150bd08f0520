import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * The commands a queued run's hints give are typed the way the command printing them was started,
 * as a local run's are (test/cli/hint-command-word.test.ts): the queue client's own hints
 * (`sop runs --queue`, `sop resume --queue`, a run Redis lost), and a worker's hint for a run it
 * failed, which its submitter prints with its own word and the worker logs with the worker's.
 * Here no `sop` is on PATH: a submitter started by `npx sop` is told `npx sop ...`, one started as
 * `node PATH/bin/sop.js` from outside sop's project `node PATH/bin/sop.js ...`, and so is the worker.
 */
let redis: RedisServer;
let project: string;
let worker: Spawned;
const { start, sopIn } = queueTestServices();

/** A user's shell without sop on PATH (its commands typed `node PATH/bin/sop.js`). */
const NO_SOP_ON_PATH = { PATH: path.dirname(process.execPath) };
/** The same shell running `npx sop` (npm sets npm_command). */
const THROUGH_NPX = { ...NO_SOP_ON_PATH, npm_command: 'exec' };
const NODE_SOP = `node ${binPath}`;
const KEY = '0'.repeat(64);
/** The JSON team with an input named like a secret: it travels sealed with SOP_QUEUE_KEY. */
const SECRET_SOP = JSON_TEAM_SOP.replace('inputs.idea }}"\n', 'inputs.idea }}"\ninputs:\n  idea: { type: string }\n  api_key: { type: string, default: none }\n');

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] as string;

function submitter(name: string): string {
  const cwd = path.join(project, name);
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, 'team.yaml'), SECRET_SOP);
  return cwd;
}

describe.skipIf(redisProgram.missing)(`queued runs' hints are typed the way sop was started${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-word-', { maxRequests: 200 }));
    const workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    // No SOP_QUEUE_KEY: a run with a secret input fails on it (QUEUE_KEY_MISMATCH), with a hint to resume it.
    worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache'], NO_SOP_ON_PATH);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  }, 60_000);

  it('a run the worker failed: the submitter prints the resume command with its word, the worker logs it with its own', async () => {
    const cwd = submitter('failed');
    const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', '--input', 'api_key=abc', ...MODEL, '--queue', redis.url, '--ci'], { ...THROUGH_NPX, SOP_QUEUE_KEY: KEY });
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(18);
    const runId = runIdOf(run.output());
    const fix = 'give this worker the SOP_QUEUE_KEY the run was submitted with (the same on the submitters and every worker), then continue the run:';
    expect(run.output()).toContain(`hint: ${fix} npx sop resume ${runId} --queue ${redis.url}\n`);
    expect(worker.output()).toContain(`  hint: ${fix} ${NODE_SOP} resume ${runId} --queue ${redis.url}\n`);
    expect(run.output()).not.toMatch(STACK_LINE);
  }, 90_000);

  it('a round-limited run: its header, its hint and `sop runs --queue` give `node PATH/bin/sop.js ...`', async () => {
    const cwd = submitter('round-limit');
    const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', ...MODEL, '--n-round', '1', '--queue', redis.url, '--ci'], NO_SOP_ON_PATH);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(5);
    const runId = runIdOf(run.output());
    const queue = `--queue ${redis.url}`;
    expect(run.output()).toContain(`\`${NODE_SOP} resume ${runId} ${queue}\` follows it again, \`${NODE_SOP} runs ${queue}\` lists queued runs)\n`);
    expect(run.output()).toContain(`hint: resume with more rounds: ${NODE_SOP} resume ${runId} ${queue} --n-round 7`);

    // A local resume of its brought-home copy: told to go through the queue.
    const local = sopIn(cwd, ['resume', runId, '--n-round', '3', '--ci'], NO_SOP_ON_PATH);
    expect((await local.exited).code, local.output()).toBe(2);
    expect(local.output()).toContain(`hint: continue it through the queue: ${NODE_SOP} resume ${runId} ${queue} (\`${NODE_SOP} runs ${queue}\` lists queued runs)`);
  }, 90_000);

  it('`sop resume --queue` of a run the queue does not have: the hint lists its runs and submits again with `node PATH/bin/sop.js`', async () => {
    const cwd = submitter('missing');
    const resumed = sopIn(cwd, ['resume', '20261206-000000-nosuch', '--queue', redis.url], NO_SOP_ON_PATH);
    expect((await resumed.exited).code, resumed.output()).toBe(18);
    expect(resumed.output()).toContain(`hint: list its runs with \`${NODE_SOP} runs --queue ${redis.url}\`; submit it again (\`${NODE_SOP} run FILE --queue URL\`), and have Redis persist`);
    expect(resumed.output()).not.toMatch(/`sop /);
  }, 60_000);
});
