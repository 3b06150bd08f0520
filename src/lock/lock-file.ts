import path from 'node:path';
import { SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import { jsonSyntaxProblem } from '../spec/json-syntax.js';
import { formatBytes, readCappedSync, unreadableFile } from '../spec/limits.js';
import { characterPosition } from '../spec/text-encoding.js';

/** Version of the lock format; a reader refuses newer versions. */
export const LOCK_VERSION = 1;

/**
 * `sop.lock` (JSON): what a pinned SOP is made of, so `sop run --frozen` can refuse a run when
 * anything changed. Paths are relative to the lock's folder, with `/` separators, sorted.
 */
export interface SopLock {
  lockVersion: typeof LOCK_VERSION;
  sop: {
    /** The SOP file, relative to the lock's folder. */
    path: string;
    name: string;
    version: string;
    apiVersion: string;
    sha256: string;
  };
  runner: {
    /** `metadata.requires` of the SOP (checked by the loader on every run), null when absent. */
    requires: string | null;
    /** The runner version that wrote the lock (informative: `requires` decides which runners may run it). */
    lockedWith: string;
  };
  /** Every file the SOP references (prompts, schemas, templates, partials) -> sha256. */
  files: Record<string, string>;
  /** Each distinct model reference of the SOP, as written (`(default)` when none), -> the `provider:model` it resolved to. */
  models: Record<string, string>;
}

/** The lock as written: stable key order, one file per line, trailing newline (diff-friendly). */
export function formatLock(lock: SopLock): string {
  const ordered: SopLock = {
    lockVersion: lock.lockVersion,
    sop: { path: lock.sop.path, name: lock.sop.name, version: lock.sop.version, apiVersion: lock.sop.apiVersion, sha256: lock.sop.sha256 },
    runner: { requires: lock.runner.requires, lockedWith: lock.runner.lockedWith },
    files: sortedRecord(lock.files),
    models: sortedRecord(lock.models),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Writes the lock atomically and durably (`writeFileAtomicSync`; storage failures exit 14). */
export function writeLockFile(file: string, lock: SopLock): void {
  try {
    writeFileAtomicSync(file, formatLock(lock));
  } catch (error) {
    if (error instanceof SopError) throw error;
    throw new SopError('FILE_UNWRITABLE', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, { hint: 'check that the SOP\'s folder is writable' });
  }
}

/** The most a lock file may be: it holds one sha256 per file the SOP references. */
const LOCK_FILE_BYTES = 8 * 1024 * 1024;

/** The command that pins `sopDisplay` again when the caller gives none: `sop lock FILE`. */
export function defaultLockCommand(sopDisplay: string): string {
  return `sop lock ${sopDisplay}`;
}

/**
 * Reads and checks a lock file: LOCK_MISSING when absent, LOCK_INVALID when it is not a lock this
 * runner reads. `lockCommand`: the command that pins the SOP again, which the hints give (the CLI
 * types `sop` the way it was started).
 */
export function readLockFile(file: string, sopDisplay: string, lockCommand = defaultLockCommand(sopDisplay)): SopLock {
  let text: string;
  try {
    // Capped and not blocking: `--lock /dev/zero` grew without end, a named pipe nobody writes to hung
    // `sop lock --check` and `sop run --frozen` for good (deaf to Ctrl-C). A lock is a few KB.
    const bytes = readCappedSync(file, LOCK_FILE_BYTES);
    if (bytes === 'too-large') throw invalid(file, `is endless or more than ${formatBytes(LOCK_FILE_BYTES)}, more than a lock file holds`, lockCommand);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof SopError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SopError('LOCK_MISSING', `${sopDisplay} is not pinned: ${file} does not exist`, {
        hint: `run \`${lockCommand}\` and commit ${path.basename(file)} with the SOP`,
      });
    }
    const denied = (error as NodeJS.ErrnoException).code === 'EACCES';
    const { why } = unreadableFile(error);
    throw new SopError('LOCK_INVALID', `cannot read ${file}: ${denied ? 'permission denied' : why}`, { hint: denied ? 'check the file\'s permissions' : `give the lock file \`${lockCommand}\` wrote (sop.lock beside the SOP)` });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Where and why in words (`line 1, column 2: expected a double-quoted property name`), not JSON.parse's "at position 1".
    const problem = jsonSyntaxProblem(text, 'the lock');
    const at = problem && characterPosition(text, Math.min(problem.offset, text.trimEnd().length));
    throw invalid(file, `is not valid JSON (${problem && at ? `line ${at.line}, column ${at.column}: ${problem.message}` : (error as Error).message})`, lockCommand);
  }
  return checkShape(data, file, lockCommand);
}

function checkShape(data: unknown, file: string, lockCommand: string): SopLock {
  if (!isRecord(data)) throw invalid(file, 'is not a JSON object', lockCommand);
  const version = data['lockVersion'];
  if (typeof version !== 'number') throw invalid(file, 'has no `lockVersion`', lockCommand);
  if (version > LOCK_VERSION) {
    throw new SopError('LOCK_INVALID', `${file} has lockVersion ${version}; this sop reads lockVersion ${LOCK_VERSION}`, {
      hint: `it was written by a newer sop: upgrade sop, or run \`${lockCommand}\` again with this one`,
    });
  }
  const sop = data['sop'];
  const runner = data['runner'];
  if (!isRecord(sop) || !['path', 'name', 'version', 'apiVersion', 'sha256'].every((key) => typeof sop[key] === 'string')) {
    throw invalid(file, 'has no valid `sop` entry (path, name, version, apiVersion, sha256)', lockCommand);
  }
  if (!isRecord(runner) || typeof runner['lockedWith'] !== 'string' || !(runner['requires'] === null || typeof runner['requires'] === 'string')) {
    throw invalid(file, 'has no valid `runner` entry (requires, lockedWith)', lockCommand);
  }
  for (const key of ['files', 'models'] as const) {
    const value = data[key];
    if (!isRecord(value) || !Object.values(value).every((entry) => typeof entry === 'string')) {
      throw invalid(file, `has no valid \`${key}\` entry (an object of strings)`, lockCommand);
    }
  }
  return data as unknown as SopLock;
}

function invalid(file: string, what: string, lockCommand: string): SopError {
  return new SopError('LOCK_INVALID', `${file} ${what}`, { hint: `regenerate it with \`${lockCommand}\`; never edit it by hand` });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
