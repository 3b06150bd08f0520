import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { guardWrite, isProcessAlive } from '../files/index.js';

/** The lock's file name inside a run folder. */
export const RUN_LOCK_FILE = 'run.lock';

/** How often a holder refreshes its lock file's modification time (the heartbeat). */
export const LOCK_HEARTBEAT_MS = 10_000;
/**
 * A lock whose holder cannot be checked (another host, or a file still being written) is stale
 * after this long without a heartbeat.
 */
export const LOCK_STALE_MS = 60_000;

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
let exitHookInstalled = false;

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
  private heartbeat: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock of a run folder, taking over a stale one; refuses with `RUN_LOCKED` (exit 13)
   * naming the live holder.
   */
  static acquire(runDir: string, command: string): RunLock {
    const file = path.join(runDir, RUN_LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command };
    // Two tries: the second after removing a stale lock. Losing that race to a process that took
    // the lock meanwhile ends in the refusal naming it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (createExclusive(file, `${JSON.stringify(holder)}\n`)) {
        const lock = new RunLock(file, holder);
        lock.startHeartbeat();
        held.add(lock);
        installExitHook();
        return lock;
      }
      const current = readLock(file);
      if (current === 'gone') continue;
      if (!isStale(current)) throw lockedError(runDir, current.holder);
      removeIfUnchanged(file, current);
    }
    const current = readLock(file);
    throw lockedError(runDir, current === 'gone' ? undefined : current.holder);
  }

  /** Whether a live process holds the run folder now (a stale lock, left by a crash, is not held). */
  static isHeld(runDir: string): boolean {
    const current = readLock(path.join(runDir, RUN_LOCK_FILE));
    return current !== 'gone' && !isStale(current);
  }

  /** Gives the lock up (idempotent); leaves the file alone if another process has taken it over. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const current = readLock(this.file);
    if (current !== 'gone' && current.holder && sameHolder(current.holder, this.holder)) {
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
    }
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(this.file, now, now);
      } catch {
        // The folder was removed or the disk is failing: the run's own writes report that.
      }
    }, LOCK_HEARTBEAT_MS);
    this.heartbeat.unref();
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

/** The lock file as found: its holder (undefined while being written or when torn) and raw text. */
type FoundLock = { holder: LockHolder | undefined; text: string; modifiedMs: number };

function readLock(file: string): FoundLock | 'gone' {
  let text: string;
  let modifiedMs: number;
  try {
    modifiedMs = statSync(file).mtimeMs;
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  return { holder: parseHolder(text), text, modifiedMs };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
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
  if (holder && holder.host === os.hostname() && !isProcessAlive(holder.pid)) return true;
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
    if (readFileSync(aside, 'utf8') !== stale.text) linkSync(aside, file);
  } catch {
    // the name was taken again meanwhile: that holder keeps it
  } finally {
    rmSync(aside, { force: true });
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.since === b.since;
}

function lockedError(runDir: string, holder: LockHolder | undefined): SopError {
  const run = path.basename(runDir);
  const who = holder ? `sop ${holder.command} (pid ${holder.pid} on host ${holder.host}) holds it since ${holder.since}` : 'another sop process is taking it right now';
  return new SopError('RUN_LOCKED', `run ${run} is in use: ${who}`, {
    hint: `wait for that process to end (or stop it), then run the command again; if it is gone (crashed, killed), its lock is taken over automatically (on another host once its heartbeat is ${LOCK_STALE_MS / 1000} s old). The lock is ${path.join(runDir, RUN_LOCK_FILE)}`,
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}
