import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram } from '../support/services/redis-server.js';
import { RUNNER_VERSION } from '../../src/version.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * A run submitted by another version of sop than the worker's, on a real redis-server and real
 * processes: a newer submitter's job carries a field this worker does not know. The refusal says
 * the versions differ and what to do, not only that the job does not match the worker's schema
 * (which read as a job made by hand, to a user who typed `sop run --queue`).
 */
const { start, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a run submitted by another version of sop${redisProgram.skipNote}`, () => {
  it('the worker refuses its job naming both versions and to run one version everywhere; its follower is told the same', async () => {
    const { redis, project } = await start('sop-queue-skew-', { maxRequests: 20 });
    const cwd = path.join(project, 'submitter');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'an idea', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const runId = submitted.stdout().trim();
    // As a newer sop would have queued it: its version in the run's facts, a field this one lacks in the job.
    const look = new Redis(redis.url);
    let followed;
    try {
      const data = JSON.parse((await look.hget(`bull:sop:${runId}`, 'data')) as string) as Record<string, unknown>;
      await look.hset(`bull:sop:${runId}`, 'data', JSON.stringify({ ...data, priority: 3 }));
      await look.hset(`sop:sop:run:${runId}`, 'sopVersion', '99.1.0');
      // Followed while it waits, its event stream open (a resume of a run that already failed would queue it again).
      const clients = async (): Promise<number> => String(await look.call('CLIENT', 'LIST')).trim().split('\n').length;
      const before = await clients();
      followed = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
      await until(async () => (await clients()) >= before + 2, () => followed?.output() ?? '');
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      look.disconnect();
    }
    const workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    const worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache']);
    expect((await followed.exited).code, `${followed.output()}\nworker: ${worker.output()}`).toBe(18);
    const skew = `hint: run ${runId} was submitted by sop 99.1.0 and this worker runs sop ${RUNNER_VERSION}: one version may refuse what another writes; run the same version of sop on the submitters and every worker, then submit the run again`;
    expect(followed.output()).toContain(`error QUEUE_JOB_INVALID: queued run ${runId}: job ${runId} is not a run job: /priority: property is not allowed\n  ${skew}`);
    expect(followed.output()).not.toMatch(STACK_LINE);
    await until(() => worker.output().includes(`job ${runId} failed`), () => worker.output());
    expect(worker.output()).toContain(skew);
  }, 90_000);
});
