import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, tempDir } from '../cli/run-cli.js';
import type { Envelope } from '../support/cli-envelope.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { fill, mountTmpfs, unmount, unmountAll } from '../support/small-tmpfs.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * A queued run whose worker's storage fails mid-run (exit 14) is continued through its queue, where
 * its checkpoint is: the hint its follower prints, and `--json`'s, say `sop resume RUN --queue URL`,
 * never the local `sop resume RUN` (refused for a queued run's copy). The failures are real: a
 * read-only tmpfs mounted on the worker's run workspace as the run goes (the run ends failed, its
 * result brought home), and the worker's data folder on a small tmpfs filled up (its run record
 * cannot be written: the job fails). Mounting needs root, as CI has; elsewhere the tests are skipped
 * with the reason printed.
 */
let redis: RedisServer;
let project: string;
const { start, sopIn } = queueTestServices();

afterAll(() => unmountAll());

const runIdOf = (output: string): string | undefined => /queued run (\S+) on/.exec(output)?.[1];

function submitter(name: string): string {
  const cwd = path.join(project, name);
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
  return cwd;
}

async function startedWorker(queue: string, dataDir: string): Promise<Spawned> {
  const cwd = path.join(project, `worker-${queue}`);
  mkdirSync(cwd);
  const worker = sopIn(cwd, ['worker', '--redis', redis.url, '--queue', queue, '--no-cache', '--data-dir', dataDir]);
  await until(() => worker.output().includes('worker ready'), () => worker.output());
  return worker;
}

/** Submits the JSON team and waits until `worker` has started it (its first model call is then out: the fake server answers after a while). */
async function submittedAndStarted(cwd: string, worker: Spawned, args: string[]): Promise<{ run: Spawned; runId: string }> {
  const run = sopIn(cwd, ['run', 'team.yaml', 'a todo app', ...MODEL, '--queue', redis.url, ...args]);
  await until(() => {
    const runId = runIdOf(run.output());
    return runId !== undefined && worker.output().includes(`run ${runId}: started`);
  }, () => `${run.output()}\nworker: ${worker.output()}`);
  return { run, runId: runIdOf(run.output()) as string };
}

/** Every `sop resume RUN` the output names goes through the queue. */
function expectOnlyQueueResumes(output: string, runId: string, queue: string): void {
  expect(output).not.toMatch(STACK_LINE);
  const resumes = [...output.matchAll(new RegExp(`sop resume ${runId}[^\`"\\n]*`, 'g'))].map((match) => match[0]);
  expect(resumes.length, output).toBeGreaterThan(0);
  for (const resume of resumes) expect(resume).toMatch(new RegExp(`^sop resume ${runId} ${queue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

describe.skipIf(redisProgram.missing)(`a queued run whose worker's storage fails is resumed through its queue${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    // Each model call takes long enough for the test to break the worker's storage while it is out.
    ({ redis, project } = await start('sop-queue-storage-', { latencyMs: 1500, maxRequests: 200 }));
  }, 60_000);

  it('its workspace on the worker turns read-only: exit 14, the hint (text and --json) resumes it with --queue, and so resumed it completes', async (context) => {
    if (process.getuid?.() !== 0) {
      console.warn('skipped: not root: cannot mount a small tmpfs');
      return context.skip();
    }
    const dataDir = path.join(project, 'read-only-data');
    const worker = await startedWorker('readonly', dataDir);
    const queue = `--queue ${redis.url} --queue-name readonly`;
    /** Runs the team on the worker, its workspace there made read-only once the run started. */
    const failing = async (cwd: string, args: string[]): Promise<{ run: Spawned; runId: string }> => {
      const started = await submittedAndStarted(cwd, worker, ['--queue-name', 'readonly', ...args]);
      const [folder] = readdirSync(path.join(dataDir, 'runs')).filter((name) => name.startsWith(`${started.runId}.`));
      const workspace = path.join(dataDir, 'runs', folder as string, 'workspace');
      const mount = mountTmpfs(workspace, 'size=64k,ro');
      if ('skip' in mount) throw new Error(mount.skip);
      context.onTestFinished(() => unmount(workspace));
      expect((await started.run.exited).code, `${started.run.output()}\nworker: ${worker.output()}`).toBe(14);
      return started;
    };

    const text = await failing(submitter('read-only-text'), ['--ci']);
    expect(text.run.output()).toMatch(/^error STORAGE_READ_ONLY: cannot write \S+\/workspace\/plan\.json: the file system is read-only \(EROFS\)$/m);
    expect(text.run.output()).toContain(`the run keeps its last checkpoint: \`sop resume ${text.runId} ${queue}\` continues it once this is fixed`);
    expectOnlyQueueResumes(text.run.output(), text.runId, queue);
    // What fixes it is the worker's: its --data-dir, not sop run's --workspace or --runs-dir.
    expect(text.run.output()).toContain('hint: restart the worker with a writable --data-dir, or remount its file system read-write; the run keeps');
    expect(text.run.output()).not.toMatch(/--workspace|--runs-dir/);
    expect(worker.output()).toMatch(new RegExp(`run ${text.runId}: failed \\(exit 14\\) in \\d+ ms\n  STORAGE_READ_ONLY: cannot write \\S+/workspace/plan\\.json: the file system is read-only \\(EROFS\\)\n  hint: restart the worker with a writable --data-dir`));

    const cwd = submitter('read-only-json');
    const json = await failing(cwd, ['--json']);
    const envelope = JSON.parse(json.run.stdout()) as Envelope<{ status: string; hint?: string }>;
    expect(envelope.error).toMatchObject({ code: 'STORAGE_READ_ONLY', exitCode: 14 });
    expect(envelope.error?.hint).toContain(`the run keeps its last checkpoint: \`sop resume ${json.runId} ${queue}\` continues it once this is fixed`);
    expect(envelope.error?.hint).toMatch(/^restart the worker with a writable --data-dir, or remount its file system read-write; /);
    expectOnlyQueueResumes(json.run.stdout(), json.runId, queue);

    // The hint is what works: the run continues on a worker from its journal in Redis.
    const resumed = sopIn(cwd, ['resume', json.runId, ...queue.split(' '), '--json']);
    expect((await resumed.exited).code, `${resumed.output()}\nworker: ${worker.output()}`).toBe(0);
    expect((JSON.parse(resumed.stdout()) as Envelope<{ status: string }>).result?.status).toBe('completed');
    worker.child.kill('SIGTERM');
  }, 120_000);

  it('its worker\'s data folder fills up (its record cannot be written, the job fails): exit 14, the hint resumes it with --queue, and once there is space so resumed it completes', async (context) => {
    const dataDir = tempDir('sop-queue-full-');
    const mount = mountTmpfs(dataDir, 'size=256k');
    if ('skip' in mount) {
      console.warn(`skipped: ${mount.skip}`);
      return context.skip();
    }
    const worker = await startedWorker('full', dataDir);
    const queue = `--queue ${redis.url} --queue-name full`;
    const cwd = submitter('full');
    const text = await submittedAndStarted(cwd, worker, ['--queue-name', 'full', '--ci']);
    // Full once the first round is journaled (its answer in Redis too), while the second's call is out.
    await until(() => text.run.output().includes('planner plan ... done'), () => `${text.run.output()}\nworker: ${worker.output()}`);
    const filler = fill(dataDir);
    expect((await text.run.exited).code, `${text.run.output()}\nworker: ${worker.output()}`).toBe(14);
    expect(text.run.output()).toMatch(/^error STORAGE_NO_SPACE: queued run \S+: cannot write \S+: no space left on the device \(ENOSPC\)$/m);
    expect(text.run.output()).toContain(`the run keeps its last checkpoint: \`sop resume ${text.runId} ${queue}\` continues it once this is fixed`);
    expectOnlyQueueResumes(text.run.output(), text.runId, queue);
    // What fixes it is the worker's: its --data-dir, not sop run's --workspace or --runs-dir.
    const full = "hint: free some space on the worker's disk (its --data-dir), or restart the worker with --data-dir on a disk with room";
    expect(text.run.output()).toContain(`${full}; the run keeps`);
    expect(text.run.output()).not.toMatch(/--workspace|--runs-dir/);
    expect(worker.output()).toMatch(/job \S+ failed: STORAGE_NO_SPACE: cannot write \S+: no space left on the device \(ENOSPC\)\n  hint: free some space on the worker's disk \(its --data-dir\)/);

    // Queued again while the disk is still full (the failed job's folder, removed, freed a few pages:
    // filled too): the worker cannot even write out the journal it would continue from. The same
    // kind of error, the same hint (`--json`).
    await until(() => readdirSync(path.join(dataDir, 'runs')).length === 0, () => `worker: ${worker.output()}`);
    fill(dataDir);
    const again = sopIn(cwd, ['resume', text.runId, ...queue.split(' '), '--json']);
    expect((await again.exited).code, `${again.output()}\nworker: ${worker.output()}`).toBe(14);
    const envelope = JSON.parse(again.stdout()) as Envelope;
    expect(envelope.error).toMatchObject({ code: 'STORAGE_NO_SPACE', exitCode: 14, message: expect.stringMatching(/: cannot write \S+\/journal\.jsonl: no space left on the device \(ENOSPC\)$/) });
    expect(envelope.error?.hint).toContain(`the run keeps its last checkpoint: \`sop resume ${text.runId} ${queue}\` continues it once this is fixed`);
    expect(envelope.error?.hint).toContain(full.replace('hint: ', ''));
    expectOnlyQueueResumes(again.stdout(), text.runId, queue);

    // Once there is space, the hint is what works.
    rmSync(filler);
    const resumed = sopIn(cwd, ['resume', text.runId, ...queue.split(' '), '--json']);
    expect((await resumed.exited).code, `${resumed.output()}\nworker: ${worker.output()}`).toBe(0);
    expect((JSON.parse(resumed.stdout()) as Envelope<{ status: string }>).result?.status).toBe('completed');
    worker.child.kill('SIGTERM');
    await worker.exited;
  }, 120_000);
});
