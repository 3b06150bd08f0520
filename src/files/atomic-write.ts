import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ensureFolder, storageError } from './storage-error.js';

export interface AtomicWriteOptions {
  /**
   * fsync the new content before the rename (default true), so a machine crash leaves the old
   * file or the new one, never an empty one. Only files whose loss costs nothing (cache entries,
   * which are then a miss) skip it.
   */
  durable?: boolean;
}

/**
 * Replaces `file` atomically (`write-file-atomic`): the content goes to a temporary file with a
 * unique name (pid, thread and a counter) in the same folder, is fsynced, then renamed over the
 * target; the temporary file is removed when anything fails. A symlink is followed (its target
 * is replaced, the link stays) and an existing file keeps its mode and owner; a hard link is not
 * written through (the name gets a new file). Parent folders are created. Storage failures are
 * SopErrors naming the path (exit 14).
 */
export function writeFileAtomicSync(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  ensureFolder(path.dirname(file));
  try {
    writeFileAtomic.sync(file, data, { fsync: options.durable ?? true });
  } catch (error) {
    throw storageError(error, file) ?? error;
  }
}

/** `writeFileAtomicSync` without blocking the event loop. */
export async function writeFileAtomicAsync(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  ensureFolder(path.dirname(file));
  try {
    await writeFileAtomic(file, data, { fsync: options.durable ?? true });
  } catch (error) {
    throw storageError(error, file) ?? error;
  }
}
