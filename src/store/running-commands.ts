import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Commands a run started (`run:` steps, command gates and preconditions) run in their own process
 * group, so a timeout or Ctrl-C kills their children too; that also means a `kill -9` of `sop`
 * leaves them running. While one runs, the run folder has a note of it (`command-<pid>.json`), so
 * that `sop resume` stops what the killed process left before it runs the round again.
 */
const NOTE = /^command-(\d+)\.json$/;

interface CommandNote {
  pid: number;
  /** The argv as shown, secrets masked. */
  argv: string[];
  /** The sha256 of the argv as run: what the process's cmdline is matched against, no secret written. */
  argvSha256: string;
}

/** A command left running by a killed run: stopped by the resume, or (`stopped: false`) left to the user. */
export interface LeftoverCommand extends CommandNote {
  stopped: boolean;
}

/**
 * Notes a command's process group (its leader's pid) in the run folder, `shown` being its argv with
 * secrets masked (the run folder never holds a secret); the function returned removes the note.
 */
export function noteRunningCommand(runDir: string, pid: number, argv: readonly string[], shown: readonly string[]): () => void {
  const file = path.join(runDir, `command-${pid}.json`);
  try {
    writeFileSync(file, `${JSON.stringify({ pid, argv: shown, argvSha256: cmdlineSha256(`${argv.join('\0')}\0`) })}\n`);
  } catch {
    // A note that cannot be written only loses the clean-up after a kill -9; the run goes on.
    return () => undefined;
  }
  return () => rmSync(file, { force: true });
}

/**
 * Stops the process groups of commands a killed run left running (their notes are in its folder)
 * and removes the notes. A group is killed only when its leader is still the noted command (Linux:
 * `/proc/<pid>/cmdline` is its argv), so a pid used again since is never hit; where that cannot be
 * checked, the command is reported, not killed. Call with the run folder's lock held.
 */
export function stopLeftoverCommands(runDir: string): LeftoverCommand[] {
  let names: string[];
  try {
    names = readdirSync(runDir).filter((name) => NOTE.test(name));
  } catch {
    return [];
  }
  const leftover: LeftoverCommand[] = [];
  for (const name of names.sort()) {
    const file = path.join(runDir, name);
    const note = readNote(file);
    rmSync(file, { force: true });
    if (!note || !groupAlive(note.pid)) continue;
    const same = sameCommand(note);
    if (same === false) continue;
    if (same === true) {
      try {
        process.kill(-note.pid, 'SIGKILL');
      } catch {
        // Gone in between.
      }
    }
    leftover.push({ ...note, stopped: same === true });
  }
  awaitGroupsGone(leftover.filter((command) => command.stopped).map((command) => command.pid));
  return leftover;
}

/** How long a resume waits for the groups it killed to be gone. */
const GONE_WAIT_MS = 2000;

/**
 * Waits (at most `GONE_WAIT_MS`) until no process of these groups runs: SIGKILL is delivered when
 * the process is next scheduled, and the resumed round must run its command alone (on a loaded
 * machine the old one still ran when the new one started). A zombie counts as gone. Linux only
 * (`/proc`); elsewhere it returns at once.
 */
function awaitGroupsGone(groups: number[]): void {
  if (groups.length === 0 || process.platform !== 'linux') return;
  const deadline = Date.now() + GONE_WAIT_MS;
  while (groupsRunning(groups) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
}

function groupsRunning(groups: readonly number[]): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses, so the fields are read after its last `)`.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && groups.includes(Number(pgrp))) return true;
  }
  return false;
}

function readNote(file: string): CommandNote | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<CommandNote>;
    return typeof value.pid === 'number' && Array.isArray(value.argv) && typeof value.argvSha256 === 'string' ? { pid: value.pid, argv: value.argv.map(String), argvSha256: value.argvSha256 } : undefined;
  } catch {
    return undefined;
  }
}

function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the group's leader still runs the noted argv; undefined when it cannot be told (no /proc). */
function sameCommand(note: CommandNote): boolean | undefined {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${note.pid}/cmdline`, 'utf8');
  } catch (error) {
    // The leader exited but its group lives on (its children): the group is the command's.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return process.platform === 'linux' ? true : undefined;
    return undefined;
  }
  return cmdlineSha256(cmdline) === note.argvSha256;
}

/** `/proc/<pid>/cmdline`'s form: each argument ended by a NUL. */
function cmdlineSha256(cmdline: string): string {
  return createHash('sha256').update(cmdline).digest('hex');
}
