import path from 'node:path';
import { SopError } from '../errors/index.js';

/** The worker's own folders, each chosen by its flag: `--data-dir` and `--outputs-dir`. */
export interface WorkerFolders {
  dataDir: string;
  outputsDir?: string | undefined;
}

/**
 * What to do about a storage error on the worker's machine, given the flag that chooses the folder.
 * The error's message names the path; the hint adds no other path of the worker's (a submitter
 * reads it too).
 */
const WORKER_HINTS: Partial<Record<string, (flag: string) => string>> = {
  STORAGE_NO_SPACE: (flag) => `free some space on the worker's disk (its ${flag}), or restart the worker with ${flag} on a disk with room`,
  STORAGE_READ_ONLY: (flag) => `restart the worker with a writable ${flag}, or remount its file system read-write`,
  STORAGE_PERMISSION: (flag) => `check the owner and mode of the worker's ${flag} and of what is in it, or restart the worker with another ${flag}`,
};

/**
 * The hint of a storage error on a worker (`STORAGE_*`, exit 14), naming the worker's flags: the
 * generic one names `sop run`'s `--workspace` and `--runs-dir`, which `sop worker` does not have.
 * Its `--outputs-dir` when the failed path is in it, else its `--data-dir` (the runs' workspaces
 * and records, the bundles). Undefined for any other error.
 */
export function workerStorageHint(error: { code: string; message: string }, folders: WorkerFolders): string | undefined {
  const hint = WORKER_HINTS[error.code];
  if (!hint) return undefined;
  const { outputsDir } = folders;
  // The path is followed by a separator, or by the colon before the cause when it is the folder itself.
  const inOutputs = outputsDir !== undefined && (error.message.includes(`${outputsDir}${path.sep}`) || error.message.includes(`${outputsDir}:`));
  return hint(inOutputs ? '--outputs-dir' : '--data-dir');
}

/** `error` with the worker's hint when it is a storage error (see `workerStorageHint`); else as it is. */
export function onWorker(error: SopError, folders: WorkerFolders): SopError {
  const hint = workerStorageHint(error, folders);
  return hint === undefined ? error : new SopError(error.code, error.message, { hint, diagnostics: error.diagnostics, cause: error.cause });
}
