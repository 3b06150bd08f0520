import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, isInside, projectOf } from './package-root.js';

/**
 * How to type `sop` in a hint so that it runs this very `sop`, the way its user started it:
 * - through npx (`npx sop`, `npm exec sop`): `npx sop`, or `npx sop-runner` when npx fetched the
 *   package into its own cache (a `sop` command there would be another package's);
 * - as `sop` when a `sop` on PATH is this one (a global install, `npm link`);
 * - otherwise (`./node_modules/.bin/sop`, `node bin/sop.js`: no `sop` on PATH) `npx sop`, which
 *   finds the project's own, when the current folder is in the project holding this `sop`; outside
 *   it, `node` and the path it was started from.
 * Looked up once per call (a few `stat`s): meant for a command's closing lines, not a hot path.
 */
export function sopCommandWord(env: NodeJS.ProcessEnv = process.env): string {
  // npm sets npm_command for `npx`/`npm exec` (`exec`) and npm scripts (`run-script`), and puts the
  // project's node_modules/.bin on PATH for them: a `sop` found there is not on the user's PATH.
  if (env['npm_command'] !== undefined) return npxCacheHolds(PACKAGE_ROOT) ? 'npx sop-runner' : 'npx sop';
  if (pathSopIsThisOne(env['PATH'] ?? '')) return 'sop';
  // Outside the project holding it, `npx sop` would look for a package named `sop` in the registry.
  const started = process.argv[1] ?? path.join(PACKAGE_ROOT, 'bin', 'sop.js');
  // The project of the path it was started by too (`<project>/node_modules/.bin/sop`): a linked install's files are elsewhere.
  const projects = [projectOf(PACKAGE_ROOT), ...(started.split(path.sep).includes('node_modules') ? [projectOf(started)] : [])];
  if (projects.some((project) => isInside(process.cwd(), project))) return 'npx sop';
  return `node ${quoted(started)}`;
}

let processWord: string | undefined;

/** `sopCommandWord()` of this process, looked up once: for the places that print hints (errors, diagnostics, the `--json` envelope). */
export function sopCommandOfProcess(): string {
  return (processWord ??= sopCommandWord());
}

function quoted(file: string): string {
  return /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}

/** Whether the package was fetched by npx into npm's cache (`~/.npm/_npx/<hash>/node_modules/...`). */
function npxCacheHolds(packageRoot: string): boolean {
  return packageRoot.split(path.sep).includes('_npx');
}

/** Whether the first `sop` on `searchPath` is this package's bin/sop.js (through any symlinks). */
function pathSopIsThisOne(searchPath: string): boolean {
  const ours = realOrUndefined(path.join(PACKAGE_ROOT, 'bin', 'sop.js'));
  const names = process.platform === 'win32' ? ['sop.cmd', 'sop.ps1', 'sop'] : ['sop'];
  for (const dir of searchPath.split(path.delimiter).filter((each) => each !== '')) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (!isFile(candidate)) continue;
      // Windows shims are scripts that call bin/sop.js: a shim found first is taken as ours.
      return process.platform === 'win32' || realOrUndefined(candidate) === ours;
    }
  }
  return false;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function realOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
