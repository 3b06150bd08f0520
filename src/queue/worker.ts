import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { EXIT, isSopError, SopError } from '../errors/index.js';
import { guardWrite, storageError } from '../files/index.js';
import type { RunEvent, RunReport, RunResult } from '../runtime/index.js';
import { readResumePoint, type ResumePoint } from '../runtime/resume-point.js';
import { DEFAULT_SOP_COMMAND, resumeCommand as resumeCommandOf } from '../runtime/resume-target.js';
import { JOURNAL_FILE, type JournalReplica } from '../store/index.js';
import { materializeBundle, readBundle } from './bundle.js';
import { connectRedis, eagerConnection, redisConnection } from './connection.js';
import { queueDepth } from './depth.js';
import { ConnectionWatch, isConnectionLost } from './connection-watch.js';
import { readRunJob, type RunJobData } from './job.js';
import { queueArgs, queueKeys } from './keys.js';
import type { RedisAddress } from './redis-url.js';
import { keepSecondsOf } from './retention.js';
import { isFenceRefusal, isRunGone, RedisRunLock, runEndedBeyond, type FencedWrite, type RunEndKeys } from './run-lock.js';
import { REDIS_LOSES_RUNS, submitAgain } from './lost-run.js';
import { openInputs, type QueueKey } from './sealed-inputs.js';
import { RedisEndpointLimits } from './shared-limits.js';
import type { SharedEndpointLimits } from '../providers/resilience/index.js';
import { QueuedRunState, type ResultFile } from './run-state.js';
import { onWorker, workerStorageHint } from './storage-hint.js';
import { submittedError, submittedValue, type SopPlaces } from './submitter-paths.js';
import { RUNNER_VERSION } from '../version.js';

/** What a worker hands the command that runs one queued run (the same interpreter as `sop run`). */
export interface QueuedRun {
  /** The job, its secret inputs opened (in `inputs`; no `sealed`). */
  job: RunJobData;
  /** The SOP file, from its bundle, on this machine. */
  sopFile: string;
  /** The bundle's folder on this machine (a `--model script:FILE` script travels in it: `SCRIPT_DIR`). */
  bundleDir: string;
  runsDir: string;
  workspace: string;
  /** The run's journal in Redis: give it to `runSop` as `journalReplica`. */
  replica: JournalReplica;
  /** Set when another worker started the run: continue from here (`runSop({resume})`). */
  resume: (ResumePoint & { runDir: string }) | undefined;
  /** Give it to `runSop`: progress and stored workspace files. */
  onEvent: (event: RunEvent) => void;
  /** Endpoint limits shared by every worker of the queue: give them to the run's runtime (`endpoints.shared`). */
  sharedLimits: SharedEndpointLimits;
  /** Aborted when the worker's drain runs out (or it lost the run): the run stops at once, its calls in flight cut off, its state saved, and the job goes back to the queue. */
  signal: AbortSignal;
  /** Aborted when the worker starts to stop (SIGTERM): give it to `runSop` as `drain` (its calls in flight finish and are journaled, then it stops). */
  drain: AbortSignal;
}

/** What a queued run's job returns (BullMQ `returnvalue`). */
export interface RunJobResult {
  runId: string;
  status: RunResult['status'];
  exitCode: number;
  report: RunReport;
  files: ResultFile[];
}

/** What a worker reports as it goes: the seam for metrics (queue depth, job durations) and logs. */
export type WorkerEvent =
  | { type: 'job-started'; jobId: string; runId: string; resumed: boolean }
  /** `storageError`: the run failed for this machine's storage (exit 14), which only the worker's operator can fix. */
  | { type: 'job-completed'; jobId: string; runId: string; status: string; exitCode: number; durationMs: number; storageError?: { code: string; message: string; hint?: string } }
  | { type: 'job-failed'; jobId: string; error: { code: string; message: string; hint?: string } }
  | { type: 'job-handed-back'; jobId: string; runId: string }
  | { type: 'worker-error'; message: string }
  /** Once per outage: Redis cannot be reached; the worker waits and reconnects by itself. */
  | { type: 'redis-lost'; message: string }
  | { type: 'redis-back' };

export interface WorkerOptions {
  address: RedisAddress;
  queue: string;
  concurrency: number;
  /** This machine's folder for bundles, run folders and workspaces (runs are removed when done). */
  dataDir: string;
  /** Where workspace files larger than the Redis cap go (a folder the submitters can read). */
  outputsDir?: string;
  /** Per endpoint, across all workers: calls in flight and calls per second (0: no bound). `Retry-After` is always shared. */
  endpointLimits?: { concurrency: number; ratePerSecond: number };
  /** BullMQ's job lock and the run lock: a killed worker's run is taken over after about this long. Default 30 s. */
  lockMs?: number;
  /** Opens the runs' secret inputs, sealed by the submitter with the same SOP_QUEUE_KEY (`readQueueKey`); without it such a run fails (`QUEUE_KEY_MISMATCH`). */
  queueKey?: QueueKey | undefined;
  run: (queued: QueuedRun) => Promise<RunResult>;
  onEvent?: (event: WorkerEvent) => void;
}

/** How a worker stops (`RunningWorker.close`). */
export interface CloseOptions {
  /**
   * How long running runs may take to finish their model calls in flight (journaled, so the worker
   * that continues a run does not ask them again) before those are cut off; default 0: at once.
   */
  drainMs?: number;
  /** Called when `drainMs` ran out with runs still running (their calls in flight are cut off now). */
  onCutOff?: (running: number) => void;
}

export interface RunningWorker {
  /**
   * Stops taking jobs; running ones stop at their next safe point (no new model call, command or
   * round; calls in flight finish, for `drainMs` at most) with their state saved, and go back to the queue.
   */
  close(options?: CloseOptions): Promise<void>;
  /** The queue's jobs by state (waiting, active, interrupted, completed, failed): its depth, for metrics. */
  depth(): Promise<Record<string, number>>;
}

/**
 * Takes queued runs and runs them (`options.run`), each from where the journal in Redis says:
 * from the start, or, when a worker died holding it (BullMQ moves its stalled job back), from its
 * last boundary with every answered call given back. A job that is malformed or hostile fails alone.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const redis = await connectRedis(options.address);
  const keys = queueKeys(options.queue);
  const lockMs = options.lockMs ?? 30_000;
  // Stopping is two steps: `draining` (nothing new starts; calls in flight finish), then `stopping` (they are cut off).
  const draining = new AbortController();
  const stopping = new AbortController();
  /** Jobs running now (for the drain's note when it runs out). */
  let running = 0;
  const sharedLimits = new RedisEndpointLimits(redis, keys.endpoints, options.endpointLimits ?? { concurrency: 0, ratePerSecond: 0 });
  /** SOP files of the bundles this worker checked and wrote out, by hash. */
  const sopFiles = new Map<string, string>();
  /**
   * Job folders being removed: after the job ended, not before BullMQ completes it (removing a run
   * folder is file-system work that can take milliseconds on a busy disk); `close` waits for them.
   */
  const removals = new Set<Promise<void>>();
  const removeLater = (folder: string): void => {
    const removal = rm(folder, { recursive: true, force: true }).catch(() => undefined);
    removals.add(removal);
    void removal.then(() => removals.delete(removal));
  };
  const emit = (event: WorkerEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // a failing listener must not fail jobs
    }
  };

  /** The error of a run Redis lost while this worker ran it (QUEUE_RUN_NOT_FOUND, as a submitter is told). */
  const runGone = (runId: string): SopError =>
    new SopError('QUEUE_RUN_NOT_FOUND', `queue ${options.queue} on ${options.address.shown} no longer has run ${runId}, which this worker was running: its Redis lost it (${REDIS_LOSES_RUNS})`, {
      hint: `this worker stopped the run and goes on with other jobs; the run cannot be continued; ${submitAgain(DEFAULT_SOP_COMMAND)}`,
    });

  const processor = async (job: Job, token?: string): Promise<RunJobResult> => {
    try {
      return await runJob(job, token);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const runId = (job.data as { runId?: unknown } | undefined)?.runId;
      if (typeof runId === 'string' && runId.length < 100 && (isRunGone(error) || (isSopError(error) && error.code === 'QUEUE_RUN_NOT_FOUND'))) {
        return await lostRun(job, runId);
      }
      // A write of this machine's that failed for its storage (a full disk) is that storage error,
      // exit 14, not an internal one: the run is resumed once it is fixed. Its hint names the
      // worker's folders.
      const found = isSopError(error) ? error : storageError(error);
      const known = found && (await withVersionHint(onWorker(found, options), runId));
      // The submitter reads why, with the code its exit code comes from.
      const failure = known ? { code: known.code, message: known.message, ...(known.hint ? { hint: known.hint } : {}) } : { code: 'INTERNAL', message: (error as Error).message };
      if (typeof runId === 'string' && runId.length < 100) {
        const saved = redis.multi().hset(keys.run(runId), 'failure', JSON.stringify({ job: job.id, ...failure }));
        // Ended: kept for its time, as a completed run. Not a run another worker holds (RUN_LOCKED): it goes on there.
        if (known?.code !== 'RUN_LOCKED') {
          const keep = keepSecondsOf(job.opts, 'failed');
          for (const key of [keys.run(runId), keys.journal(runId), keys.artifacts(runId)]) saved.expire(key, keep);
        }
        await saved.exec().catch(() => undefined);
      }
      throw known ?? error;
    }
  };

  /**
   * A job or SOP this worker refused, submitted by another version of `sop`: its hint says so first
   * (a newer submitter's job field or SOP feature is unknown here; the refusal alone reads as a
   * job made by hand or a broken SOP, which `sop validate` passed on the submitter's machine).
   */
  const withVersionHint = async (error: SopError, runId: unknown): Promise<SopError> => {
    if (typeof runId !== 'string' || runId.length >= 100 || (error.code !== 'QUEUE_JOB_INVALID' && !error.diagnostics?.length)) return error;
    const theirs = await redis.hget(keys.run(runId), 'sopVersion').catch(() => null);
    if (!theirs || theirs === RUNNER_VERSION) return error;
    const skew = `run ${runId} was submitted by sop ${theirs.slice(0, 40)} and this worker runs sop ${RUNNER_VERSION}: one version may refuse what another writes; run the same version of sop on the submitters and every worker, then submit the run again`;
    return new SopError(error.code, error.message, { hint: error.hint ? `${skew} (else: ${error.hint})` : skew, diagnostics: error.diagnostics, cause: error.cause });
  };

  /**
   * A run Redis lost while this worker ran it: nothing of it is written again (a write would
   * re-create its keys with no expiry). Its job, when Redis still has it (an evicted key of the
   * run's), fails as any job; a job Redis lost too is left alone (BullMQ could only fail to end
   * it): said here, and the worker takes the next job.
   */
  const lostRun = async (job: Job, runId: string): Promise<never> => {
    const error = runGone(runId);
    // The keys of the run that remain (an eviction) expire as an ended run's: EXPIRE creates nothing.
    const keep = keepSecondsOf(job.opts, 'failed');
    const remaining = redis.multi();
    for (const key of [keys.run(runId), keys.journal(runId), keys.artifacts(runId)]) remaining.expire(key, keep);
    const [, [, jobThere] = []] = ((await remaining.exists(`${job.queueQualifiedName}:${job.id}`).exec().catch(() => null)) ?? []) as Array<[unknown, unknown]>;
    if (jobThere === 1) throw error;
    const jobId = job.id as string;
    lostJobs.add(jobId);
    setTimeout(() => lostJobs.delete(jobId), lockMs * 4).unref(); // past BullMQ's last try to renew its lock
    emit({ type: 'job-failed', jobId, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
    throw new DelayedError();
  };
  /** Jobs Redis lost while they ran (`lostRun`): BullMQ's warnings that it cannot renew their locks are not news. */
  const lostJobs = new Set<string>();

  /**
   * The command that continues a run through this queue (the URL's credentials masked), for hints.
   * Typed with the default `sop`: a run's failure goes to Redis, where its submitter reads it and
   * types it its own way (`typedAs`), as the worker's log does.
   */
  const resumeCommand = (runId: string): string => `${resumeCommandOf(runId, DEFAULT_SOP_COMMAND)} ${queueArgs(options.address.shown, options.queue)}`;

  /**
   * A run whose SOP bundle Redis no longer has: it expired (a bundle is kept as long as the longest
   * kept run of it that ended) or was evicted while the run waited for a worker. Nothing of the run
   * ran; a resume from where it was submitted sends the bundle again (`QueueClient.restoreBundle`).
   */
  const bundleGone = (runId: string, hash: string): SopError =>
    new SopError('QUEUE_JOB_INVALID', `its SOP bundle (${hash.slice(0, 12)}) is no longer in Redis: it expired or was evicted before a worker took run ${runId}`, {
      hint: `queue the run again where it was submitted (its SOP file is read and sent again): ${resumeCommand(runId)}; or submit a new run`,
    });

  const runJob = async (job: Job, token: string | undefined): Promise<RunJobResult> => {
    const { sealed, ...data } = readRunJob(job.data, job.id);
    // Opened before anything of the run is read: a worker without the submitter's key fails this run alone.
    data.inputs = openInputs({ ...data, ...(sealed ? { sealed } : {}) }, options.queueKey, resumeCommand(data.runId));
    const started = performance.now();
    // A bundle checked and written out once is not read again (its folder is named by its content's hash).
    const knownSop = sopFiles.get(data.bundle);
    // The lock and everything the job reads first (a saved result, the journal, whether files are
    // stored, the bundle): one round trip.
    const guards = { run: keys.run(data.runId), job: `${job.queueQualifiedName}:${job.id}`, bundle: keys.bundle(data.bundle) };
    const taken = await RedisRunLock.acquireReading(redis, keys.runLock(data.runId), lockMs, lockMs * 2, guards, (multi) => {
      // Its bundle keeps no expiry while the run runs (a takeover reads it again): set again when the run ends.
      multi.persist(keys.bundle(data.bundle));
      multi.hmget(keys.run(data.runId), 'result', 'resultJournalBytes', 'shown').getBuffer(keys.journal(data.runId)).exists(keys.artifacts(data.runId));
      if (!knownSop) multi.get(keys.bundle(data.bundle));
    });
    // Not the run's failure: BullMQ handed its job on while another worker still runs it (it stalled); the run goes on there, its followers follow it there.
    if (!taken) {
      throw new SopError('RUN_LOCKED', `run ${data.runId} is already running on another worker, which holds its lock: this job leaves the run to it`, {
        hint: `the run goes on there; follow it (its files come home when it ends): ${resumeCommand(data.runId)}`,
      });
    }
    const { lock } = taken;
    const [, [savedText, savedBytes, shown], journal, filesStored, bundleText] = taken.replies as [unknown, [string | null, string | null, string | null], Buffer | null, number, string | null | undefined];
    // A folder of this job's own: removed after the job, off its path (see `removeLater`).
    const local = path.join(options.dataDir, 'runs', `${data.runId}.${randomUUID().slice(0, 8)}`);
    // Stops the run at once: the worker's drain ran out, or it lost the run to another worker.
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    // Stops it at its next safe point (its calls in flight answered and journaled): the worker stops (hands the run back).
    const drain = new AbortController();
    const stopSoon = (): void => drain.abort();
    // A job BullMQ handed over as the worker began to stop starts stopped.
    const forget = [onAbort(stopping.signal, stop), onAbort(draining.signal, stopSoon)];
    lock.onLost(stop);
    running += 1;
    // The run ended with this job (not handed back, not held by another worker) and what lies beyond its keys is not done yet.
    let ending = true;
    // Beyond the run's own keys, at its end: its bundle lives as long as the longest kept run of it
    // (none on a key Redis lost), and the runs list drops a few runs that expired. The run's result stands if these fail.
    const beyond: RunEndKeys = { runs: keys.runs, runPrefix: keys.runPrefix, keepSeconds: keepSecondsOf(job.opts, 'completed') };
    try {
      const state = new QueuedRunState(redis, keys, data.runId, options.outputsDir, lock, filesStored > 0);
      // A result saved for the run as its journal stands (see `savedResult`).
      if (savedText && savedBytes === String(journal?.length ?? 0)) return JSON.parse(savedText) as RunJobResult;
      const bundleDir = path.join(options.dataDir, 'bundles', data.bundle);
      if (!knownSop && bundleText === null) throw bundleGone(data.runId, data.bundle);
      const sopFile = knownSop ?? materializeBundle(readBundle(bundleText ?? null, data.bundle), path.join(options.dataDir, 'bundles'));
      sopFiles.set(data.bundle, sopFile);
      // What goes to the submitter names the SOP as it was submitted, not this worker's bundle folder.
      const places: SopPlaces = { bundleDir: path.resolve(bundleDir), shown: shown || path.basename(sopFile) };
      const runsDir = path.join(local, 'runs');
      const workspace = path.join(local, 'workspace');
      guardWrite(workspace, () => mkdirSync(workspace, { recursive: true }));
      const resume = await resumePoint(state, journal ?? Buffer.alloc(0), runsDir, workspace);
      if (resume?.checkpoint.status === 'completed') return await completedElsewhere(redis, keys.run(data.runId), state, lockMs, lock);
      emit({ type: 'job-started', jobId: job.id as string, runId: data.runId, resumed: resume !== undefined });
      const progress = new ProgressBatches(job);
      const running = options.run({
        job: data,
        sopFile,
        bundleDir,
        runsDir,
        workspace,
        replica: state.replica,
        resume,
        sharedLimits,
        signal: abort.signal,
        drain: drain.signal,
        onEvent: (event) => {
          if (event.type === 'artifact-written') void state.saveFile(workspace, event.path).catch(() => undefined);
          progress.add(submittedValue(event, places));
        },
      });
      // A run Redis lost stops at its next step (a write refused, or the lock's heartbeat): that is why it ended, however it ended.
      const result = await running.catch((error: unknown) => Promise.reject(lock.isGone ? runGone(data.runId) : submittedError(error, places)));
      if (lock.isGone) throw runGone(data.runId);
      // Sent now, awaited below: BullMQ sends the job's end on the same connection, after it.
      const flushed = progress.flush();
      if (result.status === 'interrupted' && (abort.signal.aborted || drain.signal.aborted)) {
        await flushed;
        ending = false;
        if (lock.isLost) throw new SopError('RUN_LOCKED', `run ${data.runId}: another worker took the run over (this one could not renew its lock for ${lockMs} ms)`, { hint: 'that worker continues it from its journal' });
        // Handed back: the next worker resumes it from its journal.
        emit({ type: 'job-handed-back', jobId: job.id as string, runId: data.runId });
        // When, for `sop runs --queue` (it shows the run `interrupted`, not BullMQ's `delayed`); a refused write does not stop the hand-back.
        await lock.fenced('hset', keys.run(data.runId), 'handedBack', new Date().toISOString()).catch(() => undefined);
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      await state.settled();
      const workspaceWrites = state.workspaceWrites(workspace);
      const outcome: RunJobResult = { runId: data.runId, status: result.status, exitCode: result.exitCode, report: submittedValue(withWorkerHint(result.report, options), places), files: await state.files() };
      // Valid while the journal is what this run left (every write of it is in Redis: `runSop` waited for them).
      const journalBytes = statSync(path.join(result.runDir, JOURNAL_FILE)).size;
      // The workspace's files, the result, how long the run is kept now that it ended (its job's own
      // options say: see `keepSecondsOf`) and the lock's release, fenced like every write of the run,
      // with what lies beyond the run's keys: one script, one round trip.
      const keep = String(beyond.keepSeconds);
      const expiries: FencedWrite[] = [keys.run(data.runId), keys.journal(data.runId), keys.artifacts(data.runId)].map((key) => ['expire', key, keep]);
      await lock.finish([...workspaceWrites, ['hset', keys.run(data.runId), 'result', JSON.stringify(outcome), 'resultJournalBytes', String(journalBytes), 'status', result.status], ...expiries], beyond).catch((error: unknown) => {
        // Refused after the script did what lies beyond; else (Redis lost under it) `finally` does it.
        if (isFenceRefusal(error)) ending = false;
        throw error;
      });
      ending = false;
      await flushed;
      const storage = result.exitCode === EXIT.STORAGE_FAILED ? outcome.report.error : undefined;
      emit({ type: 'job-completed', jobId: job.id as string, runId: data.runId, status: result.status, exitCode: result.exitCode, durationMs: Math.round(performance.now() - started), ...(storage ? { storageError: storage } : {}) });
      return outcome;
    } finally {
      // Before `running` drops: a stop that finds no run left waits only for the removals already
      // begun (`close`), and this job's awaits below may outlast it.
      removeLater(local);
      running -= 1;
      for (const off of forget) off();
      await lock.release();
      if (ending) await runEndedBeyond(redis, keys.bundle(data.bundle), beyond);
    }
  };

  // Redis away: said once, and once when it is back (its own connection and BullMQ's all ready again); nothing once stopping.
  const lostAndBack = new ConnectionWatch();
  lostAndBack.onChange((state, why) => emit(state === 'lost' ? { type: 'redis-lost', message: why.replaceAll(options.address.url, options.address.shown) } : { type: 'redis-back' }));
  draining.signal.addEventListener('abort', () => lostAndBack.end());
  lostAndBack.watch(redis);
  // BullMQ's two connections (commands: the one given; the blocking wait for jobs: a copy) are made
  // by sop: they wait for Redis at start-up rather than fail for good when it goes away at that moment.
  const connections: Redis[] = [];
  const worker = new Worker(options.queue, processor, {
    connection: eagerConnection(options.address, (connection) => {
      connections.push(connection);
      lostAndBack.watch(connection);
    }),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    maxStalledCount: 10,
    autorun: true,
  });
  worker.on('failed', (job, error) => {
    if (error instanceof DelayedError) return;
    const hint = isSopError(error) ? error.hint : undefined;
    emit({ type: 'job-failed', jobId: job?.id ?? '?', error: { code: isSopError(error) ? error.code : 'INTERNAL', message: error.message, ...(hint === undefined ? {} : { hint }) } });
  });
  worker.on('error', (error) => {
    if (isConnectionLost(error)) return lostAndBack.lose(error.message);
    // BullMQ's lock of a job Redis lost cannot be renewed: said only if the run's own heartbeat (as often) did not find the run lost meanwhile.
    const unrenewed = /^could not renew lock for job (\S+)$/.exec(error.message)?.[1];
    if (unrenewed !== undefined) {
      const warning = { type: 'worker-error', message: error.message } as const;
      setTimeout(() => lostJobs.has(unrenewed) || draining.signal.aborted || emit(warning), lockMs).unref();
      return;
    }
    if (!lostAndBack.isLost) emit({ type: 'worker-error', message: error.message.replaceAll(options.address.url, options.address.shown) });
  });
  try {
    await worker.waitUntilReady();
  } catch (error) {
    // A safety net: its connections wait out a lost Redis; anything else that loses it here is said clearly.
    draining.abort();
    stopping.abort();
    for (const connection of connections) connection.disconnect();
    void worker.close().catch(() => undefined);
    redis.disconnect();
    if (!isConnectionLost(error)) throw error;
    throw new SopError('QUEUE_UNREACHABLE', `lost the connection to Redis at ${options.address.shown} as the worker started: ${(error as Error).message.replaceAll(options.address.url, options.address.shown)}`, {
      hint: 'start the worker again once Redis is back',
    });
  }
  // The queue's depth (metrics), read on a connection of its own made at the first scrape: it
  // connects at once and retries until Redis answers (a lazy one made during an outage never would).
  let counts: { queue: Queue; connection: Redis } | undefined;

  return {
    close: async ({ drainMs = 0, onCutOff }: CloseOptions = {}) => {
      draining.abort();
      const cutOff = (): void => {
        if (running > 0) onCutOff?.(running);
        stopping.abort();
      };
      if (drainMs <= 0) stopping.abort();
      const deadline = drainMs > 0 ? setTimeout(cutOff, drainMs) : undefined;
      // BullMQ's close waits for Redis, even with no run of this worker's left to hand back there:
      // with Redis away and none left, nothing is lost by not waiting (an idle worker's SIGTERM hung
      // until Redis came back). A run still handing itself back is waited for (a second signal quits).
      const nothingToHandBack = (): boolean => running === 0 && [redis, ...connections].some((connection) => connection.status !== 'ready');
      await settledOr(worker.close(), nothingToHandBack);
      clearTimeout(deadline);
      stopping.abort();
      await Promise.all(removals);
      // BullMQ leaves the connections it was given open (and closes a copy still connecting only once Redis answers): ended here.
      for (const connection of connections) connection.disconnect();
      if (counts) {
        counts.connection.disconnect();
        await settledOr(counts.queue.close().catch(() => undefined), nothingToHandBack);
      }
      redis.disconnect();
    },
    depth: () => {
      if (!counts) {
        const connection = redisConnection(options.address, { lazyConnect: false });
        const queue = new Queue(options.queue, { connection });
        queue.on('error', () => undefined); // reconnects on its own
        counts = { queue, connection };
      }
      return queueDepth(counts.queue);
    },
  };
}

/** Waits for `promise` to settle, or only until `enough()` holds (looked at every 100 ms). */
async function settledOr(promise: Promise<unknown>, enough: () => boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const given = new Promise<void>((resolve) => {
    timer = setInterval(() => enough() && resolve(), 100);
  });
  try {
    await Promise.race([promise, given]);
  } finally {
    clearInterval(timer);
  }
}

/** Calls `then` when `signal` aborts, at once if it has; returns what stops listening. */
function onAbort(signal: AbortSignal, then: () => void): () => void {
  if (signal.aborted) {
    then();
    return () => undefined;
  }
  signal.addEventListener('abort', then, { once: true });
  return () => signal.removeEventListener('abort', then);
}

/** How long events wait to go as one progress update: a submitter sees them this much later at most. */
const PROGRESS_BATCH_MS = 20;

/**
 * A run's events as job progress (BullMQ `updateProgress`: one Redis script and one queue event
 * each): the events of `PROGRESS_BATCH_MS` go as one update, `{events: [...]}` (a run's start
 * and each action's events, a handful of updates instead of one per event).
 */
class ProgressBatches {
  private pending: RunEvent[] = [];

  constructor(private readonly job: Job) {}

  add(event: RunEvent): void {
    if (this.pending.length === 0) setTimeout(() => void this.flush(), PROGRESS_BATCH_MS).unref();
    this.pending.push(event);
  }

  /** Sends what is pending; awaited at the run's end, so the submitter sees the last events before the job completes. */
  flush(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    const events = this.pending;
    this.pending = [];
    return this.job.updateProgress({ events } as unknown as object).catch(() => undefined);
  }
}

/**
 * The result a worker saved for the run as its journal stands (one that died, or lost the run,
 * between saving it and completing the job); none once the journal went on (a resumed run).
 */
async function savedResult(redis: Redis, key: string, state: QueuedRunState): Promise<RunJobResult | undefined> {
  const [result, bytes] = await redis.hmget(key, 'result', 'resultJournalBytes');
  if (!result || bytes !== String(await state.journalBytes())) return undefined;
  return JSON.parse(result) as RunJobResult;
}

/**
 * The journal says the run completed, yet its result is not saved: the worker that ran it lost it
 * in the moment between (its lock expired while Redis was away). It saves the result next; wait for it.
 * The run's lock is let go first: that worker's last write is fenced, refused while another holds
 * the run (this worker writes nothing more of it; its job, still this worker's, keeps others off).
 */
async function completedElsewhere(redis: Redis, key: string, state: QueuedRunState, lockMs: number, lock: RedisRunLock): Promise<RunJobResult> {
  await lock.release();
  const deadline = Date.now() + lockMs * 2;
  for (;;) {
    const saved = await savedResult(redis, key, state);
    if (saved) return saved;
    if (Date.now() > deadline) {
      throw new SopError('RUN_NOT_RESUMABLE', `run ${state.runId} completed, but the worker that ran it did not save its result`, { hint: 'its journal is complete in Redis; submit the run again for a new result' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Where a run taken over continues: its journal from Redis into a run folder on this machine, and
 * its workspace files back in place. None when the run never reached its first boundary (nothing
 * was answered yet: it starts again from the beginning).
 */
async function resumePoint(state: QueuedRunState, journal: Buffer, runsDir: string, workspace: string): Promise<(ResumePoint & { runDir: string }) | undefined> {
  if (journal.length === 0) return undefined;
  const runDir = path.join(runsDir, state.runId);
  const file = path.join(runDir, JOURNAL_FILE);
  guardWrite(file, () => {
    mkdirSync(runDir, { recursive: true });
    writeFileSync(file, journal);
  });
  let point: ResumePoint;
  try {
    point = readResumePoint(runDir);
  } catch (error) {
    if (!isSopError(error) || error.code !== 'RUN_NOT_RESUMABLE') throw error;
    await state.dropJournal();
    rmSync(runDir, { recursive: true, force: true });
    return undefined;
  }
  await state.restoreWorkspace(workspace);
  // The workspace is this machine's: the one the run was recorded with was another worker's.
  return { ...point, checkpoint: { ...point.checkpoint, workspace }, runDir };
}

/**
 * A run's report whose error is this worker's to fix has the worker's hint: a storage error (its
 * workspace or record here: see `workerStorageHint`), or a command the worker does not have (the
 * local hint's "is it on PATH?" sends the submitter to their own machine, where it may well be).
 */
function withWorkerHint(report: RunReport, folders: WorkerOptions): RunReport {
  const { error } = report;
  const hint = error && (workerStorageHint(error, folders) ?? missingCommandHint(error));
  if (!error || hint === undefined) return report;
  return { ...report, error: { ...error, hint }, ...(report.hint !== undefined && report.hint === error.hint ? { hint } : {}) };
}

/** The hint of a command the worker could not find (`COMMAND_FAILED`, `cannot run "X": command not found`). */
function missingCommandHint(error: { code: string; message: string }): string | undefined {
  const program = error.code === 'COMMAND_FAILED' ? /cannot run "(.*)": command not found$/.exec(error.message)?.[1] : undefined;
  if (program === undefined) return undefined;
  return `"${program}" is not installed on the worker that ran the run, or not on its PATH: a queued run's commands run on its worker; install the program on every worker of the queue and continue the run through the queue, or run without --queue (commands run without a shell, so shell built-ins and pipes are not available)`;
}
