import path from 'node:path';

/**
 * How output names a file or folder: relative to `cwd` when inside it (`.` for `cwd` itself), else
 * absolute, so a path outside the current folder is never shown as a chain of `../`.
 */
export function shownPath(target: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, target);
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? absolute : relative;
}
