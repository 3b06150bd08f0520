import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * What `sop worker` says when it stops, on a real redis-server and a real worker: a job completes
 * whenever its run ends, so "3 completed" read as if every run had succeeded. The summary says how
 * the runs ended, by the run statuses `sop runs` shows; `--json` gives them as `runs`.
 */
let redis: RedisServer;
let project: string;
const { start, sopIn } = queueTestServices();

/** The JSON team with a human gate on the plan: a queued run in CI stops awaiting approval. */
const GATED_SOP = JSON_TEAM_SOP.replace(
  '        artifacts: [{ path: plan.json }]\n',
  '        artifacts: [{ path: plan.json }]\n        gates:\n          - name: approve-plan\n            human: { prompt: Check the plan. }\n            on_fail: { revise: 1 }\n',
);

describe.skipIf(redisProgram.missing)(`sop worker's summary when it stops${redisProgram.skipNote}`, () => {
  let cwd: string;

  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-summary-', { maxRequests: 200 }));
    cwd = path.join(project, 'submitter');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    writeFileSync(path.join(cwd, 'gated.yaml'), GATED_SOP);
  }, 60_000);

  it('counts the jobs as before and says how their runs ended: completed, awaiting_approval, round_limit', async () => {
    const dir = path.join(project, 'worker');
    mkdirSync(dir);
    const worker = sopIn(dir, ['worker', '--redis', redis.url, '--no-cache', '--json']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const runs = [
      [['run', 'team.yaml', 'done', ...MODEL], 0],
      [['run', 'gated.yaml', 'paused', ...MODEL], 8],
      [['run', 'team.yaml', 'cut short', ...MODEL, '--n-round', '1'], 5],
    ] as const;
    for (const [args, code] of runs) {
      const run = sopIn(cwd, [...args, '--queue', redis.url, '--ci']);
      expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(code);
    }
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
    expect(worker.output()).not.toMatch(STACK_LINE);
    expect(worker.output()).toContain('worker stopped: 3 jobs completed, 0 failed, 0 handed back; their runs: 1 completed, 1 round_limit, 1 awaiting_approval\n');
    const envelope = JSON.parse(worker.stdout()) as { result: unknown };
    expect(envelope.result).toEqual({ completed: 3, failed: 0, handedBack: 0, runs: { completed: 1, awaiting_approval: 1, round_limit: 1 } });
  }, 120_000);
});
