import path from 'node:path';

/**
 * How a hint names a run for `sop resume`: by its id when its folder is in the default runs folder
 * (`.sop/runs` under the working folder), else by its folder's path, which `sop resume` takes too
 * (relative when under the working folder, quoted for a shell when it must be): `sop resume ID`
 * does not find a run kept with `--runs-dir` elsewhere.
 */
export function resumeTarget(runDir: string, cwd: string): string {
  const folder = path.resolve(cwd, runDir);
  if (path.dirname(folder) === path.resolve(cwd, '.sop', 'runs')) return path.basename(folder);
  const relative = path.relative(path.resolve(cwd), folder);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? folder : relative;
  return /^[\w./@%+=:,-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
}
