import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { startTcpProxy, type TcpProxy } from '../support/services/tcp-proxy.js';
import { MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * `sop resume RUN --queue` claims a stopped run (its facts name the new job) and then adds that job
 * to BullMQ: two steps. A Ctrl-C between them must not leave the run naming a job never added
 * (`sop runs --queue` showed it `gone`, a later resume called it lost by Redis). The resume's own
 * connection goes through a loopback proxy that holds BullMQ's add on its way to a real
 * redis-server, so the SIGINT lands exactly in that window; everything else is the real path.
 */
let redis: RedisServer;
let project: string;
const { startSubmitter, sopIn } = queueTestServices();

describe.skipIf(redisProgram.missing)(`a Ctrl-C between a queued resume's claim and its job${redisProgram.skipNote}`, () => {
  let look: Redis;
  let cwd: string;

  beforeAll(async () => {
    ({ redis, project, cwd, look } = await startSubmitter('sop-queue-claim-cut-', { latencyMs: 0, maxRequests: 50 }));
  }, 60_000);

  /** A run that stopped at its round limit, through a real worker (stopped again after it). */
  async function stoppedRun(): Promise<string> {
    mkdirSync(path.join(project, 'worker'), { recursive: true });
    const worker = sopIn(path.join(project, 'worker'), ['worker', '--redis', redis.url, '--no-cache']);
    const cut = sopIn(cwd, ['run', 'team.yaml', 'cut short', ...MODEL, '--n-round', '1', '--queue', redis.url]);
    expect((await cut.exited).code, cut.output()).toBe(5);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
    return /run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(cut.output())?.[1] as string;
  }

  /** A proxy to Redis that holds BullMQ's add of the resume's job (`RUN-r…`), sent after the claim (its own script). */
  async function holdingAdd(runId: string): Promise<TcpProxy> {
    let claimed = false;
    return startTcpProxy(redis.port, () => undefined, (sent) => {
      const text = sent.toString('latin1');
      if (text.includes("redis.call('HSET', KEYS[1], 'job', ARGV[2]")) {
        claimed = true;
        return false;
      }
      return claimed && text.includes(`${runId}-r`);
    });
  }

  /** Followed to its end by `sop resume RUN --queue` with a worker running: the run is whole. */
  async function completes(runId: string): Promise<void> {
    const again = sopIn(path.join(project, 'worker'), ['worker', '--redis', redis.url, '--no-cache']);
    try {
      const followed = sopIn(cwd, ['resume', runId, '--queue', redis.url, '--n-round', '3']);
      expect((await followed.exited).code, followed.output()).toBe(0);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }

  it('waits for the job to be queued, then stops (exit 130) saying the run is queued and how to follow it; the run stays followable', async () => {
    const runId = await stoppedRun();
    const proxy = await holdingAdd(runId);
    try {
      const resume = sopIn(cwd, ['resume', runId, '--queue', `redis://127.0.0.1:${proxy.port}`, '--n-round', '3']);
      const over = (): boolean => resume.child.exitCode !== null || resume.child.signalCode !== null;
      await until(() => proxy.holding() || over(), () => resume.output());
      // The run's facts already name the new job; BullMQ does not have it yet.
      const job = (await look.hget(`sop:sop:run:${runId}`, 'job')) as string;
      expect(job).toMatch(new RegExp(`^${runId}-r\\d+$`));
      resume.child.kill('SIGINT');
      await until(() => resume.output().includes('stopping once the run is queued') || over(), () => resume.output());
      proxy.release();
      const ended = await resume.exited;
      expect(ended, resume.output()).toEqual({ code: 130, signal: null });
      expect(resume.output()).toContain(`stopped before following run ${runId}; it is queued, and a worker runs it`);
      expect(resume.output()).toContain(`follow it (its files come home when it ends): sop resume ${runId} --queue redis://127.0.0.1:${proxy.port}`);

      // The job the run names is in BullMQ, waiting for a worker: listed so, and followed to its end.
      const jobs = new Queue('sop', { connection: { host: '127.0.0.1', port: redis.port } });
      expect(await jobs.getJobState(job)).toBe('waiting');
      await jobs.close();
      const listed = sopIn(cwd, ['runs', '--queue', redis.url, '--json']);
      expect((await listed.exited).code, listed.output()).toBe(0);
      const runs = (JSON.parse(listed.stdout()) as { result: { runs: Array<{ runId: string; state: string }> } }).result.runs;
      expect(runs.find((run) => run.runId === runId)?.state).toBe('waiting');
      await completes(runId);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('a second Ctrl-C there quits at once, naming the resume that queues the run again; that resume does, and the run completes', async () => {
    const runId = await stoppedRun();
    const proxy = await holdingAdd(runId);
    try {
      const resume = sopIn(cwd, ['resume', runId, '--queue', `redis://127.0.0.1:${proxy.port}`]);
      const over = (): boolean => resume.child.exitCode !== null || resume.child.signalCode !== null;
      await until(() => proxy.holding() || over(), () => resume.output());
      resume.child.kill('SIGINT');
      await until(() => resume.output().includes('stopping once the run is queued') || over(), () => resume.output());
      expect(resume.output()).toContain(`(Ctrl-C again to quit now; \`sop resume ${runId} --queue redis://127.0.0.1:${proxy.port}\` then queues it again)`);
      resume.child.kill('SIGINT');
      expect(await resume.exited, resume.output()).toEqual({ code: 130, signal: null });
      // The run names a job BullMQ never got: its latest job is gone, and a resume queues it again.
      proxy.release();
      const listed = sopIn(cwd, ['runs', '--queue', redis.url, '--json']);
      expect((await listed.exited).code, listed.output()).toBe(0);
      expect((JSON.parse(listed.stdout()) as { result: { runs: Array<{ runId: string; state: string }> } }).result.runs.find((run) => run.runId === runId)?.state).toBe('gone');
      await completes(runId);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
