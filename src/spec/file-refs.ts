import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '../errors/index.js';
import { formatBytes, LIMITS, notRegularFile } from './limits.js';
import { closestMatch } from './suggest.js';
import { decodeUtf8Text, editorText } from './text-encoding.js';

/** A file an SOP references, read and fingerprinted. */
export interface ReferencedFile {
  absolute: string;
  /** Path as shown to the user (relative to cwd when the SOP was given relatively). */
  display: string;
  text: string;
  sha256: string;
}

interface FileRefProblem {
  code: Extract<ErrorCode, 'FILE_REF_ESCAPE' | 'FILE_REF_NOT_FOUND' | 'FILE_REF_INVALID' | 'FILE_REF_TOO_LARGE'>;
  message: string;
  hint: string;
}

export type FileRefResult = { ok: true; file: ReferencedFile } | { ok: false; problem: FileRefProblem };

/**
 * Reads the files an SOP references (`prompt: {file}`, `template: {file}`, `$ref` in schemas), all
 * relative to the SOP's folder and refused when they leave its tree, by `..`, an absolute path or
 * a symlink. Remembers each file's sha256 for the run record.
 */
export class FileRefReader {
  /** Absolute path → sha256 of every file read successfully. */
  readonly referencedFiles: Record<string, string> = {};
  private readonly cache = new Map<string, Promise<FileRefResult>>();
  private realRoot: Promise<string> | undefined;

  constructor(
    /** Absolute folder of the SOP. */
    readonly root: string,
    private readonly display: (absolute: string) => string,
  ) {}

  /** Reads `reference`, relative to `fromDir` (default: the SOP's folder). */
  read(reference: string, fromDir: string = this.root): Promise<FileRefResult> {
    const absolute = path.resolve(fromDir, reference);
    const key = path.isAbsolute(reference) ? `abs:${reference}` : absolute;
    let result = this.cache.get(key);
    if (!result) {
      result = this.load(reference, absolute);
      this.cache.set(key, result);
    }
    return result;
  }

  private async load(reference: string, absolute: string): Promise<FileRefResult> {
    const escape = (how: string): FileRefResult => ({
      ok: false,
      problem: {
        code: 'FILE_REF_ESCAPE',
        message: `\`${reference}\` ${how}`,
        hint: 'referenced files must be inside the SOP\'s folder (or below it); copy the file next to the SOP',
      },
    });
    if (path.isAbsolute(reference)) return escape('is an absolute path: file references are relative to the SOP\'s folder');
    if (isOutside(this.root, absolute)) return escape('leaves the SOP\'s folder');

    let real: string;
    try {
      real = await realpath(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
        return { ok: false, problem: { code: 'FILE_REF_INVALID', message: `\`${reference}\` is a symbolic link that leads back to itself`,
          hint: 'point the link at a real file inside the SOP\'s folder' } };
      }
      const near = await nearReference(reference.replaceAll('\\', '/'), absolute);
      const meant = near === undefined ? '' : `did you mean \`${near}\`? `;
      return {
        ok: false,
        problem: {
          code: 'FILE_REF_NOT_FOUND',
          message: `referenced file \`${reference}\` does not exist`,
          hint: `${meant}expected it at ${this.display(absolute)} (paths are relative to the SOP's folder)`,
        },
      };
    }
    this.realRoot ??= realpath(this.root).catch(() => this.root);
    if (isOutside(await this.realRoot, real)) return escape(`leads outside the SOP's folder through a symlink (to ${real})`);

    try {
      const info = await stat(real);
      const kind = notRegularFile(info);
      if (kind !== undefined) {
        return { ok: false, problem: { code: 'FILE_REF_INVALID', message: `\`${reference}\` is ${kind}, not a file`, hint: `reference a regular file, not ${kind}` } };
      }
      if (info.size > LIMITS.referencedFileBytes) {
        return { ok: false, problem: { code: 'FILE_REF_TOO_LARGE', message: `\`${reference}\` is ${formatBytes(info.size)}; a referenced file is at most ${formatBytes(LIMITS.referencedFileBytes)}`,
          hint: 'prompts, templates and schemas are text a model or a person reads: shorten the file, or let an action `reads` the data instead' } };
      }
      const bytes = await readFile(real);
      const decoded = decodeUtf8Text(bytes);
      if (!decoded.ok) {
        const { message, hint, line, column } = decoded.problem;
        const where = line !== undefined ? ` (line ${line}, column ${column})` : '';
        return { ok: false, problem: { code: 'FILE_REF_INVALID', message: `\`${reference}\` cannot be used: ${message}${where}`, hint } };
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      this.referencedFiles[absolute] = sha256;
      return { ok: true, file: { absolute, display: this.display(absolute), text: editorText(decoded.text), sha256 } };
    } catch (error) {
      return {
        ok: false,
        problem: { code: 'FILE_REF_INVALID', message: `\`${reference}\` cannot be read: ${(error as Error).message}`, hint: 'check the file\'s permissions' },
      };
    }
  }
}

function isOutside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/**
 * The reference meant, written as the given one was: `prompts/write_post.liquid` for a missing
 * `prompts/write-post.liquid` (the file of that folder with the nearest name) or, when the folder is
 * missing, for `prompt/write_post.liquid` (the file in the folder with the nearest name).
 */
async function nearReference(reference: string, absolute: string): Promise<string | undefined> {
  const folder = path.posix.dirname(reference);
  const name = await nearName(path.dirname(absolute), path.basename(absolute));
  if (name !== undefined) return path.posix.join(folder, name);
  // `prompt/write.liquid` beside `prompts/write.liquid`: the folder's name is the slip, the file is there.
  if (folder === '.' || (await readdir(path.dirname(absolute)).then(() => true, () => false))) return undefined;
  const nearFolder = await nearName(path.dirname(path.dirname(absolute)), path.basename(path.dirname(absolute)));
  if (nearFolder === undefined) return undefined;
  const inside = await readdir(path.join(path.dirname(path.dirname(absolute)), nearFolder)).catch(() => [] as string[]);
  const file = inside.includes(path.basename(absolute)) ? path.basename(absolute) : closestMatch(path.basename(absolute), inside);
  return file === undefined ? undefined : path.posix.join(path.posix.dirname(folder), nearFolder, file);
}

/** The entry of `folder` nearest `name` (a typo of it); undefined when none is near or the folder is missing. */
async function nearName(folder: string, name: string): Promise<string | undefined> {
  try {
    return closestMatch(name, await readdir(folder));
  } catch {
    return undefined;
  }
}
