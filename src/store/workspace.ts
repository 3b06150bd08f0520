import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, realpathSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { ensureFolder, writeFileAtomicSync, writeFileAtomicWithSync } from '../files/index.js';
import { formatBytes, LIMITS, sizeAbove } from '../spec/limits.js';
import { shownName, textStart } from '../spec/text-encoding.js';

/** What a write produced, for events and the report. */
export interface WrittenFile {
  /** Workspace-relative path with `/` separators. */
  path: string;
  bytes: number;
  sha256: string;
}

/** What a workspace masks secrets in every text written with (a run's `SecretMask`). */
export interface WorkspaceSecrets {
  mask(text: string): string;
  /**
   * The longest secret masked, in characters (0: none): an append masks that much of the end of
   * what the file kept together with the new text, so a secret split across two appends is masked
   * whole. Read at each append: a run adds secrets as it goes.
   */
  readonly longest: number;
  /**
   * The end an append kept (masked when written) joined to the new text, masked: only a secret
   * reaching into the new text is masked, so a secret a shown-as-is text holds stays as given.
   */
  maskJoined(kept: string, addition: string): string;
}

/** No secrets: every text written as it is. */
const NO_SECRETS: WorkspaceSecrets = { mask: (text) => text, longest: 0, maskJoined: (kept, addition) => kept + addition };

export interface WorkspaceOptions {
  /** Masks secrets in every text written (artifacts, `fs.write`); default: none. */
  secrets?: WorkspaceSecrets;
  /**
   * fsync each file before its rename (default true: a machine crash cannot leave an empty
   * artifact). False for a scratch workspace that is removed after the run (`sop test`).
   */
  durable?: boolean;
}

function isFolder(folder: string): boolean {
  try {
    return statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * The folder a run writes into. Every path handed to it is workspace-relative; anything that
 * would land outside (absolute paths, `..`, symlinks whose target leaves the folder) is refused
 * with `WORKSPACE_ESCAPE` before a byte is written. A file with several names (a hard link, which
 * may be a file outside the workspace) is never read, and never written through: a write
 * replaces the name with a new file.
 */
export class Workspace {
  /** Absolute path of the workspace folder. */
  readonly root: string;
  private realRootCache: string | undefined;
  private readonly secrets: WorkspaceSecrets;
  private readonly durable: boolean;

  constructor(root: string, options: WorkspaceOptions = {}) {
    this.root = path.resolve(root);
    this.secrets = options.secrets ?? NO_SECRETS;
    this.durable = options.durable ?? true;
    // An existing folder (most runs: the same workspace again) in one stat, without mkdir's EEXIST error;
    // anything else (missing, not a folder, not readable) goes the way that names the cause.
    if (isFolder(this.root)) return;
    ensureFolder(this.root);
    // A file in the folder's place (mkdir answers EEXIST) would fail the first write as an internal error.
    if (!statSync(this.root).isDirectory()) throw new Error('it is a file, not a folder');
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
    // A line break in a name would forge lines wherever the name is printed (the run's summary, a
    // CI log's `::error` commands) and breaks every tool reading names by line; a bidirectional
    // override prints the name in another order than it has (`x\u202Edm.exe`): refused, shown escaped.
    const unprintable = relative.includes('\0') ? 'a NUL byte' : CONTROL.test(relative) ? 'a control character (a line break, a tab, an escape)'
      : BIDI_CONTROL.test(relative) ? 'a bidirectional control character (it prints the name in another order than it has)' : undefined;
    if (unprintable !== undefined) {
      throw new SopError('WORKSPACE_ESCAPE', `${what} ${shownName(relative)} contains ${unprintable}`, { hint: 'use a name of printable characters' });
    }
    // Longer ones fail in the file system (ENAMETOOLONG) as an internal error, naming the absolute path.
    const longName = relative.split(/[\\/]/).find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
    const long = longName !== undefined ? `has a name of ${Buffer.byteLength(longName)} bytes; a name is at most ${MAX_NAME_BYTES}` : Buffer.byteLength(relative) > MAX_PATH_BYTES ? `is ${Buffer.byteLength(relative)} bytes long; a workspace path is at most ${MAX_PATH_BYTES}` : undefined;
    if (long !== undefined) {
      throw new SopError('WORKSPACE_ESCAPE', `${what} "${textStart(relative, 60)}…" ${long}`, { hint: 'use a shorter name' });
    }
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

  /**
   * Writes text (secrets masked) to a workspace-relative path, creating folders as needed;
   * atomically, via a temporary file renamed over the name, so a hard link is replaced, never
   * written through.
   */
  write(relative: string, content: string): WrittenFile {
    return this.writeBytes(relative, Buffer.from(this.secrets.mask(content), 'utf8'), 'artifact path');
  }

  /** Writes bytes as they are (a file the user gave, copied in), atomically, as `write` does. */
  writeBytes(relative: string, data: Buffer, what = 'path'): WrittenFile {
    const target = this.resolve(relative, what);
    if (target === this.root) throw new SopError('WORKSPACE_ESCAPE', `${what} "${relative}" names the workspace folder itself`);
    this.refuseGuarded(target, relative, what);
    writeFileAtomicSync(target, data, { durable: this.durable });
    return { path: this.relative(target), bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /**
   * Writes the first `keep` bytes the path holds, then `addition` (secrets masked), atomically as
   * `write` does, reading the file once, a chunk at a time: the same pass hashes all it held
   * (`previousSha256`, null when nothing), so an appended log of any size costs a chunk of memory.
   * The last bytes kept (room for the longest secret less one character) are masked together with
   * `addition`: a secret whose start ended the file and whose rest starts `addition` is masked whole.
   * The file is read as `resolveForRead` allows (not a hard link, not in `.git`).
   */
  append(relative: string, keep: number, addition: string): WrittenFile & { previousSha256: string | null } {
    const source = this.resolveForRead(relative, 'artifact path');
    const target = this.resolve(relative, 'artifact path');
    if (target === this.root) throw new SopError('WORKSPACE_ESCAPE', `artifact path "${relative}" names the workspace folder itself`);
    this.refuseGuarded(target, relative, 'artifact path');
    // A character is at most 3 UTF-8 bytes per UTF-16 unit; 3 more let the held text start at a character.
    const longest = this.secrets.longest;
    const hold = longest > 1 ? 3 * (longest - 1) + 3 : 0;
    const previous = createHash('sha256');
    const next = createHash('sha256');
    let found = false;
    let bytes = 0;
    const put = (fd: number, data: Buffer): void => {
      writeAll(fd, data);
      next.update(data);
      bytes += data.length;
    };
    writeFileAtomicWithSync(target, (fd) => {
      let held = Buffer.alloc(0);
      const input = openIfPresent(source, relative);
      if (input !== undefined) {
        found = true;
        const chunk = Buffer.alloc(1024 * 1024);
        let copied = 0;
        try {
          for (let read = readSync(input, chunk); read > 0; read = readSync(input, chunk)) {
            previous.update(chunk.subarray(0, read));
            const kept = chunk.subarray(0, Math.max(0, Math.min(read, keep - copied)));
            copied += kept.length;
            // The last `hold` bytes kept so far wait for the mask; the rest is copied as it was.
            const joined = held.length > 0 ? Buffer.concat([held, kept]) : kept;
            const cut = Math.max(0, joined.length - hold);
            put(fd, joined.subarray(0, cut));
            held = Buffer.from(joined.subarray(cut));
          }
        } catch (error) {
          throw unreadable(relative, error);
        } finally {
          closeSync(input);
        }
      }
      // Bytes continuing a character begun before the held text are copied as they are.
      let start = 0;
      while (start < held.length && ((held[start] as number) & 0xc0) === 0x80) start += 1;
      put(fd, held.subarray(0, start));
      put(fd, Buffer.from(this.secrets.maskJoined(held.subarray(start).toString('utf8'), addition), 'utf8'));
    }, { durable: this.durable });
    return { path: this.relative(target), bytes, sha256: next.digest('hex'), previousSha256: found ? previous.digest('hex') : null };
  }

  /**
   * Absolute path of a workspace file to read, after every escape check; a regular file with
   * more than one name (a hard link) is refused, since its other name may be outside.
   */
  resolveForRead(relative: string, what = 'read path'): string {
    const target = this.resolve(relative, what);
    if (this.guardedFolder(target) === '.git') {
      throw new SopError('WORKSPACE_ESCAPE', `${what} "${relative}" is in the git folder (.git), which may hold credentials (a remote URL with a token); sop does not read it`, {
        hint: 'read the project\'s own files; the git folder is not part of them',
      });
    }
    let links = 1;
    try {
      const stats = statSync(target);
      if (stats.isFile()) links = stats.nlink;
    } catch {
      return target; // missing: the caller reports it
    }
    if (links > 1) {
      throw new SopError('WORKSPACE_ESCAPE', `${what} "${relative}" is a hard link (${links} names for one file); sop does not read it`, {
        hint: 'a hard link can name a file outside the workspace; copy the file into the workspace instead',
      });
    }
    return target;
  }

  /** Reads a workspace file as text; a missing file reads as empty text. */
  read(relative: string): string {
    return this.readIfPresent(relative) ?? '';
  }

  /** Reads a workspace file as text; undefined when there is no such file. */
  readIfPresent(relative: string): string | undefined {
    const target = this.resolveForRead(relative);
    if (isSpecialFile(target)) {
      // A FIFO would block the run (and its signal handling) until someone writes to it.
      throw new SopError('FILE_UNREADABLE', `workspace file "${relative}" is not a regular file (a FIFO, socket or device)`, {
        hint: 'an action reads regular files only: write the content to a file first',
      });
    }
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
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw new SopError('FILE_UNREADABLE', `cannot read workspace file "${relative}": ${(error as Error).message}`);
    }
  }

  /** Creates a workspace folder (for a command's working folder) and returns its absolute path. */
  ensureFolder(relative: string): string {
    const target = relative === '' || relative === '.' ? this.root : this.resolve(relative, 'working folder');
    ensureFolder(target);
    return target;
  }

  /**
   * A workspace that is a checkout (`--workspace .`) holds `.git`, whose hooks and config git runs
   * as commands (`core.fsmonitor` on the next `git status`), and maybe `.sop`, the run records a
   * resume trusts: a write from a model or an SOP never goes there, also not through a symlink.
   */
  private refuseGuarded(target: string, relative: string, what: string): void {
    const guarded = this.guardedFolder(target);
    if (guarded !== undefined) {
      const folder = guarded === '.git' ? 'the git folder (.git), whose hooks and config git runs as commands' : "sop's run records (.sop)";
      throw new SopError('WORKSPACE_ESCAPE', `${what} "${relative}" goes into ${folder}`, {
        hint: 'write it elsewhere in the workspace: sop writes nothing into a `.git` or `.sop` folder',
      });
    }
  }

  /** The guarded folder (`.git`, `.sop`) a path is in, by name or through a symlink, if any. */
  private guardedFolder(target: string): string | undefined {
    for (const inside of [path.relative(this.root, target), path.relative(this.realRoot, realPathOf(target))]) {
      const guarded = inside.split(path.sep).map(foldedName).find((name) => GUARDED_FOLDERS.has(name));
      if (guarded !== undefined) return guarded;
    }
    return undefined;
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

/** Bytes of a file or folder name: the file systems' 255, less room for the temporary name a write goes through. */
const MAX_NAME_BYTES = 200;

/** Bytes of a workspace-relative path (the absolute one must stay within PATH_MAX, 4096 on Linux). */
const MAX_PATH_BYTES = 1024;

/** C0 and C1 control characters, DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Unicode's bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069); right-to-left text itself needs none. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** Folders no write enters (see `refuseGuarded`); `.git` is not read either. */
const GUARDED_FOLDERS = new Set(['.git', '.sop']);

/** Whether a folder entry is a git folder, which listing and searching the workspace pass by. */
export function isGitFolder(name: string): boolean {
  return foldedName(name) === '.git';
}

/**
 * A name as a case-insensitive file system sees it (macOS, Windows): `.GIT` is `.git` there, and
 * so are Windows' `.git.` and `.git ` and HFS+'s `.git` with an ignored zero-width character.
 */
function foldedName(name: string): string {
  return name.replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '').replace(/[. ]+$/, '').toLowerCase();
}

/** The real path of `target`: its deepest existing ancestor resolved through symlinks, then the rest. */
function realPathOf(target: string): string {
  let existing = target;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    return path.join(realpathSync(existing), path.relative(existing, target));
  } catch {
    return target;
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function writeAll(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
}

/** A descriptor to read `file` by, undefined when there is none. */
function openIfPresent(file: string, relative: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(relative, error);
  }
}

function unreadable(relative: string, error: unknown): SopError {
  return new SopError('FILE_UNREADABLE', `cannot read workspace file "${relative}" to append to it: ${(error as Error).message}`, { hint: 'check the file\'s permissions in the workspace' });
}

/** Whether `file` exists and is neither a regular file nor a folder (a FIFO, socket or device). */
function isSpecialFile(file: string): boolean {
  try {
    const stats = statSync(file);
    return !stats.isFile() && !stats.isDirectory();
  } catch {
    return false;
  }
}
