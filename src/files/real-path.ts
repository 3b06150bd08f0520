import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * `file` with its symlinks resolved, as `process.cwd()` names the working folder; for a path that
 * does not exist yet, the nearest folder above it that does, with the rest appended.
 */
export function realPathOf(file: string): string {
  try {
    // One realpath(3) call (the JS version lstat's every component: a run names three paths).
    return realpathSync.native(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(realPathOf(parent), path.basename(file));
  }
}

/**
 * `file` relative to `folder` ('' for the folder itself), or undefined when it lies outside.
 * Compared as written, then by real paths: the working folder is always the real one, while a path
 * typed or given by the environment (`$PWD/x`, `GITHUB_WORKSPACE`) may go through a symlinked parent.
 */
export function pathWithin(folder: string, file: string): string | undefined {
  // The real paths only when the paths as written say outside: most paths are inside as written.
  return relativeWithin(folder, file) ?? relativeWithin(realPathOf(folder), realPathOf(file));
}

function relativeWithin(folder: string, file: string): string | undefined {
  const relative = path.relative(folder, file);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? undefined : relative;
}
