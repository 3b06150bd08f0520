import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { startTcpProxy } from '../support/services/tcp-proxy.js';
import { freePort, JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * `sop worker` when Redis goes away at the wrong moment, on a real redis-server and a real worker
 * process: as it opens BullMQ's connections at start-up, and at its first metrics scrape (the
 * queue's depth); and a SIGTERM while it still waits for Redis at start-up. A loopback TCP proxy in
 * front of Redis lets the test stop Redis, or hold a connection unanswered, exactly as the worker
 * opens its nth connection.
 */
let redis: RedisServer;
let project: string;
const { start, sopIn } = queueTestServices();

function folder(name: string): string {
  const cwd = path.join(project, name);
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
  return cwd;
}

/** Submits a run on `queue` straight to Redis and expects it completed by a worker. */
async function runsThrough(queue: string, worker: Spawned): Promise<void> {
  const submitted = sopIn(folder(`submit-${queue}`), ['run', 'team.yaml', 'after the outage', ...MODEL, '--queue', redis.url, '--queue-name', queue, '--ci']);
  expect((await submitted.exited).code, `${submitted.output()}\nworker: ${worker.output()}`).toBe(0);
}

describe.skipIf(redisProgram.missing)(`sop worker, Redis lost at the wrong moment${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-worker-lost-', { maxRequests: 200 }));
  }, 60_000);

  // The worker's first connection is its own (checked at once: QUEUE_UNREACHABLE if Redis is not
  // there); BullMQ's copies come next: the 2nd for its commands, the 3rd for its blocking wait for jobs.
  it.each([2, 3])('Redis stopped as the worker opens its connection %i: said once and when it is back, then the worker is ready and runs jobs', async (n) => {
    const queue = `start${n}`;
    let stopped = false;
    const proxy = await startTcpProxy(redis.port, async (opened) => {
      if (opened !== n) return;
      await redis.stop();
      stopped = true;
    });
    try {
      const worker = sopIn(folder(`worker-${queue}`), ['worker', '--redis', `redis://127.0.0.1:${proxy.port}`, '--queue', queue, '--no-cache', '--lock-ms', '2000']);
      await until(() => stopped && (worker.output().includes('lost Redis') || worker.child.exitCode !== null), () => worker.output());
      await redis.start();
      stopped = false;
      await until(() => worker.output().includes('worker ready') || worker.child.exitCode !== null, () => worker.output());
      if (worker.child.exitCode !== null) await worker.exited; // its last words, for the message below
      expect(worker.child.exitCode, worker.output()).toBeNull();
      await runsThrough(queue, worker);
      await until(() => worker.output().includes('is back'), () => worker.output());
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code, worker.output()).toBe(0);
      expect(worker.output().match(/warning: lost Redis at/g), worker.output()).toHaveLength(1);
      expect(worker.output()).not.toContain('internal error');
      expect(worker.output()).not.toMatch(STACK_LINE);
    } finally {
      if (stopped) await redis.start();
      await proxy.close();
    }
  }, 90_000);

  // Connection 1 is the worker's own check (given up after 10 s: QUEUE_UNREACHABLE); 2 is BullMQ's, waited for without end.
  it.each([1, 2])('SIGTERM while the worker waits for Redis at start-up (its connection %i held open, unanswered): it stops as it does once ready, exit 0', async (n) => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const proxy = await startTcpProxy(redis.port, (opened) => (opened === n ? held : undefined));
    try {
      const worker = sopIn(folder(`worker-held${n}`), ['worker', '--redis', `redis://127.0.0.1:${proxy.port}`, '--queue', `held${n}`, '--no-cache']);
      await until(() => proxy.opened() >= n || worker.child.exitCode !== null, () => worker.output());
      worker.child.kill('SIGTERM');
      expect(await worker.exited, worker.output()).toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain('stopping: no new runs');
      expect(worker.output()).toContain('worker stopped: 0 jobs completed, 0 failed, 0 handed back\n');
      expect(worker.output()).not.toContain('worker ready');
      expect(worker.output()).not.toMatch(STACK_LINE);
    } finally {
      release();
      await proxy.close();
    }
  }, 60_000);

  it('Ctrl-C twice while Redis is away always gets out: the stop says a second Ctrl-C quits now, and it does (exit 130) unless the stop was already done (exit 0)', async () => {
    const worker = sopIn(folder('worker-quit'), ['worker', '--redis', redis.url, '--queue', 'quit', '--no-cache', '--lock-ms', '2000']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    await redis.stop();
    try {
      await until(() => worker.output().includes('lost Redis'), () => worker.output());
      worker.child.kill('SIGINT');
      await until(() => worker.output().includes('stopping:') || worker.child.exitCode !== null, () => worker.output());
      expect(worker.output()).toContain('stopping: no new runs; running ones finish their model calls and commands in flight (up to 30 s, --drain-timeout) and go back to the queue (Ctrl-C again to quit now)\n');
      // An idle worker's stop ends without waiting for Redis (nothing to hand back): this Ctrl-C may come before or after it does.
      worker.child.kill('SIGINT');
      const { code } = await worker.exited;
      if (code === 130) expect(worker.output()).toContain('quitting now: runs not yet handed back are taken over by another worker once their lock expires (--lock-ms 2000)\n');
      else expect({ code, stopped: worker.output().includes('worker stopped: 0 jobs completed, 0 failed, 0 handed back\n') }, worker.output()).toEqual({ code: 0, stopped: true });
      expect(worker.output()).not.toMatch(STACK_LINE);
    } finally {
      await redis.start();
    }
  }, 60_000);

  it('SIGTERM to an idle worker while Redis is away: it stops without waiting for Redis (it has no run to hand back), exit 0', async () => {
    const worker = sopIn(folder('worker-idle-away'), ['worker', '--redis', redis.url, '--queue', 'idle-away', '--no-cache', '--lock-ms', '2000']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    await redis.stop();
    try {
      await until(() => worker.output().includes('lost Redis'), () => worker.output());
      worker.child.kill('SIGTERM');
      // Redis stays away until the worker has exited: before, this waited for Redis without end.
      expect(await worker.exited, worker.output()).toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain('worker stopped: 0 jobs completed, 0 failed, 0 handed back\n');
      expect(worker.output()).not.toMatch(STACK_LINE);
    } finally {
      await redis.start();
    }
  }, 60_000);

  it('Redis away at the first metrics scrape: once it is back the scrape serves the queue depth again', async () => {
    const metricsPort = await freePort();
    const worker = sopIn(folder('worker-metrics'), ['worker', '--redis', redis.url, '--queue', 'metrics', '--no-cache', '--lock-ms', '2000', '--metrics-port', String(metricsPort)]);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    await redis.stop();
    let stopped = true;
    try {
      await until(() => worker.output().includes('lost Redis'), () => worker.output());
      // The first scrape makes the depth's connection while Redis is away (a scrape then waits for it, or gives none).
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(1500) }).then((response) => response.text()).catch(() => undefined);
      await redis.start();
      stopped = false;
      await until(() => worker.output().includes('is back'), () => worker.output());
      await runsThrough('metrics', worker);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(text).toMatch(/^sop_queue_depth\{[^}]*sop_queue_job_state="completed"[^}]*\} 1$/m);
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code, worker.output()).toBe(0);
      expect(worker.output()).not.toMatch(STACK_LINE);
    } finally {
      if (stopped) await redis.start();
    }
  }, 90_000);
});
