import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { startTcpProxy } from '../support/services/tcp-proxy.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * `sop run --queue` with a worker already waiting, which takes the run the moment it is queued:
 * the follower's event stream opens after the run started (or ended), and the follower still
 * prints every event of the run, its header and first round included. The race is forced: the
 * follower's event stream (its second connection, through a proxy) is held at its opening until
 * the worker has gone as far as the test wants.
 */
let redis: RedisServer;
let server: FakeOpenAI;
let project: string;
const { start, sopIn } = queueTestServices();

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] as string;

describe.skipIf(redisProgram.missing)(`sop run --queue, a run the waiting worker starts before the follower reads${redisProgram.skipNote}`, () => {
  let worker: Spawned;
  /** The test's own look at the queue's Redis. */
  let look: Redis;

  beforeAll(async () => {
    ({ redis, server, project } = await start('sop-queue-race-', { latencyMs: 300, maxRequests: 200 }));
    const workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache', '--lock-ms', '2000']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    look = new Redis(redis.url);
  }, 60_000);

  afterAll(() => look?.disconnect());

  /**
   * Runs the JSON team through a proxy that holds the submitter's event stream until `ready(log)`
   * holds of the worker's log (from the run on), then checks that the follower printed the run whole.
   */
  async function followedLate(name: string, ready: (workerLog: string) => boolean | Promise<boolean>): Promise<void> {
    const cwd = path.join(project, name);
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    const logBefore = worker.output().length;
    let held = false;
    const proxy = await startTcpProxy(redis.port, async (n) => {
      // The first connection is the client's (the run is queued on it); the second, the event stream.
      if (n !== 2) return;
      held = true;
      await until(() => ready(worker.output().slice(logBefore)), () => worker.output());
    });
    try {
      const following = sopIn(cwd, ['run', 'team.yaml', `followed late (${name})`, ...MODEL, '--queue', `redis://127.0.0.1:${proxy.port}`]);
      const exited = await following.exited;
      const shown = `${following.output()}\nworker: ${worker.output().slice(logBefore)}`;
      expect(held, shown).toBe(true);
      expect(exited.code, shown).toBe(0);
      const runId = runIdOf(following.output());
      expect(following.output(), shown).toContain(`run ${runId}: json-team 1.0.0\nmodel: openai:gpt-4o-mini`);
      expect(following.output(), shown).toMatch(/\[round 1\] planner plan \.\.\. done/);
      expect(following.output(), shown).toMatch(/\[round 2\] reviewer review \.\.\. done/);
      expect(following.output(), shown).toMatch(/\[round 3\] lead summarize \.\.\. done/);
      expect(following.output(), shown).toContain('status: completed');
    } finally {
      await proxy.close();
    }
  }

  it('the stream opens after the worker answered the run\'s first call: the header and round 1 are printed all the same', async () => {
    const requestsBefore = server.requests.length;
    await followedLate('mid-run', (log) => log.includes(': started') && server.requests.length > requestsBefore);
  }, 90_000);

  it('the stream opens after the run ended on the worker: every event of the run is printed before its result', async () => {
    // Ended as BullMQ has it: the job completed (its `completed` event is in the stream too).
    await followedLate('ended', async (log) => {
      const runId = /^run (\S+): completed/m.exec(log)?.[1];
      return runId !== undefined && (await look.hget(`bull:sop:${runId}`, 'finishedOn')) !== null;
    });
  }, 90_000);
});
