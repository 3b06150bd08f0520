import { accessSync, chmodSync, chownSync, constants, closeSync, fsyncSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { SopError } from '../errors/index.js';
import { ensureFolder, storageError } from './storage-error.js';

export interface AtomicWriteOptions {
  /**
   * fsync the new content before the rename (default true), so a machine crash leaves the old
   * file or the new one, never an empty one. Only files whose loss costs nothing (cache entries,
   * which are then a miss) skip it.
   */
  durable?: boolean;
}

/** `.<name>.sop-<pid>-<thread>-<n>.tmp`: unique in the machine, hidden, and recognisable afterwards. */
const TEMPORARY = /^\..+\.sop-(\d+)-\d+-\d+\.tmp$/;
let written = 0;

function temporaryFor(target: string): string {
  written += 1;
  return path.join(path.dirname(target), `.${path.basename(target)}.sop-${process.pid}-${threadId}-${written}.tmp`);
}

/**
 * Replaces `file` atomically: the content goes to a temporary file with a unique name in the same
 * folder, is fsynced (see `durable`), then renamed over the target, so a reader or a crash sees
 * the old content or the new, never a part; the temporary file is removed when anything fails
 * (and by `removeStaleTemporaries` after a SIGKILL). A symlink is followed (its target is
 * replaced, the link stays) and an existing file keeps its mode and owner, and one the process may not
 * write (read-only) is refused as a plain write is; a hard link is not
 * written through (the name gets a new file). Parent folders are created. Storage failures are
 * SopErrors naming the path (exit 14). A device or a named pipe is written into, not replaced.
 */
export function writeFileAtomicSync(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  writeFileAtomicWithSync(file, (fd) => writeFileSync(fd, data), options);
}

/** `writeFileAtomicSync` whose content `fill` writes to the temporary file's descriptor, a piece at a time (a large file copied in chunks). */
export function writeFileAtomicWithSync(file: string, fill: (fd: number) => void, options: AtomicWriteOptions = {}): void {
  ensureFolder(path.dirname(file));
  const target = followSymlink(file);
  const existing = statIfAny(target);
  if (existing && !existing.isFile() && !existing.isDirectory()) return writeInto(file, fill);
  const temporary = temporaryFor(target);
  let fd: number | undefined;
  try {
    // A rename needs only the folder's write permission: without this a file made read-only (to keep
    // a run off it) was replaced all the same. Refused as a plain write would be (EACCES, exit 14).
    if (existing) accessSync(target, constants.W_OK);
    fd = openSync(temporary, 'wx', existing ? existing.mode & 0o7777 : 0o666);
    fill(fd);
    if (options.durable ?? true) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (existing) keepOwnerAndMode(temporary, existing);
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw storageError(error, file) ?? error;
  }
}

/**
 * Removes the temporary files a killed writer left under `folder` (recursively): only names this
 * helper makes, and only those of processes that are gone, so a concurrent writer is never hurt.
 */
export function removeStaleTemporaries(folder: string): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) removeStaleTemporaries(full); // never through a symlink
    const pid = TEMPORARY.exec(entry.name)?.[1];
    if (entry.isFile() && pid !== undefined && !isProcessAlive(Number(pid))) rmSync(full, { force: true });
  }
}

/**
 * `--junit /dev/stdout`, a FIFO a CI step reads: the content is written into it. A rename over it
 * put a plain file in its place (run as root, `--junit /dev/full` replaced the device).
 */
function writeInto(file: string, fill: (fd: number) => void): void {
  let probe: number | undefined;
  let fd: number | undefined;
  try {
    // Without blocking first: a named pipe no program reads made the open wait for ever; it is ENXIO so.
    probe = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
    // Then blocking (at once: the reader is there), so `fill` writes all of a large content while the
    // reader catches up; the probe is closed only after, or the reader would see the pipe end.
    fd = openSync(file, constants.O_WRONLY);
    closeSync(probe);
    probe = undefined;
    fill(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') {
      throw new SopError('FILE_UNWRITABLE', `cannot write ${file}: it is a named pipe no program reads`, { hint: 'start its reader first (`cat PIPE &`), or give a file path' });
    }
    throw storageError(error, file) ?? error;
  } finally {
    if (probe !== undefined) closeSync(probe);
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes every byte to a descriptor opened without blocking: a pipe whose reader is behind answers
 * EAGAIN or takes part of the data, and the rest is written once it has read.
 */
export function writeAll(descriptor: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += writeSync(descriptor, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function followSymlink(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file; // a new file
  }
}

function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** The umask may have narrowed the mode at creation; root may write a file someone else owns. */
function keepOwnerAndMode(temporary: string, existing: Stats): void {
  chmodSync(temporary, existing.mode & 0o7777);
  if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) chownSync(temporary, existing.uid, existing.gid);
}

/** Whether a process of this host is running (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A process that exited and that its parent has not reaped yet (a container whose PID 1 is no
  // init) still answers signal 0, for as long as the parent lives; it runs nothing and holds nothing.
  return !isZombie(pid);
}

/** Linux's state letter `Z` in `/proc/PID/stat` (after the command's closing parenthesis); false where there is no /proc. */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}
