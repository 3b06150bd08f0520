import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * `file` with its symlinks resolved, as `process.cwd()` names the working folder; for a path that
 * does not exist yet, the nearest folder above it that does, with the rest appended.
 */
export function realPathOf(file: string): string {
  try {
    return realpathSync(file);
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
  for (const [from, to] of [[folder, file], [realPathOf(folder), realPathOf(file)]] as const) {
    const relative = path.relative(from, to);
    if (!(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))) return relative;
  }
  return undefined;
}
