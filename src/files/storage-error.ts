import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmdirSync, rmSync, statSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SopError, type ErrorCode } from '../errors/index.js';

interface StorageCause {
  code: ErrorCode;
  reason: string;
  hint: string;
}

/**
 * The errno codes that are the user's storage, not a bug in sop, and what to tell them. The hint is
 * about the storage only: whether a run can be resumed is said by the command that knows of a run
 * (`sop run` after its run started, `sop resume`), with the run's id.
 */
const CAUSES: Record<string, StorageCause> = {
  ENOSPC: { code: 'STORAGE_NO_SPACE', reason: 'no space left on the device', hint: 'free some space there (or choose another folder)' },
  EDQUOT: { code: 'STORAGE_NO_SPACE', reason: 'disk quota exceeded', hint: 'free some space there or raise the quota' },
  // A file size limit (`ulimit -f`, RLIMIT_FSIZE): Node ignores SIGXFSZ, so the write fails with EFBIG.
  EFBIG: { code: 'STORAGE_FILE_TOO_LARGE', reason: "the file reached this process's file size limit", hint: 'raise the file size limit sop runs under (`ulimit -f`)' },
  EROFS: { code: 'STORAGE_READ_ONLY', reason: 'the file system is read-only', hint: 'choose a writable folder (--workspace, --runs-dir) or remount it read-write' },
  EACCES: { code: 'STORAGE_PERMISSION', reason: 'permission denied', hint: 'check the owner and mode of the file and its folder (a read-only file is not replaced: `chmod u+w` it to let sop write it), or choose another folder' },
  EPERM: { code: 'STORAGE_PERMISSION', reason: 'operation not permitted', hint: 'check the owner, mode and attributes of the file and its folder' },
};

/**
 * The user-facing error for a failed write, when its cause is the storage (no space, read-only,
 * permission, a file size limit): names the path and the cause, exit 14. Anything else is not a storage error
 * (undefined): the caller rethrows it as it is.
 */
export function storageError(error: unknown, file?: string): SopError | undefined {
  if (error instanceof SopError) return undefined;
  const errno = error as NodeJS.ErrnoException | undefined;
  const cause = errno?.code === undefined ? undefined : CAUSES[errno.code];
  if (!cause) return undefined;
  const where = file ?? errno?.path;
  return new SopError(cause.code, `cannot write ${where ?? 'a file'}: ${cause.reason} (${errno?.code})`, { hint: cause.hint, cause: error });
}

/**
 * An error met writing where a flag points (`--junit`, `--events`, `--evals-dir`, `--lock`, `--out`),
 * its message starting with the flag (`--junit: cannot write ...`) and a read-only hint naming it:
 * the read-only hint names `sop run`'s `--workspace` and `--runs-dir`, which a `sop lock` or a
 * `--junit` file on a read-only mount has nothing to do with (`given` false: the flag's default
 * path, not given, only hinted). An error that is no `SopError` is returned as it is.
 */
export function namingFlag(error: unknown, flag: string, given = true): unknown {
  const hinted = withReadOnlyHint(error, `give ${flag} a path on a writable file system, or remount it read-write`);
  // A default path (`sop lock` without --lock) is not said as the flag's: only its hint names it.
  if (!given || !(hinted instanceof SopError) || hinted.message.startsWith(`${flag}: `)) return hinted;
  return new SopError(hinted.code, `${flag}: ${hinted.message}`, { ...(hinted.hint === undefined ? {} : { hint: hinted.hint }), cause: hinted.cause });
}

/** A read-only file system's error with `hint` saying what chose the path; any other error as it is. */
function withReadOnlyHint(error: unknown, hint: string): unknown {
  if (!(error instanceof SopError) || error.code !== 'STORAGE_READ_ONLY') return error;
  return new SopError(error.code, error.message, { hint, cause: error.cause });
}

/**
 * A write's ENOENT: the folder it writes in is gone, removed while sop was using it (`rm -rf` of a
 * running run's folder). Only for writes: a read's ENOENT is a missing file, said by its reader.
 */
const FOLDER_GONE: StorageCause = { code: 'STORAGE_FOLDER_GONE', reason: 'its folder is gone (removed while sop was writing there)', hint: 'leave the folder alone while sop runs, then run the command again' };

/** Runs a write, turning a storage failure (or its folder removed) into its user-facing error (see `storageError`). */
export function guardWrite<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!(error instanceof SopError) && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SopError(FOLDER_GONE.code, `cannot write ${file}: ${FOLDER_GONE.reason} (ENOENT)`, { hint: FOLDER_GONE.hint, cause: error });
    }
    throw storageError(error, file) ?? error;
  }
}

/**
 * Creates a folder and its parents, one level at a time: Node's recursive `mkdir` loops forever
 * where a parent exists but refuses new children (procfs: `/proc/x`), and reports ENOENT on a
 * read-only file system, which hides the cause. Here a level that cannot be made is probed: the
 * deepest existing ancestor's write access gives the real cause (EROFS, EACCES), else the file
 * system refuses folders there (a storage error naming it).
 */
export function ensureFolder(folder: string): void {
  const target = path.resolve(folder);
  // The usual cases in one `mkdir` per missing level (an existing folder: EEXIST); anything
  // unusual takes the probing walk below, which names the cause.
  if (madeOrThere(target)) return;
  const missing: string[] = [];
  let existing = target;
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue; // made meanwhile by another process
      if (code === 'ENOTDIR') throw fileInTheWay(folder, existing);
      if (code !== 'ENOENT') throw storageError(error, folder) ?? error;
      try {
        accessSync(existing, constants.W_OK);
      } catch (probe) {
        throw storageError(probe, folder) ?? error;
      }
      throw new SopError('STORAGE_PERMISSION', `cannot create ${folder}: the file system does not allow new folders in ${existing}`, {
        hint: 'choose a folder on an ordinary file system (--workspace, --runs-dir, or the path given)',
        cause: error,
      });
    }
  }
}

/** A folder that cannot be made because a file has the name of a folder on its path. */
function fileInTheWay(folder: string, file: string): SopError {
  return new SopError('USAGE', `cannot create the folder ${folder}: ${file} is a file, not a folder`, {
    hint: 'choose a path whose every part is a folder (or move that file away)',
  });
}

/**
 * `folder` made, or there already (EEXIST: a folder, or a file the caller's next step refuses, as
 * `existsSync` let through), its missing parents made first; false on any other outcome (a
 * second ENOENT after the parent was made, as procfs gives, EACCES, EROFS...), left to the walk.
 */
function madeOrThere(folder: string): boolean {
  const code = mkdirCode(folder);
  if (code === undefined || code === 'EEXIST') return true;
  if (code !== 'ENOENT') return false;
  const parent = path.dirname(folder);
  if (parent === folder || !madeOrThere(parent)) return false;
  const again = mkdirCode(folder);
  return again === undefined || again === 'EEXIST';
}

/**
 * `mkdir` of one level: undefined when made, else the errno code. Its error is only read for its
 * code, so it is made without a stack trace (an existing workspace answers EEXIST at every run;
 * capturing the stack was most of that answer's cost, ~6 of ~14 us).
 */
export function mkdirCode(folder: string): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    mkdirSync(folder);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Checks that files can be created in `folder` (made when missing): a probe folder is made there and removed. */
export function checkFolderWritable(folder: string): void {
  ensureFolder(folder);
  guardWrite(folder, () => rmdirSync(mkdtempSync(path.join(folder, '.sop-probe-'))));
}

/**
 * Checks that `file` can be created, before the work whose result it will hold (a report written at
 * the end of a long run): its folder is made, and a probe file is created there and removed. A
 * storage cause is its storage error; anything else (a folder procfs refuses, a folder in the
 * file's place) is thrown as it is.
 */
export function checkWritable(file: string): void {
  // A folder in the file's place would refuse the write only at the end, after the work.
  if (statInPath(file)?.isDirectory()) throw new Error('it is a folder');
  const folder = path.dirname(path.resolve(file));
  ensureFolder(folder);
  const probe = path.join(folder, `.${path.basename(file)}.sop-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (errno.code === 'ENOTDIR') throw new Error(`${folder} is a file, not a folder`, { cause: error });
    // Named after the file asked for, not the probe.
    throw storageError(error, file) ?? new Error(`cannot create files in ${folder} (${errno.code ?? errno.message})`, { cause: error });
  }
}

/**
 * `file`'s stat, undefined when missing or when a file stands where a folder of its path should be
 * (`ENOTDIR`, which Node 24 counts as missing and Node 20 throws): the folder check after it names
 * that file the same way on both (`notes.txt is a file, not a folder`), not Node's `ENOTDIR` text.
 */
function statInPath(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * A new folder `PREFIX-XXXXXX` under the system's temporary folder (`TMPDIR`, made when missing),
 * for a command's throwaway files; a temporary folder that cannot be written is a storage error
 * naming it (exit 14), not an internal one.
 */
export function makeTemporaryFolder(prefix: string): string {
  const parent = os.tmpdir();
  try {
    ensureFolder(parent);
    return guardWrite(parent, () => mkdtempSync(path.join(parent, `${prefix}-`)));
  } catch (error) {
    // No flag chose this folder (`sop test`, `sop prompts`): TMPDIR did.
    throw withReadOnlyHint(error, 'set TMPDIR to a folder on a writable file system, or remount it read-write');
  }
}
