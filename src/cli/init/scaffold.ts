import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SopError, isSopError } from '../../errors/index.js';
import { writeFileAtomicSync } from '../../files/index.js';
import { SOP_SCHEMA_PATH, isInside, projectOf } from '../package-root.js';
import { standaloneSchema } from '../standalone-schema.js';
import { REVIEW_DRAFT_PROMPT, REVIEW_SCHEMA, WRITE_DRAFT_PROMPT, sopTestYaml, sopYaml } from './templates.js';

export interface ScaffoldOptions {
  /** `metadata.name`; default: derived from the folder name. */
  name?: string;
  /** Overwrite files that already exist. */
  force?: boolean;
}

export interface ScaffoldResult {
  dir: string;
  name: string;
  /** Files written, relative to `dir`, in writing order. */
  files: string[];
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-_]*$/;

/**
 * Writes a small working SOP into `dir`: `sop.yaml`, two prompts, a payload schema and its test
 * file `sop.test.yaml`. Refuses
 * (USAGE) when any of them exists, unless `force`, and checks everything before writing anything.
 */
export async function scaffoldSop(dir: string, options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const absoluteDir = path.resolve(dir);
  const name = options.name ?? nameFromFolder(absoluteDir);
  if (!NAME_PATTERN.test(name)) {
    throw new SopError('USAGE', `invalid SOP name "${name}"`, {
      hint: 'use lowercase letters, digits, dashes and underscores, starting with a letter or digit (--name my-sop)',
    });
  }
  await refuseFileAsFolder(dir, absoluteDir);
  const schema = schemaReference(absoluteDir, SOP_SCHEMA_PATH);
  const files: Array<[string, string]> = [
    ['sop.yaml', sopYaml(name, schema.ref)],
    [path.join('prompts', 'write_draft.liquid'), WRITE_DRAFT_PROMPT],
    [path.join('prompts', 'review_draft.liquid'), REVIEW_DRAFT_PROMPT],
    [path.join('schemas', 'review.json'), REVIEW_SCHEMA],
    // The test file's modeline points where the SOP's does: the installed sop-test schema, or a copy beside it.
    ['sop.test.yaml', sopTestYaml(schema.copy ? TEST_SCHEMA_COPY_NAME : schema.ref.replace(/sop\.v1\.schema\.json$/, TEST_SCHEMA_COPY_NAME))],
  ];
  if (schema.copy) {
    files.push([schema.ref, await readFile(SOP_SCHEMA_PATH, 'utf8')]);
    // Self-contained: the script schema its answers refer to is not copied beside it.
    files.push([TEST_SCHEMA_COPY_NAME, await standaloneSchema(path.dirname(SOP_SCHEMA_PATH), TEST_SCHEMA_COPY_NAME)]);
  }
  if (!options.force) {
    const existing: string[] = [];
    for (const [file] of files) if (await exists(path.join(absoluteDir, file))) existing.push(file);
    if (existing.length > 0) {
      throw new SopError('USAGE', `refusing to overwrite ${existing.join(', ')} in ${dir}`, {
        hint: 'pass --force to overwrite, or choose another folder: sop init my-sop',
      });
    }
  }
  for (const [file, content] of files) {
    const target = path.join(absoluteDir, file);
    try {
      // Atomic: a full disk leaves no half-written sop.yaml that a second `sop init` would refuse to
      // replace; no space, read-only and permission are storage errors (exit 14).
      writeFileAtomicSync(target, content);
    } catch (error) {
      if (isSopError(error)) throw error;
      throw new SopError('FILE_UNWRITABLE', `cannot write ${path.join(dir, file)}: ${unwritableReason(error)}`, {
        hint: 'choose a folder you can write to, and that is not a file',
        cause: error,
      });
    }
  }
  return { dir: absoluteDir, name, files: files.map(([file]) => file) };
}

/** The copy of the format's schema `sop init` places beside sop.yaml when no installed one is in reach. */
const SCHEMA_COPY_NAME = 'sop.v1.schema.json';

/**
 * Where the modeline of a new sop.yaml in `targetDir` points, so that editors work offline: the
 * schema of the running `sop` by a relative path when `targetDir` lies inside the project that
 * installed it (`<project>/node_modules/sop-runner`) or inside sop's own checkout; otherwise (a
 * global install, npx, another folder) a copy placed beside sop.yaml, since a relative path out of
 * the project would break as soon as the folder is committed or moved.
 */
export function schemaReference(targetDir: string, schemaPath: string): { ref: string; copy: boolean } {
  if (!isInside(targetDir, projectOf(path.dirname(path.dirname(schemaPath))))) return { ref: SCHEMA_COPY_NAME, copy: true };
  return { ref: path.relative(targetDir, schemaPath).split(path.sep).join('/'), copy: false };
}

/** The copy of the test file format's schema placed beside sop.test.yaml with the SOP schema's copy. */
const TEST_SCHEMA_COPY_NAME = 'sop-test.v1.schema.json';

/** `My Project` -> `my-project`; falls back to `my-sop` when nothing usable is left. */
function nameFromFolder(dir: string): string {
  const slug = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '');
  return NAME_PATTERN.test(slug) ? slug : 'my-sop';
}

/**
 * `sop init FILE` (a file, `/dev/null`, a path through a file) is refused before anything is written,
 * naming the file in the way: the write's own error was `cannot write sop.yaml/sop.yaml (ENOTDIR)`.
 */
async function refuseFileAsFolder(dir: string, absoluteDir: string): Promise<void> {
  for (let at = absoluteDir; ; at = path.dirname(at)) {
    const info = await stat(at).catch(() => undefined);
    if (info !== undefined) {
      if (info.isDirectory()) return;
      const shown = at === absoluteDir ? dir : path.relative(process.cwd(), at) || at;
      throw new SopError('FILE_UNWRITABLE', `cannot write into ${dir}: ${shown} is a file, not a folder`, {
        hint: 'give sop init a folder (it is created when missing), e.g. `sop init my-sop`',
      });
    }
    if (path.dirname(at) === at) return;
  }
}

/** Why a file could not be written, in words (the errno code was shown as it was: `(ENAMETOOLONG)`). */
function unwritableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENAMETOOLONG') return 'a name in the path is too long (most file systems take 255 bytes a name)';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ELOOP') return 'the path has a symbolic link that leads in a circle';
  return code ?? (error as Error).message;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
