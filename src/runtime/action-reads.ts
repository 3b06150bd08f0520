import { isSopError, type SopError } from '../errors/index.js';
import { formatBytes, LIMITS } from '../spec/limits.js';
import type { ResolvedAction, ResolvedRead, SourceOrigin } from '../spec/resolved.js';
import { templateError } from '../templates/index.js';
import type { RunState } from './run-state.js';

/**
 * The files an action's `reads` puts into its context as `files["path"]`: each path, each path of
 * a CEL list (`{ each: item.depends_on }`), each match of a glob (`{ glob: "src/**\/*.py" }`, in
 * path order; symlinks and hidden files are never matched). A list or glob with more than
 * `max_files` paths, or reads totalling more than `LIMITS.readsTotalBytes`, is an error naming the
 * entry: a prompt never silently misses a file. A missing file reads as empty text unless its
 * entry is `{ path, required: true }`.
 */
export async function readActionFiles(state: RunState, action: ResolvedAction, context: Record<string, unknown>): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  let total = 0;
  for (const read of action.reads) {
    const { paths, origin } = await readPaths(state, read, context);
    for (const relative of paths) {
      if (relative in files) continue;
      const text = readLocated(state, relative, origin) ?? missing(read, action, relative);
      total += Buffer.byteLength(text);
      if (total > LIMITS.readsTotalBytes) {
        throw capError(origin, `action ${action.id} reads more than ${formatBytes(LIMITS.readsTotalBytes)} in all (at "${relative}")`,
          'read fewer or smaller files (a narrower glob, a summary), or give the model a tool such as fs.read that reads part of them');
      }
      files[relative] = text;
    }
  }
  return files;
}

/** The file's text (undefined when missing); a path leaving the workspace is refused at the `reads` entry that named it. */
function readLocated(state: RunState, relative: string, origin: SourceOrigin): string | undefined {
  try {
    return state.workspace.readIfPresent(relative);
  } catch (error) {
    if (!isSopError(error) || error.code !== 'WORKSPACE_ESCAPE') throw error;
    throw templateError(error.code, origin, undefined, `read path "${relative}" leaves the workspace`, error.hint);
  }
}

/** A missing file reads as empty text, unless its entry is `required` (READ_MISSING before any paid call). */
function missing(read: ResolvedRead, action: ResolvedAction, relative: string): string {
  if (read.kind !== 'path' || !read.required) return '';
  throw templateError('READ_MISSING', read.path.origin, undefined, `action ${action.id} reads "${relative}", which is required and not in the workspace`,
    'write it in an earlier action, give it as a file input (`type: file`), or drop `required: true` to read a missing file as empty text');
}

async function readPaths(state: RunState, read: ResolvedRead, context: Record<string, unknown>): Promise<{ paths: string[]; origin: SourceOrigin }> {
  if (read.kind === 'path') return { paths: [state.compiled.render(read.path, context).trim()], origin: read.path.origin };
  let paths: string[];
  let what: string;
  let origin: SourceOrigin;
  if (read.kind === 'each') {
    // An empty string in the list names no file (an optional dependency left blank).
    paths = state.compiled.strings(read.paths, context).map((path) => path.trim()).filter((path) => path !== '');
    what = `\`${read.paths.source}\` lists`;
    origin = read.paths.origin;
  } else {
    const pattern = state.compiled.render(read.pattern, context).trim();
    paths = await globWorkspace(state, pattern, read.pattern.origin);
    what = `glob "${pattern}" matches`;
    origin = read.pattern.origin;
  }
  if (paths.length > read.maxFiles) {
    throw capError(origin, `${what} ${paths.length} files, more than max_files ${read.maxFiles}`,
      `narrow the ${read.kind === 'each' ? 'list' : 'glob'}, or raise \`max_files\` on this entry (at most 1000)`);
  }
  return { paths, origin };
}

/** Workspace files matching a glob, workspace-relative with `/`, sorted; never outside the workspace. */
async function globWorkspace(state: RunState, pattern: string, origin: SourceOrigin): Promise<string[]> {
  // Refused like any read path: absolute, `..` (anywhere in it), or a folder that is a symlink leading out.
  const folder = pattern.replace(/[*?[{].*$/s, '') || '.';
  try {
    state.workspace.resolve(folder, 'reads glob');
    if (pattern.split(/[\\/]/).includes('..')) state.workspace.resolve('..', 'reads glob');
  } catch (error) {
    if (!isSopError(error)) throw error;
    throw templateError(error.code, origin, undefined, `reads glob "${pattern}" leaves the workspace`, error.hint);
  }
  // Loaded only by SOPs with a glob in `reads` (start-up stays light for every other command).
  const { glob } = await import('tinyglobby');
  const matches = await glob(pattern, { cwd: state.workspace.root, onlyFiles: true, dot: false, followSymbolicLinks: false, expandDirectories: false });
  return matches.sort();
}

function capError(origin: SourceOrigin, message: string, hint: string): SopError {
  return templateError('READS_TOO_LARGE', origin, undefined, message, hint);
}
