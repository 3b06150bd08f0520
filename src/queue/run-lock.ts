import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { keepAtLeast, PRUNE_BATCH, pruneRuns } from './retention.js';

/** Deletes the lock only when it is still ours (a lock that expired and was taken over is not). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/**
 * The run's guard keys (KEYS[2], KEYS[3]: its facts and its BullMQ job) both still exist: Redis did
 * not lose the run (restarted without persistence, flushed, evicting). A lost run is never written
 * again: a write would re-create its keys with no expiry, and its lock would be taken back for nothing.
 */
const RUN_THERE = `redis.call('exists', KEYS[2], KEYS[3]) == 2`;

/** The start of the error a fenced write of a run Redis lost answers with (see `isRunGone`). */
const RUN_GONE = 'SOPRUNGONE';
/** The error a fenced write answers with once another worker holds the run. */
const LOCK_LOST = 'SOPLOCKLOST the run is held by another worker now';

/**
 * Extends the lock when it is still ours, or takes it back when it expired and nobody took it
 * (Redis was away longer than the lock's life: a restart); 0 when another worker holds it now;
 * -1 when Redis lost the run (its guard keys are gone: see RUN_THERE). KEYS[4], the run's bundle,
 * keeps no expiry while the run runs (another run of it that ended set one).
 */
const RENEW = `if not (${RUN_THERE}) then return -1 end
redis.call('persist', KEYS[4])
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if holder == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/**
 * Runs a command only while the lock is ours (fencing): KEYS[1] the lock, ARGV[1] the token,
 * ARGV[2] the command's name, ARGV[3] the lock's life (to take it back when it expired with
 * nobody else taking it), then its arguments; KEYS[4] its key, KEYS[2] and KEYS[3] the run's guard
 * keys (RUN_THERE). A worker that lost its lock (it stalled; another took the run over) can no
 * longer write the run's journal or files, nor can any worker write a run Redis lost.
 */
const FENCED = `if not (${RUN_THERE}) then return redis.error_reply('${RUN_GONE} Redis no longer has the run') end
local holder = redis.call('get', KEYS[1])
if holder == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[3]) holder = ARGV[1] end
if holder ~= ARGV[1] then return redis.error_reply('${LOCK_LOST}') end
return redis.call(ARGV[2], KEYS[4], unpack(ARGV, 4))`;

/**
 * Beyond the run's own keys, at its end: its bundle (KEYS[1]) lives as long as the longest kept run
 * of it (ARGV[1] seconds; none on a key Redis lost), and the runs list (KEYS[2]) drops a few runs
 * that expired (ARGV[2] of them, facts under ARGV[3]). For a run that ended without a result (it
 * failed); a run with a result does it in `END`, in the same round trip.
 */
const ENDED = `${keepAtLeast('KEYS[1]', 'ARGV[1]')}
${pruneRuns('KEYS[2]', 'ARGV[2]', 'ARGV[3]')}
return 1`;

/**
 * A run's end in one step: first what lies beyond its keys (as `ENDED`: KEYS[4] its bundle, ARGV[3]
 * seconds; KEYS[5] the runs list, ARGV[4] and ARGV[5]), which stands whether or not the run's
 * writes do; then, fenced as FENCED (KEYS[1..3], ARGV[1..2]), the run's last writes, and the lock's
 * release. Each write is KEYS[5 + i] (its key) with ARGV: its command, its argument count, its
 * arguments. Refused (SOPRUNGONE, SOPLOCKLOST) before any of them, as each FENCED write would be:
 * the writes see one holder. A run Redis lost has its lock released all the same.
 */
const END = `${keepAtLeast('KEYS[4]', 'ARGV[3]')}
${pruneRuns('KEYS[5]', 'ARGV[4]', 'ARGV[5]')}
local holder = redis.call('get', KEYS[1])
if not (${RUN_THERE}) then
  if holder == ARGV[1] then redis.call('del', KEYS[1]) end
  return redis.error_reply('${RUN_GONE} Redis no longer has the run')
end
if holder ~= false and holder ~= ARGV[1] then return redis.error_reply('${LOCK_LOST}') end
local at = 6
for key = 6, #KEYS do
  local count = tonumber(ARGV[at + 1])
  redis.call(ARGV[at], KEYS[key], unpack(ARGV, at + 2, at + 1 + count))
  at = at + 2 + count
end
if holder == ARGV[1] then redis.call('del', KEYS[1]) end
return 1`;

/** The scripts as ioredis commands: EVALSHA (the script's text goes once per connection, then its hash). */
interface LockScripts<R> {
  sopRunFenced(lockKey: string, runKey: string, jobKey: string, key: string, token: string, command: string, ttlMs: string, ...args: Array<string | Buffer>): R;
  sopRunRenew(lockKey: string, runKey: string, jobKey: string, bundleKey: string, token: string, ttlMs: string): R;
  sopRunRelease(lockKey: string, token: string): R;
  /** `END`: its key count first (5 + one per write), then its keys and arguments. */
  sopRunEnd(keyCount: number, ...keysAndArgs: Array<string | Buffer>): R;
  sopRunEnded(bundleKey: string, runsKey: string, keepSeconds: string, batch: string, runPrefix: string): R;
}

const defined = new WeakSet<Redis>();

/** The lock's scripts on this connection (and the transactions made from it afterwards). */
function scripts(redis: Redis): LockScripts<Promise<unknown>> {
  if (!defined.has(redis)) {
    redis.defineCommand('sopRunFenced', { numberOfKeys: 4, lua: FENCED });
    redis.defineCommand('sopRunRenew', { numberOfKeys: 4, lua: RENEW });
    redis.defineCommand('sopRunRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('sopRunEnd', { lua: END });
    redis.defineCommand('sopRunEnded', { numberOfKeys: 2, lua: ENDED });
    defined.add(redis);
  }
  return redis as unknown as LockScripts<Promise<unknown>>;
}

/** What a run's end does beyond the run's keys (`ENDED`): its bundle's expiry, the runs list's pruning. */
export interface RunEndKeys {
  /** The runs list (`QueueKeys.runs`) and what its run ids follow in a run's facts key (`QueueKeys.runPrefix`). */
  runs: string;
  runPrefix: string;
  /** How long the run is kept now that it ended (its job's options: `keepSecondsOf`): its bundle at least as long. */
  keepSeconds: number;
}

/**
 * The run ended without a result (it failed, or was refused): its bundle's expiry and the runs
 * list's pruning (`ENDED`), one round trip. The run's outcome stands if this fails.
 */
export async function runEndedBeyond(redis: Redis, bundleKey: string, end: RunEndKeys): Promise<void> {
  await scripts(redis).sopRunEnded(bundleKey, end.runs, String(end.keepSeconds), String(PRUNE_BATCH), end.runPrefix).catch(() => undefined);
}
/** A write of the run's data, fenced by the lock: command, key, then its arguments. */
export type FencedWrite = ['append' | 'hset' | 'del' | 'expire', string, ...Array<string | Buffer>];

/**
 * Which worker runs a queued run now: `SET key token NX PX ttl`, renewed at a third of its life.
 * Two workers never run one run at once (a stalled job handed to a second worker while the first
 * is only slow), so the journal has one writer and a budget is never spent twice. A worker killed
 * holding it frees it when it expires (`ttl`, the same as BullMQ's job lock).
 */
export class RedisRunLock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private gone = false;
  private lostListener: (() => void) | undefined;
  private released = false;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly token: string,
    private readonly ttlMs: number,
    private readonly guards: RunGuards,
  ) {}

  /**
   * Takes the lock and, in the same transaction (one round trip), runs the reads `read` queues:
   * read right after the lock was taken, so no other worker writes between (their replies, in
   * order, come with the lock). Reads of an attempt that found the lock held are dropped.
   * `guards`: the keys whose loss means Redis lost the run (`isGone`).
   */
  static async acquireReading(redis: Redis, key: string, ttlMs: number, waitMs: number, guards: RunGuards, read: (multi: ChainableCommander) => void): Promise<{ lock: RedisRunLock; replies: unknown[] } | undefined> {
    const token = randomUUID();
    scripts(redis); // defined before the transactions below are made
    const deadline = Date.now() + waitMs;
    for (;;) {
      const multi = redis.multi().set(key, token, 'PX', ttlMs, 'NX');
      read(multi);
      const results = (await multi.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
      if (results[0]?.[1] === 'OK') {
        const lock = new RedisRunLock(redis, key, token, ttlMs, guards);
        lock.keepAlive();
        return { lock, replies: results.slice(1).map(([, reply]) => reply) };
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, ttlMs / 4)));
    }
  }

  /** True once a renewal found the lock gone or another's (the run must stop writing). */
  get isLost(): boolean {
    return this.lost;
  }

  /** True once a renewal or a write found that Redis lost the run (its facts or its job are gone): nothing of it is written again. */
  get isGone(): boolean {
    return this.gone;
  }

  private keepAlive(): void {
    this.timer = setInterval(() => {
      scripts(this.redis).sopRunRenew(this.key, this.guards.run, this.guards.job, this.guards.bundle, this.token, String(this.ttlMs)).then(
        (renewed) => {
          if (renewed === -1) this.lose(true);
          else if (renewed !== 1) this.lose(false);
        },
        () => undefined, // Redis away: the next renewal tries again
      );
    }, Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** The run must stop: another worker holds it now, or (`gone`) Redis lost it. Renewing stops then. */
  private lose(gone: boolean): void {
    if (gone) {
      this.gone = true;
      clearInterval(this.timer);
    }
    if (this.lost) return;
    this.lost = true;
    this.lostListener?.();
  }

  /** Runs a write on the run's data only while this worker holds the run and Redis still has it (see FENCED). */
  fenced(command: 'append' | 'hset' | 'del', key: string, ...args: Array<string | Buffer>): Promise<unknown> {
    return scripts(this.redis).sopRunFenced(this.key, this.guards.run, this.guards.job, key, this.token, command, String(this.ttlMs), ...args).catch((error: unknown) => {
      if (isRunGone(error)) this.lose(true);
      throw error;
    });
  }

  /**
   * The run's end in one script (`END`, one round trip, run at once: every write sees the same
   * holder): what lies beyond the run's keys (`end`: its bundle's expiry, the runs list's pruning,
   * done whatever becomes of the writes), the run's last writes and the lock's release. Throws
   * when the writes were refused (the run was taken over, or lost).
   */
  async finish(writes: FencedWrite[], end: RunEndKeys): Promise<void> {
    clearInterval(this.timer);
    const keys = [this.key, this.guards.run, this.guards.job, this.guards.bundle, end.runs];
    const args: Array<string | Buffer> = [this.token, String(this.ttlMs), String(end.keepSeconds), String(PRUNE_BATCH), end.runPrefix];
    for (const [command, key, ...rest] of writes) {
      keys.push(key);
      args.push(command, String(rest.length), ...rest);
    }
    try {
      await scripts(this.redis).sopRunEnd(keys.length, ...keys, ...args);
      this.released = true;
    } catch (error) {
      // Refused: released by the script when the lock was ours; otherwise (Redis away) `release` tries again.
      if (isRunGone(error)) this.lose(true);
      if (isFenceRefusal(error)) this.released = true;
      throw error;
    }
  }

  /** Called once when a renewal finds the lock taken or the run lost: the run must stop. */
  onLost(listener: () => void): void {
    this.lostListener = listener;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.released) return;
    this.released = true;
    await scripts(this.redis).sopRunRelease(this.key, this.token).catch(() => undefined);
  }
}

/** The keys of a run whose loss means Redis lost the run: its facts (`run:<run>`) and its BullMQ job's hash; and its bundle, kept while the run runs. */
export interface RunGuards {
  run: string;
  job: string;
  bundle: string;
}

/** A fenced write (or a run's end) refused: Redis no longer has the run, or another worker holds it. The script ran. */
export function isFenceRefusal(error: unknown): boolean {
  return isRunGone(error) || (error instanceof Error && error.message === LOCK_LOST);
}

/** A fenced write refused because Redis no longer has the run (FENCED). */
export function isRunGone(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(RUN_GONE);
}
