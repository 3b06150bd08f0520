import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { startTcpProxy, type TcpProxy } from '../support/services/tcp-proxy.js';
import { MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * `sop run --queue` writes the run's facts (`sop:sop:run:ID`, the runs index) and adds its BullMQ
 * job: two steps Redis cannot make one. A Ctrl-C between them is held until both are done (the
 * run queued, the command says so); a second one quits at once, and the state left must still be
 * one a user can read and mend. The submitter's connection goes through a loopback proxy that holds
 * BullMQ's add of the job (an `evalsha` carrying the job's data) on its way to a real redis-server,
 * so the SIGINT lands exactly in that window: no hook in `sop` itself, everything else the real path.
 * The facts are sent on the same connection just before the add: when the proxy reads both in one
 * chunk it holds both, which the second test tells apart (nothing recorded then).
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a Ctrl-C between a queued run's facts and its job${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-submit-cut-', { latencyMs: 0, maxRequests: 50 }));
  }, 60_000);

  /** A proxy to Redis holding the chunk that carries BullMQ's add of a run's job; `heldFacts` says whether the run's facts came in that chunk too. */
  async function holdingAdd(): Promise<{ proxy: TcpProxy; heldFacts: () => boolean }> {
    let heldText = '';
    const proxy = await startTcpProxy(redis.port, () => undefined, (sent) => {
      const text = sent.toString('latin1');
      if (!/evalsha|\$4\r\neval\r\n/i.test(text) || !text.includes('"bundle":"')) return false;
      heldText = text;
      return true;
    });
    return { proxy, heldFacts: () => heldText.includes("\r\nsubmitted\r\n") };
  }

  const isOver = (spawned: Spawned) => (): boolean => spawned.child.exitCode !== null || spawned.child.signalCode !== null;

  /** The runs `sop runs --queue --json` lists, with their job's state. */
  async function listed(): Promise<Array<{ runId: string; state: string }>> {
    const runs = sopIn(cwd, ['runs', '--queue', redis.url, '--json']);
    expect((await runs.exited).code, runs.output()).toBe(0);
    return (JSON.parse(runs.stdout()) as { result: { runs: Array<{ runId: string; state: string }> } }).result.runs;
  }

  /** Followed to its end by `sop resume RUN --queue` with a worker running: the run is whole. */
  async function completes(runId: string): Promise<void> {
    mkdirSync(path.join(project, 'worker'), { recursive: true });
    const worker = sopIn(path.join(project, 'worker'), ['worker', '--redis', redis.url, '--no-cache']);
    try {
      const followed = sopIn(cwd, ['resume', runId, '--queue', redis.url]);
      expect((await followed.exited).code, followed.output()).toBe(0);
      expect(followed.output()).toContain('completed');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  }

  it('waits for the job to be added, then stops (exit 130) saying the run is queued and how to follow it; the run is followed to its end', async () => {
    const { proxy } = await holdingAdd();
    try {
      const before = await look.zcard('sop:sop:runs');
      const submit = sopIn(cwd, ['run', 'team.yaml', 'held add', ...MODEL, '--queue', `redis://127.0.0.1:${proxy.port}`]);
      const over = isOver(submit);
      await until(() => proxy.holding() || over(), () => submit.output());
      expect(over(), submit.output()).toBe(false);
      submit.child.kill('SIGINT');
      await until(() => submit.output().includes('stopping once the run is queued') || over(), () => submit.output());
      expect(submit.output()).toContain(`(Ctrl-C again to quit now; \`sop runs --queue redis://127.0.0.1:${proxy.port}\` then lists it, and \`sop resume RUN --queue redis://127.0.0.1:${proxy.port}\` queues it again)`);
      proxy.release();
      const ended = await submit.exited;
      expect(ended, submit.output()).toEqual({ code: 130, signal: null });
      const runId = /stopped before following run (\d{8}-\d{6}-[0-9a-f]{6}); it is queued, and a worker runs it/.exec(submit.output())?.[1];
      expect(runId, submit.output()).toBeDefined();
      expect(submit.output()).toContain(`follow it (its files come home when it ends): sop resume ${runId} --queue redis://127.0.0.1:${proxy.port}`);

      // Both steps were made: the facts name the job, BullMQ has it waiting, `sop runs` lists it so.
      expect(await look.zcard('sop:sop:runs')).toBe(before + 1);
      expect(await look.hget(`sop:sop:run:${runId}`, 'job')).toBe(runId);
      const jobs = new Queue('sop', { connection: { host: '127.0.0.1', port: redis.port } });
      expect(await jobs.getJobState(runId as string)).toBe('waiting');
      await jobs.close();
      expect((await listed()).find((run) => run.runId === runId)?.state).toBe('waiting');
      await completes(runId as string);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('a second Ctrl-C there quits at once: either nothing was recorded, or the run is listed with its job gone and the resume the note named queues it again', async () => {
    const { proxy, heldFacts } = await holdingAdd();
    try {
      const before = await look.zrange('sop:sop:runs', 0, -1);
      const submit = sopIn(cwd, ['run', 'team.yaml', 'quit now', ...MODEL, '--queue', `redis://127.0.0.1:${proxy.port}`]);
      const over = isOver(submit);
      await until(() => proxy.holding() || over(), () => submit.output());
      submit.child.kill('SIGINT');
      await until(() => submit.output().includes('stopping once the run is queued') || over(), () => submit.output());
      submit.child.kill('SIGINT');
      expect(await submit.exited, submit.output()).toEqual({ code: 130, signal: null });
      // What the proxy held never reaches Redis: the process is gone, its connection with it.
      await proxy.close();
      const added = (await look.zrange('sop:sop:runs', 0, -1)).filter((id) => !before.includes(id));
      const jobs = new Queue('sop', { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        if (heldFacts()) {
          // The facts travelled with the add: neither was recorded, no run to mend.
          expect(added).toEqual([]);
          expect(await jobs.getWaitingCount()).toBe(0);
          return;
        }
        // The facts were recorded, the job never added: listed as gone, as the note said; a resume queues it.
        expect(added).toHaveLength(1);
        const runId = added[0] as string;
        expect(await jobs.getJobState(runId)).toBe('unknown');
        expect((await listed()).find((run) => run.runId === runId)?.state).toBe('gone');
        await completes(runId);
      } finally {
        await jobs.close();
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
