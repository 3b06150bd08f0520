import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, lstatSync, openSync, readSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { guardWrite, isProcessAlive } from '../files/index.js';
import { readRunInfo } from './run-info.js';
import { JOURNAL_FILE } from './run-journal.js';

/** The lock's file name inside a run folder. */
export const RUN_LOCK_FILE = 'run.lock';

/** How often a holder refreshes its lock file's modification time (the heartbeat). */
export const LOCK_HEARTBEAT_MS = 10_000;
/**
 * A lock whose holder cannot be checked (another host, or a file still being written) is stale
 * after this long without a heartbeat.
 */
export const LOCK_STALE_MS = 60_000;

/**
 * What a lock guards: a run folder (`run.lock`, the default) or an eval record (`eval.lock`): the
 * noun and the file name its refusal shows.
 */
export interface LockedThing {
  noun: 'run' | 'eval' | 'workspace';
  file: string;
  /** How the refusal names the locked folder: its base name by default. */
  label?: string;
  /** The refusal's code (`RUN_LOCKED` by default; both exit 13) and what it tells the user to do. */
  code?: 'RUN_LOCKED' | 'WORKSPACE_LOCKED';
  hint?: string;
}
const RUN_FOLDER: LockedThing = { noun: 'run', file: RUN_LOCK_FILE };
/** A run folder its creator holds: no `run.lock`, its journal's `run-info` line names the holder. */
const CREATOR_HOLD: LockedThing = { noun: 'run', file: JOURNAL_FILE };
/**
 * A run folder holding this process's copy of a journal kept elsewhere (a queued run's, from Redis,
 * whose lock there keeps other workers out): the creator its `run-info` names holds the original
 * folder, on another worker (or in another process of this machine), never this copy.
 */
const RUN_FOLDER_COPY: LockedThing = { ...RUN_FOLDER };

/** Who holds a run folder: what the lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** `run` or `resume`: what the holder is doing. */
  command: string;
}

/** Locks this process holds: released when it exits, whatever the way (`process.exit` included). */
const held = new Set<RunLock>();
/** Run folders this process created and holds as their creator (`RunLock.creator`). */
const creating = new Set<string>();
let exitHookInstalled = false;

/** This machine's name, asked of the system once per process (a run names its holder twice; `uname` is a system call each time). */
let hostName: string | undefined;
function thisHost(): string {
  hostName ??= os.hostname();
  return hostName;
}

/**
 * The exclusive hold of one run folder by one process (`run.lock`: pid, host, since, command).
 *
 * Taken with `O_CREAT | O_EXCL`, so of two processes exactly one creates the file. A lock left by
 * a crash is taken over: at once when its holder is on this host and its pid is no longer alive;
 * else when the holder's heartbeat (the file's mtime, refreshed every 10 s) is older than 60 s
 * (a holder on another host sharing the runs folder, a pid reused by another program). Released
 * on every exit path; a SIGKILLed holder is the crash case.
 */
export class RunLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
    /** A new run's hold: named by its journal's `run-info` line, no lock file of its own. */
    private readonly creatorOf?: string,
    /** A hold taken as a hard link (`acquireLinked`): the file it names, told apart from a later holder's by its inode. */
    private readonly linkedTo?: FileIdentity,
  ) {}

  /**
   * A new run's hold of the folder it just created (exclusively, `mkdir`), without a lock file:
   * its journal's `run-info` line names the holder (`holder`, pid and host), the journal's mtime
   * is its heartbeat, and its `report.json` ends it (a run creates one file fewer, two metadata
   * operations fewer: no create, no unlink). `acquire` and `isHeld` check it beside `run.lock`.
   */
  static creator(runDir: string): RunLock {
    const dir = path.resolve(runDir);
    const lock = new RunLock(path.join(dir, JOURNAL_FILE), { pid: process.pid, host: thisHost(), since: new Date().toISOString(), command: `run ${path.basename(dir)}` }, dir);
    creating.add(dir);
    lock.startHeartbeat();
    return lock;
  }

  /**
   * Refuses (`RUN_LOCKED`) a run folder its creator still holds: a resume calls it once it has
   * read its resume point (see `creatorHolding`), holding `run.lock` already.
   */
  static refuseCreatorHolding(runDir: string): void {
    const creator = creatorHolding(runDir);
    if (creator !== undefined) throw lockedError(runDir, creator, CREATOR_HOLD);
  }

  /** `acquire` of a run folder that is a copy of a journal kept elsewhere (see `RUN_FOLDER_COPY`): its creator is not asked. */
  static acquireCopy(runDir: string, command: string): RunLock {
    return RunLock.acquire(runDir, command, RUN_FOLDER_COPY);
  }

  /** What a new run's `run-info` line says of its creator (see `creator`). */
  static creatorRecord(): { pid: number; host: string } {
    return { pid: process.pid, host: thisHost() };
  }

  /**
   * Takes the lock of a run folder (or, with `thing`, of another folder one process at a time
   * writes: an eval record), taking over a stale one; refuses with `RUN_LOCKED` (exit 13) naming
   * the live holder.
   */
  static acquire(runDir: string, command: string, thing: LockedThing = RUN_FOLDER): RunLock {
    const file = path.join(runDir, thing.file);
    const isRun = thing === RUN_FOLDER;
    const holder: LockHolder = { pid: process.pid, host: thisHost(), since: new Date().toISOString(), command };
    return take(runDir, thing, () => {
      if (!createExclusive(file, `${JSON.stringify(holder)}\n`)) return undefined;
      const lock = new RunLock(file, holder);
      lock.startHeartbeat();
      lock.hold();
      // The process that created the run may still hold it without a lock file.
      const creator = isRun ? creatorHolding(runDir) : undefined;
      if (creator !== undefined) {
        lock.release();
        throw lockedError(runDir, creator, CREATOR_HOLD);
      }
      return lock;
    });
  }

  /**
   * Takes `thing`'s lock in `dir` as a second name of `owner`'s file (a hard link: a new run's
   * journal, whose `run-info` line names its holder, or a resume's `run.lock`), creating no file:
   * one directory entry instead of a new file written and closed, ~4x cheaper on ext4 (the
   * workspace lock was a fifth of a short run's time there). The owner's heartbeat refreshes the
   * shared file's mtime; release removes the name only while it still names that file. Where the
   * file system has no hard links, a lock file of its own (`acquire`).
   */
  static acquireLinked(dir: string, thing: LockedThing, owner: RunLock): RunLock {
    const file = path.join(dir, thing.file);
    return take(dir, thing, () => {
      const linked = linkExclusive(owner.file, file);
      if (linked === 'unsupported') return RunLock.acquire(dir, owner.holder.command, thing);
      if (!linked) return undefined;
      const lock = new RunLock(file, owner.holder, undefined, identityOf(file));
      lock.hold();
      return lock;
    });
  }

  private hold(): void {
    held.add(this);
    installExitHook();
  }

  /** Whether a live process holds the run folder now (a stale lock, left by a crash, is not held). */
  static isHeld(runDir: string): boolean {
    const current = readLock(path.join(runDir, RUN_LOCK_FILE));
    return (current !== 'gone' && !isStale(current)) || creatorHolding(runDir) !== undefined;
  }

  /** Gives the lock up (idempotent); leaves the file alone if another process has taken it over. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    this.stopHeartbeat();
    if (this.creatorOf !== undefined) {
      creating.delete(this.creatorOf);
      return;
    }
    if (this.linkedTo !== undefined) {
      if (sameIdentity(identityOf(this.file), this.linkedTo)) removeName(this.file);
      return;
    }
    const current = readLock(this.file);
    if (current !== 'gone' && current.holder && sameHolder(current.holder, this.holder)) removeName(this.file);
  }

  private startHeartbeat(): void {
    beating.add(this);
    if (!heartbeat) {
      heartbeat = setInterval(beat, LOCK_HEARTBEAT_MS);
      heartbeat.unref();
    }
  }

  private stopHeartbeat(): void {
    beating.delete(this);
  }

  /** Refreshes the heartbeat (the file's mtime). */
  touch(): void {
    const now = new Date();
    try {
      utimesSync(this.file, now, now);
    } catch {
      // The folder was removed or the disk is failing: the run's own writes report that.
    }
  }
}

/**
 * One heartbeat timer for every lock this process holds, started with the first and left running
 * (unref'd: it never keeps the process alive), rather than a timer per run: a library user running
 * many short runs pays for it once. A lock taken since the last beat is touched sooner than
 * `LOCK_HEARTBEAT_MS`, never later.
 */
const beating = new Set<RunLock>();
let heartbeat: NodeJS.Timeout | undefined;
function beat(): void {
  for (const lock of beating) lock.touch();
}

/**
 * The creator of a run folder, while it holds it (see `RunLock.creator`): the run has no report
 * yet, and its journal's `run-info` names a holder that is not stale (`isStale`, the journal's
 * mtime as heartbeat; in this process, one still in `creating`). Undefined: nobody holds it as
 * its creator (a run of an older version had `run.lock` for that), or it has no `run-info` line
 * yet: its creator writes it a turn of the event loop after `mkdir`, so a resume checks again
 * once it has read its resume point (`refuseCreatorHolding`), which comes after that line.
 */
function creatorHolding(runDir: string): LockHolder | undefined {
  const dir = path.resolve(runDir);
  if (existsSync(path.join(dir, 'report.json'))) return undefined;
  const info = readRunInfo(dir) ?? {};
  const recorded = info['holder'] as { pid?: unknown; host?: unknown } | undefined;
  if (typeof recorded?.pid !== 'number' || typeof recorded.host !== 'string') return undefined;
  const holder: LockHolder = { pid: recorded.pid, host: recorded.host, since: typeof info['started'] === 'string' ? info['started'] : '?', command: 'run' };
  if (holder.pid === process.pid && holder.host === thisHost()) return creating.has(dir) ? holder : undefined;
  let modifiedMs: number;
  try {
    modifiedMs = statSync(path.join(dir, JOURNAL_FILE)).mtimeMs;
  } catch {
    return undefined;
  }
  return isStale({ holder, text: '', modifiedMs }) ? undefined : holder;
}

/**
 * The lock's taking, whatever its kind: `create` makes the lock (or finds its name taken:
 * undefined). Two tries: the second after removing a stale lock. Losing that race to a process that
 * took the lock meanwhile ends in the refusal naming it.
 */
function take(dir: string, thing: LockedThing, create: () => RunLock | undefined): RunLock {
  const file = path.join(dir, thing.file);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const lock = create();
    if (lock) return lock;
    const current = readWritten(file);
    if (current === 'gone') continue;
    if (!isStale(current)) throw lockedError(dir, current.holder, thing);
    removeIfUnchanged(file, current);
  }
  const current = readWritten(file);
  throw lockedError(dir, current === 'gone' ? undefined : current.holder, thing);
}

/** Link errors that mean "no hard links here" (FAT, some network and FUSE file systems), not "refused". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/** Makes `file` a second name of `target` unless the name exists (false); 'unsupported' where links are not. */
function linkExclusive(target: string, file: string): boolean | 'unsupported' {
  return guardWrite(file, () => {
    try {
      linkSync(target, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (NO_HARD_LINKS.has(code)) return 'unsupported';
      throw error;
    }
  });
}

/** Which file a name leads to (device and inode); undefined when the name is gone. */
type FileIdentity = { dev: number; ino: number };

function identityOf(file: string): FileIdentity | undefined {
  try {
    const { dev, ino } = lstatSync(file);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function removeName(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * Creates the file with its content unless it exists. Other failures throw, a full or read-only
 * disk as its storage error (exit 14); a file created but not written is removed, so it never
 * looks like a lock being written.
 */
function createExclusive(file: string, content: string): boolean {
  return guardWrite(file, () => {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(fd, content);
    } catch (error) {
      closeSync(fd);
      rmSync(file, { force: true });
      throw error;
    }
    closeSync(fd);
    return true;
  });
}

/**
 * The lock file as found: its holder (undefined while being written or when torn), its first line
 * (all of a lock file; a linked lock's journal is read no further) and which file it is.
 */
type FoundLock = { holder: LockHolder | undefined; text: string; modifiedMs: number; identity?: FileIdentity };

function readLock(file: string): FoundLock | 'gone' {
  let text: string;
  let found: { mtimeMs: number; dev: number; ino: number };
  try {
    // No lock is the common case (`sop runs` asks of every run): said without an exception.
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return 'gone';
    found = stat;
    text = firstLine(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  return { holder: parseHolder(text), text, modifiedMs: found.mtimeMs, identity: { dev: found.dev, ino: found.ino } };
}

/** Bytes read per step from a lock's start: a holder record is ~100 bytes, a journal's `run-info` line a few KB. */
const HEAD_BYTES = 64 * 1024;

/**
 * The file's first line (without its newline), or all of it when it has none. Read on until the
 * line ends: a `run-info` line holding a large input (a spec pasted as the idea) is longer than
 * one step, and a cut line names no holder, so its hold could not be told held or stale.
 */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let data = Buffer.alloc(0);
    for (;;) {
      const step = Buffer.alloc(Math.max(HEAD_BYTES, data.length));
      const read = readSync(fd, step, 0, step.length, data.length);
      const end = step.subarray(0, read).indexOf(0x0a);
      if (end !== -1) return Buffer.concat([data, step.subarray(0, end)]).toString('utf8');
      data = Buffer.concat([data, step.subarray(0, read)]);
      if (read < step.length) return data.toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * How long a refusal waits for a lock file just created (empty, its holder not written yet) to name
 * its holder: on a loaded machine (ten runs started at once on two cores) the write after the create
 * came over 100 ms later, and the refusal named no run. A new run's workspace hold names its holder
 * from the start (its journal's `run-info` line is written before the link). Only a refused process waits.
 */
const WRITE_WAIT_MS = 1_000;
const WRITE_POLL_MS = 5;

/**
 * The lock file once its holder has written it: a process that took the lock a moment ago has
 * created the file (O_EXCL) but not yet written who it is, and a refusal should name it. A file
 * that stays unreadable (torn by a crash) is returned as it is after `WRITE_WAIT_MS`.
 */
function readWritten(file: string): FoundLock | 'gone' {
  const until = Date.now() + WRITE_WAIT_MS;
  for (;;) {
    const found = readLock(file);
    if (found === 'gone' || found.holder !== undefined || Date.now() >= until) return found;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WRITE_POLL_MS);
  }
}

/** The holder a lock's first line names: a lock file's record, or a new run's journal `run-info` line (a linked lock). */
function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> & { type?: unknown; id?: unknown; started?: unknown; holder?: Partial<LockHolder> };
    if (value.type === 'run-info') {
      const creator = value.holder;
      if (typeof creator?.pid === 'number' && typeof creator.host === 'string' && typeof value.started === 'string') {
        return { pid: creator.pid, host: creator.host, since: value.started, command: typeof value.id === 'string' ? `run ${value.id}` : 'run' };
      }
    } else if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return { pid: value.pid, host: value.host, since: value.since, command: typeof value.command === 'string' ? value.command : 'sop' };
    }
  } catch {
    // being written, or torn by a crash: judged by its age
  }
  return undefined;
}

/**
 * Stale when its holder's pid is not alive on this host (checked at once, so a crashed run resumes
 * at once), or when its heartbeat stopped `LOCK_STALE_MS` ago: the only test for a holder on
 * another host, and what frees a lock whose pid was reused by another program (a restarted
 * container numbers its processes from 1 again).
 */
function isStale(found: FoundLock): boolean {
  const { holder } = found;
  if (holder && holder.host === thisHost() && !isProcessAlive(holder.pid)) return true;
  return Date.now() - found.modifiedMs > LOCK_STALE_MS;
}

/**
 * Removes a stale lock only if it is still the one judged stale. It is first renamed aside (one
 * atomic step), then read: when two processes take over at once, the slower one may have moved
 * the faster one's fresh lock, and puts it back.
 */
function removeIfUnchanged(file: string, stale: FoundLock): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // another process moved it first
  }
  try {
    const moved = readLock(aside);
    if (moved === 'gone' || moved.text !== stale.text || !sameIdentity(moved.identity, stale.identity)) linkSync(aside, file);
  } catch {
    // the name was taken again meanwhile: that holder keeps it
  } finally {
    rmSync(aside, { force: true });
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.since === b.since;
}

function lockedError(runDir: string, holder: LockHolder | undefined, thing: LockedThing = RUN_FOLDER): SopError {
  const name = thing.label ?? path.basename(runDir);
  const who = holder ? `sop ${holder.command} (pid ${holder.pid} on host ${holder.host}) holds it since ${holder.since}` : 'another sop process is taking it right now';
  // Name the file that holds it: a creator's hold has no run.lock to look for.
  const where = path.join(runDir, thing.file);
  const lock = thing === CREATOR_HOLD ? `The holder is named by the first line of ${where} (the run that created it has no run.lock)` : `The lock is ${where}`;
  return new SopError(thing.code ?? 'RUN_LOCKED', `${thing.noun} ${name} is in use: ${who}`, {
    hint: `${thing.hint ?? 'wait for that process to end (or stop it), then run the command again'}; if it is gone (crashed, killed), its lock is taken over automatically (on another host once its heartbeat is ${LOCK_STALE_MS / 1000} s old). ${lock}`,
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}
