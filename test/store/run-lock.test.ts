import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { JOURNAL_FILE, LOCK_STALE_MS, RUN_LOCK_FILE, RunLock } from '../../src/store/index.js';

/** The lock file on disk, with real holders: this process, a live child, a finished one, another host. */
const folders: string[] = [];
const locks: RunLock[] = [];
afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-lock-'));
  folders.push(dir);
  return dir;
}

function acquire(dir: string, command = 'resume'): RunLock {
  const lock = RunLock.acquire(dir, command);
  locks.push(lock);
  return lock;
}

function writeHolder(dir: string, holder: { pid: number; host: string; since?: string; command?: string }, ageMs = 0): void {
  const file = path.join(dir, RUN_LOCK_FILE);
  writeFileSync(file, `${JSON.stringify({ since: '2026-12-03T10:00:00.000Z', command: 'run', ...holder })}\n`);
  const at = new Date(Date.now() - ageMs);
  utimesSync(file, at, at);
}

function refusal(dir: string): Error & { code?: string; exitCode?: number; hint?: string } {
  try {
    acquire(dir);
  } catch (error) {
    if (isSopError(error)) return error;
    throw error;
  }
  throw new Error('the lock was taken, expected a refusal');
}

/** A process that exits at once: its pid is not alive (and not reused) right after. */
async function finishedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid as number;
}

describe('run lock', () => {
  it('is a file naming this process and host; released, the file is gone and the folder can be taken again', () => {
    const dir = runDir();
    const lock = acquire(dir, 'run');
    expect(JSON.parse(readFileSync(path.join(dir, RUN_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'run' });
    lock.release();
    expect(existsSync(path.join(dir, RUN_LOCK_FILE))).toBe(false);
    acquire(dir).release();
  });

  it('refuses while a live process on this host holds it: RUN_LOCKED (exit 13) naming pid, host, since and what to do', async () => {
    const dir = runDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeHolder(dir, { pid: holder.pid as number, host: os.hostname() });
      const error = refusal(dir);
      expect(error.code).toBe('RUN_LOCKED');
      expect(error.exitCode).toBe(13);
      expect(error.message).toBe(`run ${path.basename(dir)} is in use: sop run (pid ${holder.pid} on host ${os.hostname()}) holds it since 2026-12-03T10:00:00.000Z`);
      expect(error.hint).toContain('wait for that process to end');
      expect(error.hint).toContain('taken over automatically');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it("takes over at once the lock of a process on this host that is gone (a crash, SIGKILL)", async () => {
    const dir = runDir();
    writeHolder(dir, { pid: await finishedPid(), host: os.hostname() });
    acquire(dir);
    expect(JSON.parse(readFileSync(path.join(dir, RUN_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('another host: refused while its heartbeat is fresh, taken over once it is older than the stale limit', () => {
    const dir = runDir();
    writeHolder(dir, { pid: process.pid, host: 'build-agent-7' }, 5_000);
    expect(refusal(dir).message).toContain(`(pid ${process.pid} on host build-agent-7)`);
    writeHolder(dir, { pid: process.pid, host: 'build-agent-7' }, LOCK_STALE_MS + 5_000);
    acquire(dir);
    expect(JSON.parse(readFileSync(path.join(dir, RUN_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
  });

  it('a lock file still being written (empty) is held; the same file left for longer than the stale limit is taken over', () => {
    const dir = runDir();
    const file = path.join(dir, RUN_LOCK_FILE);
    writeFileSync(file, '');
    expect(refusal(dir).message).toContain('another sop process is taking it right now');
    const old = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(file, old, old);
    acquire(dir);
  });

  it('a lock file its holder writes a moment after creating it: the refusal waits for it and names the holder', async () => {
    const dir = runDir();
    const file = path.join(dir, RUN_LOCK_FILE);
    // The holder created the file (O_EXCL) and writes who it is 30 ms later, from another process.
    writeFileSync(file, '');
    const holder = spawn(process.execPath, ['-e', `process.stdout.write('ready'); setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(file)}, JSON.stringify({ pid: process.pid, host: ${JSON.stringify(os.hostname())}, since: '2026-12-05T13:00:00.000Z', command: 'resume' })), 30); setTimeout(() => {}, 60000)`]);
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      expect(refusal(dir).message).toBe(`run ${path.basename(dir)} is in use: sop resume (pid ${holder.pid} on host ${os.hostname()}) holds it since 2026-12-05T13:00:00.000Z`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('release leaves alone a lock another process has taken over meanwhile', () => {
    const dir = runDir();
    const lock = acquire(dir);
    writeHolder(dir, { pid: process.pid + 1, host: 'other-host' });
    lock.release();
    expect(JSON.parse(readFileSync(path.join(dir, RUN_LOCK_FILE), 'utf8'))).toMatchObject({ host: 'other-host' });
  });

  describe("a new run's hold: its creator, named by its journal's run-info, with no lock file", () => {
    /** A run folder as a new run leaves it: its journal's first line names the creating process. */
    function created(holder: { pid: number; host: string }, ageMs = 0): string {
      const dir = runDir();
      const file = path.join(dir, JOURNAL_FILE);
      writeFileSync(file, `${JSON.stringify({ seq: 1, type: 'run-info', journalVersion: 4, id: 'r', started: '2026-12-04T10:00:00.000Z', holder })}\n`);
      const at = new Date(Date.now() - ageMs);
      utimesSync(file, at, at);
      return dir;
    }

    it('this process: refused while it holds the folder it created (no run.lock is written), free once released', () => {
      const dir = created({ pid: process.pid, host: os.hostname() });
      const creator = RunLock.creator(dir);
      try {
        expect(existsSync(path.join(dir, RUN_LOCK_FILE))).toBe(false);
        expect(RunLock.isHeld(dir)).toBe(true);
        const error = refusal(dir);
        expect(error.code).toBe('RUN_LOCKED');
        expect(error.message).toBe(`run ${path.basename(dir)} is in use: sop run (pid ${process.pid} on host ${os.hostname()}) holds it since 2026-12-04T10:00:00.000Z`);
        // The refused resume left no lock behind.
        expect(existsSync(path.join(dir, RUN_LOCK_FILE))).toBe(false);
      } finally {
        creator.release();
      }
      expect(RunLock.isHeld(dir)).toBe(false);
      acquire(dir).release();
    });

    it('a live process on this host: refused until its report is written; a process that is gone: taken over at once', async () => {
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        const dir = created({ pid: holder.pid as number, host: os.hostname() });
        expect(refusal(dir).message).toContain(`sop run (pid ${holder.pid} on host ${os.hostname()})`);
        expect(() => RunLock.refuseCreatorHolding(dir)).toThrow(expect.objectContaining({ code: 'RUN_LOCKED' }));
        writeFileSync(path.join(dir, 'report.json'), '{}');
        acquire(dir).release();
      } finally {
        holder.kill('SIGKILL');
      }
      const crashed = created({ pid: await finishedPid(), host: os.hostname() });
      expect(RunLock.isHeld(crashed)).toBe(false);
      acquire(crashed).release();
    });

    it('another host: refused while its journal (the heartbeat) is fresh, taken over once it is older than the stale limit', () => {
      expect(refusal(created({ pid: 1, host: 'other-host' })).message).toContain('on host other-host');
      acquire(created({ pid: 1, host: 'other-host' }, LOCK_STALE_MS + 5_000)).release();
    });
  });
  /**
   * A lock taken as a second name of its owner's file (the workspace's: a hard link to the run's
   * journal or to its resume's run.lock), creating no file of its own.
   */
  describe('linked (the workspace lock)', () => {
    const WORKSPACE = { noun: 'workspace', file: '.workspace-0123456789abcdef.lock', label: 'the-workspace', code: 'WORKSPACE_LOCKED' } as const;

    function journalOf(holder: { pid: number; host: string }, id: string, inputs: Record<string, string> = {}): string {
      const dir = runDir();
      writeFileSync(path.join(dir, JOURNAL_FILE), `${JSON.stringify({ seq: 1, type: 'run-info', journalVersion: 5, id, inputs, started: '2026-12-06T05:00:00.000Z', holder })}\n{"seq":2,"type":"sop-text","text":"x"}\n`);
      return dir;
    }

    function linked(runsDir: string, owner: RunLock): RunLock {
      const lock = RunLock.acquireLinked(runsDir, WORKSPACE, owner);
      locks.push(lock);
      return lock;
    }

    function linkRefusal(runsDir: string, owner: RunLock): Error & { code?: string } {
      try {
        linked(runsDir, owner);
      } catch (error) {
        if (isSopError(error)) return error;
        throw error;
      }
      throw new Error('the lock was taken, expected a refusal');
    }

    it("is a second name of the owner's file; a second run is refused naming the run from its journal; released, the name is gone and the journal stays", () => {
      const runs = runDir();
      const run = journalOf({ pid: process.pid, host: os.hostname() }, 'first-run');
      const creator = RunLock.creator(run);
      locks.push(creator);
      const lock = linked(runs, creator);
      const name = path.join(runs, WORKSPACE.file);
      expect(statSync(name).ino).toBe(statSync(path.join(run, JOURNAL_FILE)).ino);
      expect(statSync(name).nlink).toBe(2);

      const refused = linkRefusal(runs, acquire(runDir(), 'resume other'));
      expect(refused.code).toBe('WORKSPACE_LOCKED');
      expect(refused.message).toBe(`workspace the-workspace is in use: sop run first-run (pid ${process.pid} on host ${os.hostname()}) holds it since 2026-12-06T05:00:00.000Z`);

      lock.release();
      expect(existsSync(name)).toBe(false);
      expect(readFileSync(path.join(run, JOURNAL_FILE), 'utf8')).toContain('"id":"first-run"');
      linked(runs, acquire(runDir(), 'resume other')).release();
    });

    it("a resume's hold names the resume; a hold left by a process that is gone is taken over at once, its journal untouched", async () => {
      const runs = runDir();
      const resumed = acquire(runDir(), 'resume some-run');
      linked(runs, resumed);
      expect(linkRefusal(runs, acquire(runDir(), 'run')).message).toContain(`sop resume some-run (pid ${process.pid} on host ${os.hostname()})`);

      const otherRuns = runDir();
      const crashed = journalOf({ pid: await finishedPid(), host: os.hostname() }, 'crashed-run');
      const journal = path.join(crashed, JOURNAL_FILE);
      const before = readFileSync(journal, 'utf8');
      linkSync(journal, path.join(otherRuns, WORKSPACE.file));
      const next = acquire(runDir(), 'resume next');
      linked(otherRuns, next);
      expect(statSync(path.join(otherRuns, WORKSPACE.file)).ino).toBe(statSync(next.file).ino);
      expect(readFileSync(journal, 'utf8')).toBe(before);
      expect(statSync(journal).nlink).toBe(1);
    });

    it('a run whose run-info line is longer than one read (a 100 KB idea) is named by the refusal, and taken over at once once it is gone', async () => {
      const idea = { idea: 'a'.repeat(100_000) };
      const runs = runDir();
      const live = RunLock.creator(journalOf({ pid: process.pid, host: os.hostname() }, 'big-run', idea));
      locks.push(live);
      linked(runs, live);
      expect(linkRefusal(runs, acquire(runDir(), 'resume other')).message).toBe(`workspace the-workspace is in use: sop run big-run (pid ${process.pid} on host ${os.hostname()}) holds it since 2026-12-06T05:00:00.000Z`);

      const otherRuns = runDir();
      const crashed = journalOf({ pid: await finishedPid(), host: os.hostname() }, 'big-crashed-run', idea);
      linkSync(path.join(crashed, JOURNAL_FILE), path.join(otherRuns, WORKSPACE.file));
      const next = acquire(runDir(), 'resume next');
      linked(otherRuns, next);
      expect(statSync(path.join(otherRuns, WORKSPACE.file)).ino).toBe(statSync(next.file).ino);
    });

    it('a hold whose holder line is written late (a loaded machine: 300 ms after the link) is named by the refusal once written', async () => {
      const runs = runDir();
      const run = runDir();
      const journal = path.join(run, JOURNAL_FILE);
      writeFileSync(journal, '');
      linkSync(journal, path.join(runs, WORKSPACE.file));
      const line = (pid: string): string => `JSON.stringify({ seq: 1, type: 'run-info', id: 'slow-run', started: '2026-12-06T05:00:00.000Z', holder: { pid: ${pid}, host: ${JSON.stringify(os.hostname())} } }) + '\\n'`;
      const holder = spawn(process.execPath, ['-e', `process.stdout.write('ready'); setTimeout(() => require('node:fs').appendFileSync(${JSON.stringify(journal)}, ${line('process.pid')}), 300); setTimeout(() => {}, 60000)`]);
      try {
        await new Promise((resolve) => holder.stdout.once('data', resolve));
        expect(linkRefusal(runs, acquire(runDir(), 'run')).message).toBe(`workspace the-workspace is in use: sop run slow-run (pid ${holder.pid} on host ${os.hostname()}) holds it since 2026-12-06T05:00:00.000Z`);
      } finally {
        holder.kill('SIGKILL');
      }
    });

    it('release leaves alone a hold another run has taken over meanwhile', () => {
      const runs = runDir();
      const first = linked(runs, acquire(runDir(), 'resume first'));
      const name = path.join(runs, WORKSPACE.file);
      // Judged stale and taken over by another run: the name now leads to that run's file.
      const other = acquire(runDir(), 'resume other');
      unlinkSync(name);
      linkSync(other.file, name);
      first.release();
      expect(statSync(name).ino).toBe(statSync(other.file).ino);
    });
  });
});
