import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CODES, isSopError, SopError, type ErrorCode } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import type { RunEvent, RunReport, RunResult } from '../runtime/index.js';
import { DEFAULT_SOP_COMMAND, resumeCommand, typedAs } from '../runtime/resume-target.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { createRunId, JOURNAL_FILE, RUN_FILES } from '../store/index.js';
import { bundleOf } from './bundle.js';
import { connectRedis } from './connection.js';
import { queueDepth } from './depth.js';
import { isConnectionLost, type ConnectionListener } from './connection-watch.js';
import { FollowConnection, HELD_LIMITS, lastEntryId, type HeldLimits, type JobEvent } from './follow-connection.js';
import { homeJournal, submittedSop } from './home-copy.js';
import { readRunJob, type RunJobData } from './job.js';
import { REDIS_LOSES_RUNS, submitAgain } from './lost-run.js';
import { DEFAULT_QUEUE, queueArgs, queueKeys, type QueueKeys } from './keys.js';
import { DAY_SECONDS, DEFAULT_KEEP_DAYS, keepOptions } from './retention.js';
import type { RedisAddress } from './redis-url.js';
import { contentOf, type StoredFile } from './run-state.js';
import { safeRelative } from './paths.js';
import { requireQueueKey, sealInputs, secretInputNames, type QueueKey } from './sealed-inputs.js';
import type { RunJobResult } from './worker.js';
import { RUNNER_VERSION } from '../version.js';

/** A queued run as `sop runs --queue` lists it. */
export interface QueuedRunSummary {
  runId: string;
  sop: string;
  submitted: string;
  /**
   * BullMQ's state of its latest job (`waiting`, `active`, `completed`, `failed`; `gone` when Redis
   * no longer has it), or `interrupted`: handed back by a draining worker (SIGTERM), waiting for a
   * worker to continue it (BullMQ holds it as `delayed`, with no delay).
   */
  state: string;
  status: string | undefined;
  /** When a draining worker handed the run back, while it waits for a worker (`state` `interrupted`). */
  handedBack?: string;
  /** The latest job, whose state `state` is: a resume decided from it claims the run only while it is still the latest (`QueueClient.resume`). */
  job?: string;
}

/**
 * A command that met a lost connection (Redis restarting: `isConnectionLost`) or a server still
 * loading its data: asked again while following, else one clear `QUEUE_UNREACHABLE` error.
 */
const connectionLost = (error: unknown): boolean => isConnectionLost(error) || (error instanceof Error && /^LOADING /.test(error.message));

/** Why a queue's Redis no longer has a run it had. */
const LOST_BECAUSE = `${REDIS_LOSES_RUNS}, or the run ended longer ago than it was kept: 7 days unless --queue-keep-days said otherwise`;

/** The hint of a read that lost Redis: nothing changed, asking again is safe. */
const AGAIN = 'run the command again once Redis is back';

/** How long a follower waits for the event stream to read a job's events once the job ended (see `caughtUp`). */
const CATCH_UP_MS = 30_000;

/** How many runs' latest jobs a client remembers (`QueueClient.added`): a program that queues and never follows holds no more. */
const ADDED_LIMIT = 1000;

/** A job's states before it ends. */
const QUEUED_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Queues a run again only if its latest job is still the one the resume found ended (ARGV[1]):
 * sets the new job and its data and clears the last result and failure (a worker would otherwise
 * return the old result), and takes the expiry off the run's keys (KEYS: its facts, journal and
 * files; an ended run's are kept for a time only, a queued one's for good) and off its bundle's (KEYS[4]:
 * kept while a run of it is queued), in one step. Returns nothing when it did, else the data of the job that
 * replaced it (another resume's), or 1 when a worker saved the run completed: a completed run has
 * nothing to continue, and clearing its saved result would lose it (its next worker finds the
 * journal complete and no result: RUN_NOT_RESUMABLE).
 */
const CLAIM_RESUME = `
if (redis.call('HGET', KEYS[1], 'job') or '') ~= ARGV[1] then return redis.call('HGET', KEYS[1], 'data') or '' end
if redis.call('HGET', KEYS[1], 'status') == 'completed' then return 1 end
redis.call('HSET', KEYS[1], 'job', ARGV[2], 'data', ARGV[3])
redis.call('HDEL', KEYS[1], 'failure', 'result', 'resultJournalBytes', 'status')
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[2])
redis.call('PERSIST', KEYS[3])
redis.call('PERSIST', KEYS[4])
return false
`;

/** Submits queued runs and follows them: what `sop run --queue`, `sop resume --queue` and `sop runs --queue` use. */
export class QueueClient {
  private constructor(
    private readonly address: RedisAddress,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly keys: QueueKeys,
    /** The client's connection and, once following, the event stream's: lost/back and closing. */
    private readonly connection: FollowConnection,
    /** How long the runs it queues are kept once they end (docs/queue.md, "Retention"). */
    private readonly keepSeconds: number,
    /** Seals the secret inputs of the runs it queues (SOP_QUEUE_KEY: `readQueueKey`); without it such a run is refused. */
    private readonly key: QueueKey | undefined,
    /** How its hints type `sop` (`RunOptions.sopCommand`): the way the command using it was started. */
    private readonly sopCommand: string,
  ) {}

  /**
   * `keepDays`: how long the runs it queues are kept in Redis once they end (default 7). `held`: how
   * much it holds of the events of runs it queued and nobody follows yet (`HELD_LIMITS`). `key`:
   * seals the secret inputs of the runs it queues (`readQueueKey`; docs/queue.md, "Secrets").
   * `sopCommand`: how its hints, and the workers' it passes on, type `sop` (default `sop`).
   */
  static async open(
    address: RedisAddress,
    queue: string,
    { keepDays = DEFAULT_KEEP_DAYS, held = HELD_LIMITS, key, sopCommand = DEFAULT_SOP_COMMAND }: { keepDays?: number; held?: HeldLimits; key?: QueueKey | undefined; sopCommand?: string } = {},
  ): Promise<QueueClient> {
    const redis = await connectRedis(address);
    // The queue's commands share the client's connection: Redis runs them in the order sent, so a
    // job is added after the writes it needs without waiting for their reply (BullMQ does not close it).
    const jobs = new Queue(queue, { connection: redis });
    jobs.on('error', () => undefined); // reconnects on its own (a Redis restart); commands wait meanwhile
    return new QueueClient(address, redis, jobs, queueKeys(queue), new FollowConnection(address, queue, redis, jobs.toKey('events'), held), Math.round(keepDays * DAY_SECONDS), key, sopCommand);
  }

  /**
   * Stores the SOP's bundle (once per hash; `extra`: more files by bundle path, see `bundleOf`) and
   * queues a run of it; returns the run id. The bundle, the run's facts and its place in the list
   * (a pipeline), then the job, in one round trip: one connection, so Redis stores them before the
   * job a worker could take. Secret inputs travel sealed (`sealInputs`); without a key such a run
   * is refused before anything is sent. `followed: false` (`--detach`): nothing follows the run from
   * this client, so neither its events nor where the event stream stood are kept.
   */
  async submit(sop: ResolvedSop, request: Omit<RunJobData, 'v' | 'runId' | 'bundle' | 'sop' | 'sealed'>, extra: Record<string, Buffer> = {}, { followed = true }: { followed?: boolean } = {}): Promise<string> {
    const secrets = secretInputNames(sop, request.inputs);
    requireQueueKey(secrets, this.key);
    const bundle = this.bundleFor(sop, extra);
    const runId = createRunId(new Date());
    const inputs = this.key && secrets.length > 0 ? sealInputs(runId, request.inputs, secrets, this.key) : { inputs: request.inputs };
    const data = readRunJob({ v: 1, runId, bundle: bundle.hash, sop: sop.name, ...request, ...inputs }, runId);
    const pipeline = this.redis.pipeline();
    // The event stream's start, read before the job is added (first on this connection): a worker
    // waiting for jobs starts the run at once, before the follower's stream opens.
    const marking = followed && this.connection.markNeeded;
    if (marking) pipeline.xrevrange(this.eventsKey, '+', '-', 'COUNT', 1);
    if (!this.stored.has(bundle.hash)) pipeline.set(this.keys.bundle(bundle.hash), bundle.text, 'NX');
    // Queued: kept for good, however long the run waits or runs; the run's end sets its expiry (as long as the longest kept run of it).
    pipeline.persist(this.keys.bundle(bundle.hash));
    // The SOP as submitted (`file`, `shown`): what the run's brought-home copies name (`homeJournal`), not the worker's bundle.
    pipeline.hset(this.keys.run(runId), 'sop', sop.name, 'file', sop.file, 'shown', sop.displayPath, 'submitted', new Date().toISOString(), 'job', runId, 'data', JSON.stringify(data), 'sopVersion', RUNNER_VERSION);
    pipeline.zadd(this.keys.runs, Date.now(), runId);
    if (followed) this.connection.expect(runId);
    await this.reaching(async () => {
      const [written] = await Promise.all([pipeline.exec(), this.queue.add('run', data, { jobId: runId, ...keepOptions(this.keepSeconds) })]);
      for (const [error] of written ?? []) if (error) throw error;
      if (marking) this.connection.startAt(lastEntryId(written?.[0]?.[1]));
    }, `run ${runId} may be queued or not: list queued runs with \`${this.sopCommand} runs ${this.queueArgs}\``);
    this.stored.add(bundle.hash);
    if (followed) this.remember(runId, runId);
    return runId;
  }

  /** The job this client last added for each run it queued (`follow` reads its state with the run's facts): at most `ADDED_LIMIT`, the oldest dropped first. */
  private readonly added = new Map<string, string>();

  private remember(runId: string, jobId: string): void {
    this.added.delete(runId);
    this.added.set(runId, jobId);
    for (const oldest of this.added.keys()) {
      if (this.added.size <= ADDED_LIMIT) break;
      this.added.delete(oldest);
    }
  }

  /** Bundles made by this client, by loaded SOP and extra files: an eval submits one SOP many times. */
  private readonly bundles = new WeakMap<ResolvedSop, Map<string, { hash: string; text: string }>>();
  /** Bundle hashes this client stored (`SET NX` once, not once per run). */
  private readonly stored = new Set<string>();

  private bundleFor(sop: ResolvedSop, extra: Record<string, Buffer>): { hash: string; text: string } {
    const key = Object.entries(extra).map(([name, content]) => `${name}:${content.toString('base64')}`).join('\0');
    let made = this.bundles.get(sop);
    if (!made) this.bundles.set(sop, (made = new Map()));
    let bundle = made.get(key);
    if (!bundle) {
      const files = bundleOf(sop, extra);
      bundle = { hash: files.hash, text: JSON.stringify(files) };
      made.set(key, bundle);
    }
    return bundle;
  }

  /**
   * Tells `listener` once when Redis is lost and once when it is back (ioredis reconnects by itself;
   * commands wait meanwhile), so a follower can say why nothing moves: lost when the client's
   * connection or the event stream's drops, back when every one is ready again.
   */
  watchConnection(listener: ConnectionListener): void {
    this.connection.onChange(listener);
  }

  /**
   * QUEUE_RUN_NOT_FOUND naming the queue looked in: a mistyped id, or a run its Redis no longer has
   * (`lost`); the hint lists its runs (the user's queue, not a placeholder).
   */
  private notFound(runId: string): SopError {
    return new SopError('QUEUE_RUN_NOT_FOUND', `queue ${this.queue.name} on ${this.address.shown} has no run ${runId}: the id is mistyped, or its Redis no longer has the run (${LOST_BECAUSE})`, {
      hint: `list its runs with \`${this.sopCommand} runs ${this.queueArgs}\`; ${submitAgain(this.sopCommand)}`,
    });
  }

  /** QUEUE_RUN_NOT_FOUND of a run this command found in the queue before (it queued or followed it): Redis lost it under the run. */
  private lost(runId: string): SopError {
    return new SopError('QUEUE_RUN_NOT_FOUND', `queue ${this.queue.name} on ${this.address.shown} no longer has run ${runId}, which it had when this command began: its Redis lost it (${LOST_BECAUSE})`, {
      hint: `the run cannot be continued or brought home; ${submitAgain(this.sopCommand)}`,
    });
  }

  /** `--queue URL` (credentials masked) and `--queue-name` when not the default, for hints. */
  private get queueArgs(): string {
    return queueArgs(this.address.shown, this.queue.name);
  }

  /** The command that continues (or follows) a run through this queue, for hints. */
  private resumeCommand(runId: string): string {
    return `${resumeCommand(runId, this.sopCommand)} ${this.queueArgs}`;
  }

  /** Runs commands whose loss of Redis cannot be waited out (a pipeline cut in the middle): one clear error saying what to do, never an internal one. */
  private async reaching<T>(commands: () => Promise<T>, hint: string): Promise<T> {
    try {
      return await commands();
    } catch (error) {
      if (!connectionLost(error)) throw error;
      throw new SopError('QUEUE_UNREACHABLE', `lost the connection to Redis at ${this.address.shown}: ${(error as Error).message}`, { hint });
    }
  }

  /**
   * Queues a run again to continue from its journal (`sop resume RUN --queue`): a new job of the
   * same run, with a budget or round limit given again winning, and the decision for the human
   * gates it awaits (`--approve`, `--reject`) for this job only. False when a worker saved the run
   * completed since the resume looked (nothing queued: follow it to bring its result home).
   * `seen`: the job the resume decided from (`QueuedRunSummary.job`): the run is claimed only while
   * it is still the latest, else refused as queued by another resume (its job may have ended since,
   * paused at another gate than the one this decision was for).
   */
  async resume(runId: string, change: { investment?: number; nRound?: number; decision?: RunJobData['decision'] }, seen?: string): Promise<boolean> {
    return this.reaching(() => this.queueAgain(runId, change, seen), `see where run ${runId} stands with \`${this.sopCommand} runs ${this.queueArgs}\`, then resume it again`);
  }

  private async queueAgain(runId: string, change: { investment?: number; nRound?: number; decision?: RunJobData['decision'] }, seen: string | undefined): Promise<boolean> {
    const [text, job] = await this.redis.hmget(this.keys.run(runId), 'data', 'job');
    if (!text) throw this.notFound(runId);
    const running = job ? await Job.fromId(this.queue, job) : undefined;
    const state = running ? await running.getState() : 'unknown';
    if (QUEUED_STATES.has(state)) {
      // A job of a resume (not the run's first): another resume queued it since this one looked.
      if (job !== runId) throw this.alreadyQueued(runId, text);
      // Read after the state, as `summary` does: a draining worker marks the run before it delays its job.
      const handedBack = state === 'delayed' && (await this.redis.hget(this.keys.run(runId), 'handedBack'));
      const shown = handedBack ? 'interrupted: handed back by a draining worker, waiting for a worker' : state;
      throw new SopError('USAGE', `run ${runId} is still queued or running (${shown})`, { hint: `follow it: ${this.resumeCommand(runId)}` });
    }
    const { decision: _earlier, ...before } = JSON.parse(text) as RunJobData;
    const data = readRunJob({ ...before, ...change }, runId);
    const jobId = `${runId}-r${Date.now()}`;
    // The run's latest job is replaced only if it is still the ended one the resume decided from
    // (`seen`, else the one read above): of two resumes at once, one queues the run again; the
    // other is refused with the decision that won, even when that one's job ended already.
    // As `submit`: the stream's start, read before the job is added (with the claim: one round trip;
    // unused when the claim is refused), and its events kept for the follower.
    const [taken, mark] = await Promise.all([
      this.redis.eval(CLAIM_RESUME, 4, this.keys.run(runId), this.keys.journal(runId), this.keys.artifacts(runId), this.keys.bundle(data.bundle), seen ?? job ?? '', jobId, JSON.stringify(data)),
      this.connection.markNeeded ? this.lastEventId() : undefined,
    ]);
    if (typeof taken === 'string') throw this.alreadyQueued(runId, taken);
    if (taken === 1) return false;
    if (mark !== undefined) this.connection.startAt(mark);
    this.connection.expect(jobId);
    await this.queue.add('run', data, { jobId, ...keepOptions(this.keepSeconds) });
    this.remember(runId, jobId);
    return true;
  }

  /**
   * The SOP file a run was submitted from (`file`, and `shown` as typed) and its bundle's hash, when
   * Redis no longer has that bundle (expired or evicted while the run waited); undefined when it has.
   */
  async lostBundle(runId: string): Promise<{ file: string; shown: string; hash: string } | undefined> {
    return this.reaching(async () => {
      const [text, file, shown] = await this.redis.hmget(this.keys.run(runId), 'data', 'file', 'shown');
      if (!text) throw this.notFound(runId);
      const hash = (JSON.parse(text) as RunJobData).bundle;
      if ((await this.redis.exists(this.keys.bundle(hash))) === 1 || !file) return undefined;
      return { file, shown: shown || file, hash };
    }, AGAIN);
  }

  /** Stores `sop`'s bundle again for a run whose bundle Redis lost (`lostBundle`): only when it is that bundle (`hash`); false, storing nothing, when it is not. */
  async restoreBundle(sop: ResolvedSop, hash: string): Promise<boolean> {
    const bundle = this.bundleFor(sop, {});
    if (bundle.hash !== hash) return false;
    await this.reaching(() => this.redis.set(this.keys.bundle(hash), bundle.text, 'NX'), AGAIN);
    return true;
  }

  /**
   * The refusal of a decision for a run another resume queued to continue (its job waiting or
   * running): undefined when its latest job is not a resume's, or has ended.
   */
  async queuedByResume(runId: string): Promise<SopError | undefined> {
    return this.reaching(async () => {
      const [text, job] = await this.redis.hmget(this.keys.run(runId), 'data', 'job');
      if (!job || job === runId) return undefined;
      return QUEUED_STATES.has(await this.queue.getJobState(job)) ? this.alreadyQueued(runId, text ?? undefined) : undefined;
    }, AGAIN);
  }

  /** RUN_LOCKED (exit 13, as two local resumes of a run): the run was queued to continue by another resume, whose decision stands. */
  alreadyQueued(runId: string, data: string | undefined): SopError {
    let decision: RunJobData['decision'];
    try {
      decision = data === undefined ? undefined : (JSON.parse(data) as RunJobData).decision;
    } catch {
      decision = undefined;
    }
    const with_ = decision?.kind === 'approve' ? ', with --approve' : decision?.kind === 'reject' ? `, with --reject ${JSON.stringify(decision.feedback)}` : '';
    return new SopError('RUN_LOCKED', `run ${runId} is already queued to continue by another sop resume${with_}`, {
      hint: `that resume's decision is the one applied; follow the run: ${this.resumeCommand(runId)} (no decision flag), and decide again if it pauses again`,
    });
  }

  /**
   * Follows a run's latest job to its end: each event as the worker reports it, then the result.
   * A job that failed (refused, or the worker could not run it) throws its error.
   */
  async follow(runId: string, onEvent: (event: RunEvent) => void, onNote: (text: string) => void = () => undefined): Promise<RunJobResult> {
    let jobId: string | undefined;
    // Its job was refused (RUN_LOCKED) by a worker while another worker still runs the run: said once.
    let heldElsewhere = false;
    let stopListening: () => void = () => undefined;
    // An end event that came while the loop was reading the state wakes the next wait at once.
    let ended = false;
    let wake: () => void = () => {
      ended = true;
    };
    // The job's end as its event carried it (the result of a completed one: no read after the event).
    let end: Exclude<JobEvent, { kind: 'progress' }> | undefined;
    const onJobEvent = (event: JobEvent): void => {
      if (event.kind !== 'progress') {
        end = event;
        wake();
        return;
      }
      const batch = (event.data as { events?: unknown } | null)?.events;
      if (Array.isArray(batch)) for (const reported of batch) onEvent(reported as RunEvent);
    };
    try {
      for (;;) {
        if (end?.kind === 'completed' && isRunJobResult(end.returnvalue)) return end.returnvalue;
        let state: string;
        // Every command of the loop, opening the event stream too, is asked again when Redis was lost under it.
        try {
          let read: string | undefined;
          if (jobId === undefined) {
            // A job this client added is most likely still the run's latest: its state is read with the
            // run's facts, one round trip (another resume may have replaced it since: then read again).
            const added = this.added.get(runId);
            // Listened to before the stream reads: it may read the job's first events at once.
            if (added !== undefined) {
              stopListening = this.connection.listen(added, onJobEvent);
              await this.connection.events();
            }
            const [found, addedState] = await Promise.all([this.redis.hget(this.keys.run(runId), 'job'), added === undefined ? undefined : this.queue.getJobState(added)]);
            if (!found) throw this.lost(runId);
            jobId = found;
            if (found === added) read = addedState;
            else {
              stopListening();
              stopListening = this.connection.listen(jobId, onJobEvent);
            }
          }
          await this.connection.events();
          state = read ?? (await this.queue.getJobState(jobId));
          if (state === 'completed' || state === 'failed') {
            // Its events came before its end: read them first (a job that ended before the stream read).
            if (end === undefined) await this.caughtUp();
            if (end?.kind === 'completed' && isRunJobResult(end.returnvalue)) return end.returnvalue;
          }
          if (state === 'completed') {
            // Read after the state: a job read before it completed has no result yet.
            const job = await Job.fromId(this.queue, jobId);
            return (job?.returnvalue as RunJobResult | undefined) ?? JSON.parse((await this.redis.hget(this.keys.run(runId), 'result')) ?? 'null');
          }
          if (state === 'failed') {
            // Read after the state: a job can fail while its run goes on (a stalled job handed to a
            // second worker, refused RUN_LOCKED while the first still held the run); a result the
            // holder saved since is the run's (a resume's claim clears it before any new job).
            const [saved, failure, latest, held] = await this.runAfterFailure(runId);
            if (saved) return JSON.parse(saved) as RunJobResult;
            // Another resume queued the run again since: follow its job.
            if (latest !== null && latest !== jobId) {
              stopListening();
              jobId = undefined;
              continue;
            }
            if (failedCode(failure) === 'RUN_LOCKED') {
              // Not the run's failure: it goes on on the worker that holds it, whose events and result
              // come here as its job's would (BullMQ handed that job on while it ran). Waited for.
              if (held) {
                if (!heldElsewhere) onNote(`run ${runId} is already running on another worker (a second worker took its job and left the run to the one holding it); following it there`);
                heldElsewhere = true;
                state = 'held';
              } else throw this.leftUnsaved(runId);
            }
            if (state !== 'held') throw await this.failure(runId, (await Job.fromId(this.queue, jobId))?.failedReason);
          }
        } catch (error) {
          // A command caught by a Redis restart: the run goes on on its worker; ask again once Redis is back.
          if (this.connection.closed || !connectionLost(error)) throw error;
          state = 'unreachable';
        }
        if (state === 'unknown') throw this.lost(runId);
        // Woken by the job's end event; polled too, as events may be missed while Redis restarts.
        if (ended) {
          ended = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, state === 'unreachable' ? 250 : 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => {
          ended = true;
        };
      }
    } finally {
      stopListening();
    }
  }

  /** After its job failed: the run's saved result, failure and latest job, and whether a worker holds the run now (its run lock), in one round trip. */
  private async runAfterFailure(runId: string): Promise<[string | null, string | null, string | null, boolean]> {
    const replies = (await this.redis.multi().hmget(this.keys.run(runId), 'result', 'failure', 'job').exists(this.keys.runLock(runId)).exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const [saved, failure, latest] = replies[0]?.[1] as [string | null, string | null, string | null];
    return [saved, failure, latest, replies[1]?.[1] === 1];
  }

  /** The worker that held a followed run let it go without saving its result (it stopped), and no job of it is queued: the run waits for a resume. */
  private leftUnsaved(runId: string): SopError {
    return new SopError('RUN_INTERRUPTED', `run ${runId}: the worker that was running it stopped without saving its result, and no job of it is queued`, {
      hint: `its journal is in Redis: continue it from its last checkpoint with \`${this.resumeCommand(runId)}\``,
    });
  }

  /**
   * Waits for the event stream to have read every entry it holds now: a job that ended before the
   * follower's stream read has its events there (the stream reads from before the job was added).
   * Bounded, for a stream that cannot get there (flushed under it): the result stands without them.
   */
  private async caughtUp(): Promise<void> {
    const last = await this.lastEventId();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.connection.readPast(last), new Promise<void>((resolve) => (timer = setTimeout(resolve, CATCH_UP_MS).unref()))]);
    clearTimeout(timer);
  }

  /** The id of the event stream's newest entry (`0-0` when it has none). */
  private async lastEventId(): Promise<string> {
    return lastEntryId(await this.redis.xrevrange(this.eventsKey, '+', '-', 'COUNT', 1));
  }

  private get eventsKey(): string {
    return this.queue.toKey('events');
  }

  /**
   * A finished run brought home: its journal (from Redis) and `report.json` in a local run folder
   * `<runsDir>/<run id>`, its workspace files in `workspace`, so everything that reads a local run
   * (`sop runs`, `observeRun`, `sop eval`'s checks) reads it the same way. Returns it as `runSop` would.
   */
  async bringHome(runId: string, outcome: RunJobResult, folders: { runsDir: string; workspace: string }): Promise<RunResult> {
    const [journal, [file, shown]] = await this.reaching(async () => {
      await this.download(runId, outcome, folders.workspace);
      return Promise.all([this.redis.getBuffer(this.keys.journal(runId)), this.redis.hmget(this.keys.run(runId), 'file', 'shown')]);
    }, `bring it home again: ${this.resumeCommand(runId)}`);
    // The copy names the SOP as submitted and the local workspace, not the worker's temporary folders.
    const home = { sop: submittedSop(file, shown, outcome.report.sop.file), workspace: folders.workspace };
    const runDir = path.join(folders.runsDir, runId);
    mkdirSync(runDir, { recursive: true });
    writeFileAtomicSync(path.join(runDir, JOURNAL_FILE), homeJournal(journal ?? Buffer.alloc(0), home));
    const report: RunReport = { ...outcome.report, sop: { ...outcome.report.sop, file: home.sop.shown }, workspace: folders.workspace };
    writeFileAtomicSync(path.join(runDir, RUN_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
    // Its state is the journal in Redis, which a worker continues: it goes on through the queue only (`refuseQueuedCopy`).
    writeFileAtomicSync(path.join(runDir, RUN_FILES.queued), `${JSON.stringify({ queueArgs: this.queueArgs })}\n`);
    const failure = report.error;
    const error = failure && failure.code in CODES ? new SopError(failure.code as ErrorCode, failure.message, failure.hint ? { hint: typedAs(failure.hint, this.sopCommand) } : {}) : undefined;
    return { runId, runDir, workspace: folders.workspace, status: outcome.status, exitCode: outcome.exitCode, report, ...(error ? { error } : {}) };
  }

  /** Writes a finished run's workspace files into a local folder; returns how many. */
  async download(runId: string, result: RunJobResult, workspace: string): Promise<number> {
    const stored = await this.redis.hgetall(this.keys.artifacts(runId));
    let written = 0;
    for (const file of result.files) {
      const value = stored[file.path];
      if (value === undefined || !safeRelative(file.path)) continue;
      const content = contentOf(JSON.parse(value) as StoredFile);
      if (content === undefined) continue;
      const target = path.join(workspace, ...file.path.split('/'));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileAtomicSync(target, content);
      written += 1;
    }
    return written;
  }

  /**
   * Queued runs, newest first; a run no longer in Redis (kept its time, then expired) leaves the
   * list. `since` (epoch ms): only runs submitted since then; `keep`: only the runs it keeps, read
   * page by page until `limit` of them are found or the list ends.
   */
  async runs(limit = 100, { since, keep }: { since?: number; keep?: (run: QueuedRunSummary) => boolean } = {}): Promise<QueuedRunSummary[]> {
    return this.reaching(async () => {
      const listed: QueuedRunSummary[] = [];
      const page = keep ? Math.max(limit, 100) : limit;
      for (let offset = 0; listed.length < limit; ) {
        const ids = await this.redis.zrevrangebyscore(this.keys.runs, '+inf', since ?? '-inf', 'LIMIT', offset, page);
        const found = await Promise.all(ids.map((runId) => this.summary(runId).catch((error: unknown) => (isSopError(error) && error.code === 'QUEUE_RUN_NOT_FOUND' ? runId : Promise.reject(error)))));
        const gone = found.filter((run): run is string => typeof run === 'string');
        if (gone.length > 0) await this.redis.zrem(this.keys.runs, ...gone);
        for (const run of found) if (typeof run !== 'string' && listed.length < limit && (!keep || keep(run))) listed.push(run);
        if (ids.length < page) break;
        // The runs dropped from this page no longer come before the next one.
        offset += ids.length - gone.length;
      }
      return listed;
    }, AGAIN);
  }

  /** How many runs the queue's list holds (those `runs` would list with no bound). */
  async runCount(): Promise<number> {
    return this.reaching(() => this.redis.zcard(this.keys.runs), AGAIN);
  }

  /** One queued run: its SOP, when it was submitted, its latest job's state and, once it ended, its status. */
  async run(runId: string): Promise<QueuedRunSummary> {
    return this.reaching(() => this.summary(runId), AGAIN);
  }

  private async summary(runId: string): Promise<QueuedRunSummary> {
    const [sop, submitted, job] = await this.redis.hmget(this.keys.run(runId), 'sop', 'submitted', 'job');
    if (!sop) throw this.notFound(runId);
    const found = job ? await Job.fromId(this.queue, job) : undefined;
    const state = found ? await found.getState() : 'gone';
    // Read after the job's state: a worker saves the run's status before it completes the job, so a
    // status read first could predate a completion read next (a completed run taken for one that
    // ended short, and queued again by \`sop resume\`, losing its saved result).
    const [status, handedBack, failure] = await this.redis.hmget(this.keys.run(runId), 'status', 'handedBack', 'failure');
    // A worker delays a job only to hand its run back as it drains: not a run scheduled for later.
    const latest = job ? { job } : {};
    // A job a second worker refused (RUN_LOCKED) while the worker holding the run runs it: the run is active there.
    if (state === 'failed' && failedCode(failure) === 'RUN_LOCKED' && (await this.redis.exists(this.keys.runLock(runId))) === 1) {
      return { runId, sop, submitted: submitted ?? '?', state: 'active', status: status ?? undefined, ...latest };
    }
    if (state === 'delayed' && handedBack) return { runId, sop, submitted: submitted ?? '?', state: 'interrupted', status: status ?? undefined, handedBack, ...latest };
    return { runId, sop, submitted: submitted ?? '?', state, status: status ?? undefined, ...latest };
  }

  /**
   * What to say when no worker listens on this queue (none started, or started on another queue
   * name): a run followed there waits without a word. Undefined when one listens, or when the server
   * does not say (BullMQ counts its workers' named connections with CLIENT LIST, which some managed
   * Redis refuse).
   */
  async noWorkerNote(runId?: string): Promise<string | undefined> {
    const count = await this.queue.getWorkersCount().catch(() => undefined);
    if (count !== 0) return undefined;
    const name = this.queue.name === DEFAULT_QUEUE ? '' : ` --queue ${this.queue.name}`;
    return `no sop worker is taking runs from queue ${this.queue.name} on ${this.address.shown}: ${runId === undefined ? 'its runs wait' : `run ${runId} waits`} until one starts (\`${this.sopCommand} worker --redis ${this.address.shown}${name}\`)`;
  }

  /** How many events it holds of runs it queued that nobody follows yet: bounded (`held` of `open`). */
  get heldEvents(): number {
    return this.connection.heldEvents;
  }

  /** Counts of jobs by state: the queue's depth (`sop runs --queue`, metrics). */
  async depth(): Promise<Record<string, number>> {
    return this.reaching(() => queueDepth(this.queue), AGAIN);
  }

  async close(): Promise<void> {
    await this.connection.close();
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }

  private async failure(runId: string, reason: string | undefined): Promise<SopError> {
    const saved = await this.redis.hget(this.keys.run(runId), 'failure');
    if (saved) {
      const failure = JSON.parse(saved) as { code?: string; message?: string; hint?: string };
      const code = (failure.code && failure.code in CODES ? failure.code : 'INTERNAL') as ErrorCode;
      // The worker wrote its hint with the default `sop`: typed here as this command's user types it.
      return new SopError(code, `queued run ${runId}: ${failure.message ?? reason ?? 'failed'}`, failure.hint ? { hint: typedAs(failure.hint, this.sopCommand) } : {});
    }
    return new SopError('QUEUE_JOB_INVALID', `queued run ${runId} failed: ${reason ?? 'no reason given'}`, { hint: 'see the worker\'s log' });
  }
}

/** The error code of a run's saved failure (`failure` of its facts), if any. */
function failedCode(failure: string | null | undefined): string | undefined {
  try {
    return failure ? (JSON.parse(failure) as { code?: string }).code : undefined;
  } catch {
    return undefined;
  }
}

/** A job's return value that is a run's result (a completed event of a job another version of `sop` ran may carry anything). */
function isRunJobResult(value: unknown): value is RunJobResult {
  const result = value as Partial<RunJobResult> | null;
  return typeof result === 'object' && result !== null && typeof result.runId === 'string' && typeof result.exitCode === 'number' && typeof result.report === 'object' && Array.isArray(result.files);
}
