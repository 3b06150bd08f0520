import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { formatBytes, LIMITS, sizeAbove } from '../spec/limits.js';

/** What a write produced, for events and the report. */
export interface WrittenFile {
  /** Workspace-relative path with `/` separators. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * The folder a run writes into. Every path handed to it is workspace-relative; anything that
 * would land outside (absolute paths, `..`, symlinks whose target leaves the folder) is refused
 * with `WORKSPACE_ESCAPE` before a byte is written.
 */
export class Workspace {
  /** Absolute path of the workspace folder. */
  readonly root: string;
  private realRootCache: string | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  /** The workspace's real path, resolved on first use: a run that touches no file never needs it. */
  private get realRoot(): string {
    this.realRootCache ??= realpathSync(this.root);
    return this.realRootCache;
  }

  /** Absolute path of a workspace-relative path, after every escape check. */
  resolve(relative: string, what = 'path'): string {
    const refuse = (reason: string): never => {
      throw new SopError('WORKSPACE_ESCAPE', `${what} "${relative}" ${reason}`, {
        hint: 'paths are relative to the workspace and must stay inside it (no absolute paths, no "..", no symlinks leading out)',
      });
    };
    if (relative.trim() === '') refuse('is empty');
    if (relative.includes('\0')) refuse('contains a NUL byte');
    if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) refuse('is absolute');
    const target = path.resolve(this.root, relative);
    if (!isInside(this.root, target)) refuse('leaves the workspace');
    this.checkRealPath(target, refuse);
    return target;
  }

  /** Workspace-relative form (with `/`) of a path inside the workspace. */
  relative(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }

  /** Writes text to a workspace-relative path, creating folders as needed. */
  write(relative: string, content: string): WrittenFile {
    const target = this.resolve(relative, 'artifact path');
    if (target === this.root) throw new SopError('WORKSPACE_ESCAPE', `artifact path "${relative}" names the workspace folder itself`);
    mkdirSync(path.dirname(target), { recursive: true });
    const data = Buffer.from(content, 'utf8');
    writeFileSync(target, data);
    return { path: this.relative(target), bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Reads a workspace file as text (an action's `reads`); a missing file reads as empty text. */
  read(relative: string): string {
    const target = this.resolve(relative, 'read path');
    const size = sizeAbove(target, LIMITS.readsFileBytes);
    if (size !== undefined) {
      throw new SopError('READS_TOO_LARGE', `workspace file "${relative}" is ${formatBytes(size)}; a file read into a prompt is at most ${formatBytes(LIMITS.readsFileBytes)}`, {
        hint: 'read a smaller file (a summary, an excerpt), or give the model a tool such as fs.read that reads part of it',
      });
    }
    try {
      return readFileSync(target, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return '';
      throw new SopError('FILE_UNREADABLE', `cannot read workspace file "${relative}": ${(error as Error).message}`);
    }
  }

  /** Creates a workspace folder (for a command's working folder) and returns its absolute path. */
  ensureFolder(relative: string): string {
    const target = relative === '' || relative === '.' ? this.root : this.resolve(relative, 'working folder');
    mkdirSync(target, { recursive: true });
    return target;
  }

  /**
   * The deepest existing ancestor of the target (or the target itself) must resolve, through
   * any symlinks, to a place inside the real workspace. A dangling symlink is refused too:
   * writing through it would create a file wherever it points.
   */
  private checkRealPath(target: string, refuse: (reason: string) => never): void {
    let current = target;
    for (;;) {
      let exists = true;
      try {
        lstatSync(current);
      } catch {
        exists = false;
      }
      if (exists) {
        let real: string;
        try {
          real = realpathSync(current);
        } catch {
          return refuse('goes through a symlink that points nowhere');
        }
        if (!isInside(this.realRoot, real)) refuse('goes through a symlink that leaves the workspace');
        return;
      }
      const parent = path.dirname(current);
      if (parent === current || !isInside(this.root, parent)) return;
      current = parent;
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
