import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * A Redis restarted without its data (no persistence) loses the queued runs: the user is told
 * that the queue's Redis no longer has the run, why that happens and what to do, with exit 18 and
 * no stack trace, whether they were following the run or come back to it later.
 */
let redis: RedisServer;
let cwd: string;
const { start, sopIn } = queueTestServices();

/** Stops Redis, throws its data away (as a server without an append-only file or snapshot would) and starts it again. */
async function restartWithoutData(): Promise<void> {
  await redis.stop();
  for (const entry of readdirSync(redis.dataDir)) rmSync(path.join(redis.dataDir, entry), { recursive: true, force: true });
  await redis.start();
}

const WHY = 'restarted without persistence, flushed, evicting keys under maxmemory, or the run ended longer ago than it was kept: 7 days unless --queue-keep-days said otherwise';
const TODO = 'submit it again (`sop run FILE --queue URL`), and have Redis persist what it holds so a restart keeps queued runs (`appendonly yes`, `maxmemory-policy noeviction`): docs/queue.md, "Retention and persistence"';

describe.skipIf(redisProgram.missing)(`a queued run its Redis lost${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    let project: string;
    ({ redis, project } = await start('sop-queue-lost-', {}));
    cwd = path.join(project, 'submitter');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
  }, 60_000);

  it('while following it (no worker took it yet): the follower says Redis no longer has it, why, and what to do; exit 18', async () => {
    const following = sopIn(cwd, ['run', 'team.yaml', 'lost while queued', ...MODEL, '--queue', redis.url]);
    await until(() => following.output().includes('queued run'), () => following.output());
    const runId = /queued run (\S+) on/.exec(following.output())?.[1] as string;
    await restartWithoutData();
    const exited = await following.exited;
    expect(following.output()).toContain(`error QUEUE_RUN_NOT_FOUND: queue sop on ${redis.url} no longer has run ${runId}, which it had when this command began: its Redis lost it (${WHY})\n  hint: the run cannot be continued or brought home; ${TODO}\n`);
    expect(following.output()).not.toMatch(STACK_LINE);
    expect(exited.code).toBe(18);
  }, 60_000);

  it('coming back to it later (sop resume RUN --queue): the same causes and what to do, and how to check the id; exit 18', async () => {
    const submitted = sopIn(cwd, ['run', 'team.yaml', 'lost before it was followed', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await submitted.exited).code, submitted.output()).toBe(0);
    const runId = submitted.stdout().trim();
    await restartWithoutData();
    const resumed = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
    const exited = await resumed.exited;
    expect(resumed.output()).toBe(`error QUEUE_RUN_NOT_FOUND: queue sop on ${redis.url} has no run ${runId}: the id is mistyped, or its Redis no longer has the run (${WHY})\n  hint: list its runs with \`sop runs --queue ${redis.url}\`; ${TODO}\n`);
    expect(exited.code).toBe(18);
  }, 60_000);
});
