import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import { checkWritable } from '../files/index.js';

/**
 * Refuses, before the work, a file flag (`--out`, `--junit`) whose file cannot be written: a folder
 * in its place, or a place where no file can be made. Found at the end, it was an internal error
 * (exit 1) after the whole eval or test run. A storage cause stays its storage error (exit 14).
 */
export function checkOutputFile(flag: string, given: string): void {
  // Named as the write at the end names it (absolute), so a refusal reads the same either way.
  const file = path.resolve(given);
  try {
    checkWritable(file);
  } catch (error) {
    throw isSopError(error) ? error : new SopError('FILE_UNWRITABLE', `${flag}: cannot write ${file}: ${(error as Error).message}`, { hint: 'give a writable file path' });
  }
}

/** `checkOutputFile` for each given flag. */
export function checkOutputFiles(files: Record<string, string | undefined>): void {
  for (const [flag, file] of Object.entries(files)) if (file !== undefined) checkOutputFile(flag, file);
}
